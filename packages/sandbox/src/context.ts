/**
 * The deterministic services each simulator receives: clock, seeded PRNG and UUIDs, and the
 * background-job knobs that the fault layer drives.
 */
import type { Seed } from './random.js';
import { createRandom, createUuid } from './random.js';
import type { SimulatorContext } from './types.js';

/** Time as the sandbox sees it. Inject one in tests instead of sleeping. */
export interface SandboxClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Waits `ms` milliseconds (used for injected latency). A fake clock can advance itself here.
   * @default a `setTimeout` promise
   */
  sleep?(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: SandboxClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Waits on `clock.sleep` when the clock has one, else on a timer. */
export function sleepOn(clock: SandboxClock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return clock.sleep ? clock.sleep(ms) : (systemClock.sleep as (ms: number) => Promise<void>)(ms);
}

/** What the context asks the fault layer about background jobs. */
export interface JobKnobs {
  /** Duration of a job in clock milliseconds, before `timeScale`. */
  jobMs(vendor: string): number;
  /** Whether the next job of this vendor fails. */
  jobShouldFail(vendor: string): boolean;
}

export interface ContextOptions {
  seed: Seed;
  clock: SandboxClock;
  /** Divides job durations: 10 makes background jobs settle ten times sooner. */
  timeScale: number;
  jobs: JobKnobs;
}

/**
 * One context per vendor. Each vendor draws from its own stream of the seed, so adding or
 * removing a simulator never changes the data another one generates.
 */
export function createSimulatorContext(vendor: string, options: ContextOptions): SimulatorContext {
  const random = createRandom(options.seed, `data:${vendor}`);
  const uuid = createUuid(random);
  return {
    now: () => options.clock.now(),
    random,
    uuid,
    jobMs: () => Math.max(0, Math.round(options.jobs.jobMs(vendor) / options.timeScale)),
    jobShouldFail: () => options.jobs.jobShouldFail(vendor),
  };
}
