import { createMemoryJournal, deriveItemId, rateLimiterOf, runBulk } from '@bulk-clients/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createNotificationPreferencesBulkCreateAdapter,
  NOTIFICATION_PREFERENCES_BULK_CREATE,
} from '../src/index.js';
import {
  expectAccounted,
  expectStoredExactlyOnce,
  FAST_RETRY,
  type MpdxSandbox,
  preferencesFor,
  startMpdxSandbox,
} from './sandbox-helpers.js';

let env: MpdxSandbox;
let listId: string;

beforeAll(async () => {
  env = await startMpdxSandbox(44);
  listId = env.accountListIds[2]!;
});
afterEach(() => env.sandbox.faults.reset());
afterAll(() => env.sandbox.close());

describe('aborting a bulk create', () => {
  it('reports the records never attempted as skipped, and writes none of them', async () => {
    // A budget of two requests a minute: batches 3 and 4 wait for it when the run is aborted.
    const client = env.clientWith({ rateLimit: { requests: 2, perMs: 60_000 } });
    const controller = new AbortController();
    const report = await client.notificationPreferences.bulkCreate(
      listId,
      preferencesFor(env.typeIds, 200),
      {
        collect: true,
        batchSize: 10,
        concurrency: 4,
        signal: controller.signal,
        onItem: () => controller.abort(),
      },
    );
    expect(report.aborted).toBe(true);
    expect(report.total).toBe(40);
    expect(report.succeeded).toBeGreaterThanOrEqual(10);
    expect(report.succeeded + report.unknown).toBe(20);
    const skipped = report.outcomes!.filter((outcome) => outcome.status === 'skipped');
    expect(skipped.map((outcome) => outcome.index)).toEqual(
      Array.from({ length: 20 }, (_, at) => 20 + at),
    );
    expect(skipped[0]?.error?.code).toBe('aborted');
    expectAccounted(report);
    expectStoredExactlyOnce(env, listId, report);
  });

  it('resumes with the same journal, the same ids and no duplicate', async () => {
    const journal = createMemoryJournal();
    const preferences = preferencesFor(env.typeIds, 120);
    const controller = new AbortController();
    const first = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      batchSize: 20,
      concurrency: 1,
      journal,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.succeeded >= 40) controller.abort();
      },
    });
    expect([first.succeeded, first.aborted]).toEqual([40, true]);

    const second = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      collect: true,
      batchSize: 20,
      journal,
    });
    expect(second.runId).toBe(first.runId);
    expect([second.total, second.succeeded, second.resumed, second.requests]).toEqual([
      120, 120, 40, 4,
    ]);
    expectAccounted(second);
    expectStoredExactlyOnce(env, listId, second);
  });

  it('resumes records whose answer was lost and counts them as created once', async () => {
    // Every write loses its answer and the run gives up: the journal leaves them unsettled.
    env.sandbox.faults.set({ resetAfterHandler: 1 });
    const journal = createMemoryJournal();
    const preferences = preferencesFor(env.typeIds, 30);
    const lost = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      batchSize: 10,
      journal,
      retry: { ...FAST_RETRY, retries: 1 },
    });
    expect([lost.unknown, lost.succeeded]).toEqual([30, 0]);
    const state = env.sandbox.state.mpdx!;
    expect(state.writeCounts.get(deriveItemId(lost.runId, 29))).toBe(1);

    env.sandbox.faults.reset();
    const resumed = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      collect: true,
      batchSize: 10,
      journal,
    });
    expect(resumed.succeeded).toBe(30);
    expect(resumed.outcomes!.every((outcome) => outcome.value?.created === false)).toBe(true);
    expectAccounted(resumed);
    expectStoredExactlyOnce(env, listId, resumed);
  });

  it('gives the adapter to runBulk directly, as the command line does', async () => {
    const adapter = createNotificationPreferencesBulkCreateAdapter(env.client, listId, {
      batchSize: 15,
    });
    expect(adapter).toMatchObject({
      operation: NOTIFICATION_PREFERENCES_BULK_CREATE,
      maxBatchSize: 15,
      idempotent: true,
    });
    const report = await runBulk(preferencesFor(env.typeIds, 45), adapter, {
      limiter: rateLimiterOf(env.client.api),
      collect: true,
    });
    expect([report.succeeded, report.requests]).toEqual([45, 3]);
    await expect(runBulk([], adapter, { batchSize: 16 })).rejects.toThrow(/at most 15/);
    expectStoredExactlyOnce(env, listId, report);
  });
});
