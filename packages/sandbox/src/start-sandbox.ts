/**
 * `startSandbox`: one loopback HTTP server serving every vendor simulator at its real paths.
 */
import type { AddressInfo } from 'node:net';
import { createSimulatorContext, type SandboxClock, systemClock } from './context.js';
import {
  FaultController,
  type FaultSettings,
  type FaultStatus,
  type Faults,
  type LatencyFault,
  type RateLimitFault,
} from './faults.js';
import type { HubSpotState } from './hubspot/index.js';
import type { MpdxState } from './mpdx/index.js';
import type { Seed } from './random.js';
import {
  createSandboxServer,
  type ResponseValidationMode,
  type ResponseViolation,
} from './server.js';
import { defaultSimulators } from './simulators.js';
import { defaultSpecDirs } from './spec-files.js';
import { loadSpec, SpecLoadError, type VendorSpec } from './spec-validator.js';
import type { ThoughtIndustriesState } from './thought-industries/index.js';
import type { SimulatorFactory, VendorSimulator } from './types.js';
import type { VecState } from './vec/index.js';

export interface SandboxOptions {
  /**
   * TCP port to listen on; `0` picks a free one (read it from `sandbox.port`).
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on. Keep it on loopback: the sandbox has no real security.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Seed of every random choice (generated data, ids, fault decisions, jitter). The same seed and
   * the same request sequence give the same answers.
   * @default 1
   */
  seed?: Seed;
  /**
   * The bearer token every simulator accepts.
   * @default 'sandbox-token'
   */
  token?: string;
  /**
   * Latency added to every request: a number of ms, or fixed plus seeded jitter.
   * @default 0
   * @example { fixedMs: 20, jitterMs: 10 }
   */
  latencyMs?: number | LatencyFault;
  /**
   * A rate limit per vendor API: `requests` per `perMs` milliseconds, counted with `mode`
   * (`bucket`, `fixed` or `rolling`; by default each vendor's own: HubSpot `rolling`, Thought
   * Industries `bucket` with a burst of a sixth, VEC and MPDX `fixed`). Over it, requests get 429
   * in the vendor's shape with its rate-limit headers.
   * @default undefined (no limit)
   * @example { requests: 100, perMs: 10_000 }
   * @example { requests: 190, perMs: 10_000, mode: 'rolling', secondly: 50 }
   */
  rateLimit?: RateLimitFault;
  /**
   * Requests each vendor API accepts per day (midnight to midnight UTC on the sandbox clock).
   * Once spent, every request gets 429 (HubSpot: policy `DAILY`, `X-HubSpot-RateLimit-Daily-Remaining: 0`).
   * @default undefined (no daily limit)
   * @example 250_000
   */
  dailyLimit?: number;
  /**
   * Probability in [0, 1] that a request is answered with a 5xx instead of being handled.
   * @default 0
   */
  errorRate?: number;
  /**
   * Statuses `errorRate` picks from.
   * @default [500, 502, 503, 504]
   */
  errorStatuses?: FaultStatus[];
  /**
   * How long simulated background jobs (Thought Industries jobs, vault batches) take to settle.
   * @default 1000
   */
  jobMs?: number;
  /**
   * Divides job durations, to let benchmarks and demos run jobs faster than `jobMs` says.
   * @default 1
   */
  timeScale?: number;
  /**
   * Checks every response against the spec: `record` collects violations in
   * `sandbox.violations`, `throw` also replaces the response with a 500 naming the problem.
   * @default 'off'
   */
  validateResponses?: ResponseValidationMode;
  /**
   * Largest request body accepted; larger ones get 413 at once, and the rest of the body is read
   * and thrown away (never parsed) so that the client sees the answer. The default fits a
   * 20 MB vault upload plus multipart overhead.
   * @default 26214400 (25 MiB)
   */
  maxBodyBytes?: number;
  /**
   * How long a connection may stay silent in the middle of a request (a body that stops
   * arriving) before the sandbox drops it, as a vendor's front end would. `0` disables it.
   * @default 60000
   */
  idleTimeoutMs?: number;
  /**
   * The clock for timestamps, background jobs, rate limits and injected latency.
   * @default the system clock
   */
  clock?: SandboxClock;
  /**
   * More fault settings to start with (global scope); `faults.reset()` comes back to them.
   * @default {}
   */
  faults?: FaultSettings;
  /**
   * The simulators to run.
   * @default all four vendor simulators
   */
  simulators?: readonly SimulatorFactory[];
  /**
   * Folders holding `<vendor>/openapi.yaml`, searched in order.
   * @default the package's `specs/`, then the monorepo's `specs/`
   */
  specsDir?: string | readonly string[];
  /**
   * Fail to start when a vendor's spec is missing, instead of serving it unvalidated (with a
   * warning in `sandbox.warnings`).
   * @default false
   */
  requireSpecs?: boolean;
}

/** Live state of every simulator, by vendor name (`thoughtIndustries` is an alias). */
export interface SandboxState {
  hubspot?: HubSpotState;
  'thought-industries'?: ThoughtIndustriesState;
  thoughtIndustries?: ThoughtIndustriesState;
  vec?: VecState;
  mpdx?: MpdxState;
  /** Simulators of one's own (`simulators` option) appear under their names. */
  [vendor: string]: unknown;
}

export interface Sandbox {
  /** Base URL: scheme, host and port, e.g. `http://127.0.0.1:49152`. */
  url: string;
  port: number;
  host: string;
  /** What the simulators hold right now. */
  state: SandboxState;
  /** Run-time fault controls. */
  faults: Faults;
  /** Responses that did not match the spec (when `validateResponses` is not `off`). */
  violations: ResponseViolation[];
  /** Problems found at start, such as a vendor spec that could not be loaded. */
  warnings: string[];
  /** The loaded specs by vendor. */
  specs: ReadonlyMap<string, VendorSpec>;
  /** Every route served, as `{ vendor, key: 'METHOD /path/template' }`. */
  routes: { vendor: string; key: string }[];
  /** Stops the server and closes every connection, keep-alive ones included. */
  close(): Promise<void>;
}

/** Default option values, merged once. */
export const defaultSandboxOptions = {
  port: 0,
  host: '127.0.0.1',
  seed: 1,
  token: 'sandbox-token',
  jobMs: 1000,
  timeScale: 1,
  validateResponses: 'off',
  maxBodyBytes: 25 * 1024 * 1024,
  idleTimeoutMs: 60_000,
} as const satisfies SandboxOptions;

/**
 * Starts the sandbox.
 * @example
 * const sandbox = await startSandbox({ seed: 7 });
 * // ...point a client at sandbox.url...
 * await sandbox.close();
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const settings = { ...defaultSandboxOptions, ...withoutUndefined(options) };
  checkOptions(settings);
  const clock = settings.clock ?? systemClock;
  const faults = new FaultController({
    seed: settings.seed,
    clock,
    jobMs: settings.jobMs,
    initial: initialFaults(settings),
  });

  const warnings: string[] = [];
  const simulators: VendorSimulator[] = [];
  for (const [index, factory] of (settings.simulators ?? defaultSimulators).entries()) {
    // Each factory draws from its own stream, named after the factory (stable per vendor), so
    // adding or removing a simulator never changes another one's data.
    const name = factory.name || `simulator-${index}`;
    const context = createSimulatorContext(name, {
      seed: settings.seed,
      clock,
      timeScale: settings.timeScale,
      jobs: faults,
    });
    simulators.push(factory(context, { token: settings.token }));
  }

  const specDirs =
    settings.specsDir === undefined
      ? defaultSpecDirs()
      : typeof settings.specsDir === 'string'
        ? [settings.specsDir]
        : [...settings.specsDir];
  const specs = new Map<string, VendorSpec>();
  for (const simulator of simulators) {
    try {
      specs.set(simulator.name, loadSpec(simulator.name, specDirs));
    } catch (error) {
      if (!(error instanceof SpecLoadError) || settings.requireSpecs) throw error;
      warnings.push(`${error.message} Requests to ${simulator.name} are not validated.`);
    }
  }

  const violations: ResponseViolation[] = [];
  const server = createSandboxServer({
    simulators,
    specs,
    faults,
    clock,
    maxBodyBytes: settings.maxBodyBytes,
    idleTimeoutMs: settings.idleTimeoutMs,
    validateResponses: settings.validateResponses,
    onViolation: (violation) => violations.push(violation),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const state: SandboxState = {};
  for (const simulator of simulators) {
    const read = { get: () => simulator.state, enumerable: true };
    Object.defineProperty(state, simulator.name, read);
    if (simulator.name === 'thought-industries') {
      Object.defineProperty(state, 'thoughtIndustries', { get: read.get, enumerable: false });
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    host: address.address,
    state,
    faults,
    violations,
    warnings,
    specs,
    routes: simulators.flatMap((simulator) =>
      simulator.routes.map((route) => ({
        vendor: simulator.name,
        key: `${route.method} ${route.path}`,
      })),
    ),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function initialFaults(settings: SandboxOptions): FaultSettings {
  const initial: FaultSettings = { ...settings.faults };
  if (settings.latencyMs !== undefined) {
    initial.latency =
      typeof settings.latencyMs === 'number' ? { fixedMs: settings.latencyMs } : settings.latencyMs;
  }
  if (settings.rateLimit !== undefined) initial.rateLimit = settings.rateLimit;
  if (settings.dailyLimit !== undefined) initial.dailyLimit = settings.dailyLimit;
  if (settings.errorRate !== undefined && settings.errorRate > 0) {
    initial.errors = {
      rate: settings.errorRate,
      ...(settings.errorStatuses ? { statuses: settings.errorStatuses } : {}),
    };
  }
  return initial;
}

function checkOptions(options: SandboxOptions): void {
  const { port, maxBodyBytes, jobMs, timeScale, token, validateResponses, errorRate } = options;
  const { idleTimeoutMs } = options;
  if (idleTimeoutMs !== undefined && (!Number.isInteger(idleTimeoutMs) || idleTimeoutMs < 0)) {
    throw new TypeError(`Expected \`idleTimeoutMs\` to be an integer >= 0, got ${idleTimeoutMs}`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new TypeError(`Expected \`port\` to be an integer from 0 to 65535, got ${port}`);
  }
  if (maxBodyBytes !== undefined && (!Number.isInteger(maxBodyBytes) || maxBodyBytes <= 0)) {
    throw new TypeError(`Expected \`maxBodyBytes\` to be a positive integer, got ${maxBodyBytes}`);
  }
  if (jobMs !== undefined && (!Number.isFinite(jobMs) || jobMs < 0)) {
    throw new TypeError(`Expected \`jobMs\` to be a number >= 0, got ${jobMs}`);
  }
  if (timeScale !== undefined && (!Number.isFinite(timeScale) || timeScale <= 0)) {
    throw new TypeError(`Expected \`timeScale\` to be a number > 0, got ${timeScale}`);
  }
  if (token !== undefined && (typeof token !== 'string' || token === '' || /\s/.test(token))) {
    throw new TypeError('Expected `token` to be a non-empty string without whitespace');
  }
  if (validateResponses !== undefined && !['off', 'record', 'throw'].includes(validateResponses)) {
    throw new TypeError("Expected `validateResponses` to be 'off', 'record' or 'throw'");
  }
  if (errorRate !== undefined && !(errorRate >= 0 && errorRate <= 1)) {
    throw new TypeError(`Expected \`errorRate\` to be a number between 0 and 1, got ${errorRate}`);
  }
  if (
    options.seed !== undefined &&
    typeof options.seed !== 'number' &&
    typeof options.seed !== 'string'
  ) {
    throw new TypeError('Expected `seed` to be a number or a string');
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as Partial<T>;
}
