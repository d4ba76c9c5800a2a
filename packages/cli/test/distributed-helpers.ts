/**
 * What the end-to-end tests of distributed runs share: a sandbox and a Redis server for the test
 * file, workers that are killed after each test if they are still running, and `runs status`.
 */
import { startRedisServer, type TestRedisServer } from '@bulk-clients/redis/testing';
import type { SandboxOptions } from '@bulk-clients/sandbox';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  type CliProcess,
  type CliResult,
  runCli,
  type SandboxRun,
  startCli,
  useSandbox,
} from './e2e-helpers.js';

/** Short locks, so that a killed worker's chunk is taken up again within about 2 s. */
export const SHORT_LOCKS = ['--lock-duration', '1500', '--stalled-interval', '500'];

/** The sandbox and Redis server of a test file, and the workers its tests start. */
export interface DistributedRun {
  /** The sandbox of the test file and the folder of the current test (see `useSandbox`). */
  readonly e2e: SandboxRun;
  /** The URL of the Redis server, started before the file's first test and stopped after the last. */
  redisUrl(): string;
  /**
   * Starts `bulk-clients worker --redis <url> <flags>`; it is killed (SIGKILL) after the test if
   * it is still running.
   */
  startWorker(url: string, flags?: readonly string[]): CliProcess;
  /** Runs `bulk-clients runs status <runId> --redis <url> --json <flags>` to the end. */
  runsStatus(url: string, runId: string, flags?: readonly string[]): Promise<CliResult>;
}

/**
 * Registers the hooks of a test file that runs distributed runs: those of `useSandbox`, then a
 * Redis server started before the first test (stopped after the last), and the killing of the
 * workers a test leaves running.
 * @example
 * const { e2e, redisUrl, startWorker, runsStatus } = useDistributed('distributed', { seed: 21 });
 * const worker = startWorker(redisUrl(), ['--exit-when-idle', ...SHORT_LOCKS]);
 * const status = await runsStatus(redisUrl(), runId, ['--wait']);
 */
export function useDistributed(
  name: string,
  options: Omit<SandboxOptions, 'token'> = {},
): DistributedRun {
  const e2e = useSandbox(name, options);
  let redis: TestRedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());
  const started: CliProcess[] = [];
  afterEach(async () => {
    for (const run of started.splice(0)) if (!run.exited()) run.child.kill('SIGKILL');
  });
  return {
    e2e,
    redisUrl() {
      if (!redis) throw new Error('The Redis server starts before the first test');
      return redis.url;
    },
    startWorker(url, flags = []) {
      const run = startCli(['worker', '--redis', url, ...flags]);
      started.push(run);
      return run;
    },
    runsStatus: (url, runId, flags = []) =>
      runCli(['runs', 'status', runId, '--redis', url, '--json', ...flags]),
  };
}
