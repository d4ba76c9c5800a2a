import type { FaultCounters, FaultSettings } from '@bulk-clients/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccounted,
  expectStoredExactlyOnce,
  FAST_RETRY,
  type MpdxSandbox,
  preferencesFor,
  startMpdxSandbox,
  UNKNOWN_TYPE_ID,
} from './sandbox-helpers.js';

const BULK_ROUTE = 'POST /api/v2/account_lists/{account_list_id}/notification_preferences/bulk';

let env: MpdxSandbox;

beforeAll(async () => {
  env = await startMpdxSandbox(33);
});
afterEach(() => env.sandbox.faults.reset());
afterAll(() => env.sandbox.close());

interface Scenario {
  name: string;
  faults: FaultSettings;
  records: number;
  batchSize: number;
  /** Proves that the fault was injected. */
  injected: (counters: FaultCounters) => number;
  /**
   * Whether retries meet 409s for writes whose answer was lost: `true` must, `false` must not,
   * `undefined` may (a timed-out request may or may not have been handled).
   * @default false
   */
  replays?: boolean | undefined;
  /** Milliseconds before a request is abandoned. */
  requestTimeoutMs?: number;
  /** The fault makes requests fail, so the run must retry. @default true */
  retries?: boolean;
  /** The fault is a 429: the run must report it. */
  throttles?: boolean;
}

const serverErrors = (counters: FaultCounters) =>
  counters.errors[500] + counters.errors[502] + counters.errors[503] + counters.errors[504];

// Each scenario: a run with 1 record in 25 naming an unknown notification type (partial
// failures), through one fault on the bulk route.
const scenarios: Scenario[] = [
  {
    name: '429 bursts with Retry-After and rate-limit headers',
    faults: { rateLimit: { requests: 4, perMs: 1000 } },
    records: 600,
    batchSize: 25,
    injected: (counters) => counters.rateLimited,
    throttles: true,
  },
  {
    name: '429 bursts without Retry-After or rate-limit headers',
    faults: { rateLimit: { requests: 4, perMs: 1000, retryAfter: false, headers: false } },
    records: 600,
    batchSize: 25,
    injected: (counters) => counters.rateLimited,
    throttles: true,
  },
  {
    name: '20% 500, 502 and 504',
    faults: { errors: { rate: 0.2, statuses: [500, 502, 504] } },
    records: 1500,
    batchSize: 20,
    injected: serverErrors,
  },
  {
    name: '10% 503 with Retry-After',
    faults: { errors: { rate: 0.1, statuses: [503] } },
    records: 1000,
    batchSize: 50,
    injected: serverErrors,
  },
  {
    name: '10% connection resets before the body is read',
    faults: { resetBeforeBody: 0.1 },
    records: 1500,
    batchSize: 20,
    injected: (counters) => counters.resetsBeforeBody,
  },
  {
    name: '10% connection resets after the write',
    faults: { resetAfterHandler: 0.1 },
    records: 1500,
    batchSize: 20,
    injected: (counters) => counters.resetsAfterHandler,
    replays: true,
  },
  {
    name: '10% truncated JSON',
    faults: { malformedBody: { rate: 0.1, mode: 'cut' } },
    records: 1500,
    batchSize: 20,
    injected: (counters) => counters.malformedBodies,
    replays: true,
  },
  {
    name: '10% bodies cut off mid-stream',
    faults: { malformedBody: { rate: 0.1, mode: 'abort' } },
    records: 1500,
    batchSize: 20,
    injected: (counters) => counters.malformedBodies,
    replays: true,
  },
  {
    name: 'latency of 2 to 12 ms',
    faults: { latency: { fixedMs: 2, jitterMs: 10 } },
    records: 1000,
    batchSize: 20,
    injected: (counters) => counters.delayed,
    retries: false,
  },
  {
    name: 'latency spikes past the request timeout',
    faults: { latency: { fixedMs: 0, jitterMs: 100 } },
    records: 500,
    batchSize: 20,
    requestTimeoutMs: 80,
    injected: (counters) => counters.delayed,
    replays: undefined,
  },
];

describe.each(scenarios)('bulk create under $name', (scenario) => {
  it('accounts for every record and writes each succeeded one exactly once', async () => {
    env.sandbox.faults.set(scenario.faults, { route: BULK_ROUTE });
    const listId = env.accountListIds[1]!;
    const preferences = preferencesFor(env.typeIds, scenario.records, 25);
    const report = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      collect: true,
      batchSize: scenario.batchSize,
      concurrency: 4,
      retry: FAST_RETRY,
      requestTimeoutMs: scenario.requestTimeoutMs,
    });
    const counters = env.sandbox.faults.counters;

    expect(scenario.injected(counters)).toBeGreaterThan(0);
    expectAccounted(report);
    expect(report.total).toBe(scenario.records);
    // Creates with client ids are idempotent: nothing is left unknown, nothing skipped.
    expect([report.unknown, report.skipped]).toEqual([0, 0]);
    expect(report.failed).toBe(scenario.records / 25);
    if (scenario.retries ?? true) expect(report.retries).toBeGreaterThan(0);
    for (const outcome of report.outcomes!) {
      if (outcome.status !== 'failed') continue;
      expect(outcome.item.notificationTypeId).toBe(UNKNOWN_TYPE_ID);
      expect(outcome.error).toMatchObject({ code: 'not_found', status: 404 });
      expect(outcome.error?.message).toContain(`No notification type with id ${UNKNOWN_TYPE_ID}.`);
    }
    expectStoredExactlyOnce(env, listId, report);
    const replayed = report.outcomes!.filter((outcome) => outcome.value?.created === false);
    if (scenario.replays === true) expect(replayed.length).toBeGreaterThan(0);
    if (scenario.replays === false || !('replays' in scenario)) expect(replayed).toEqual([]);
    if (scenario.throttles) {
      expect(report.throttled).toBeGreaterThan(0);
      expect(report.throttledMs).toBeGreaterThan(0);
    }
  });
});
