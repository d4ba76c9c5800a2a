/**
 * `mpdx.notificationPreferences.bulkCreate` in the fault matrix: each record creates one
 * preference under an id derived from the run; every 101st names a notification type that does
 * not exist, which MPDX must refuse in its error element. Creates: exactly once, always.
 */
import { deriveItemId } from '@bulk-clients/core';
import { createMpdxClient, type NewNotificationPreference } from '@bulk-clients/mpdx';
import type { Sandbox } from '@bulk-clients/sandbox';
import { expect } from 'vitest';
import { expectAccounted, expectReasoned, figuresOf } from './checks.js';
import type { CellOptions, MatrixOperation } from './types.js';

const TOKEN = 'sandbox-token';
const UNKNOWN_TYPE = '00000000-0000-4000-8000-00000000dead';
const refused = (n: number) => n % 101 === 100;

export const mpdxBulkCreate: MatrixOperation = {
  name: 'mpdx.notificationPreferences.bulkCreate',
  vendor: 'mpdx',
  records: 3000,
  hasJobs: false,
  burst: { requests: 50, perMs: 1000 },
  async prepare() {},
  async run(sandbox: Sandbox, count: number, { timeoutMs, lostAnswers, fetch }: CellOptions) {
    const state = sandbox.state.mpdx!;
    const accountListId = [...state.accountLists.keys()][0]!;
    const typeIds = [...state.notificationTypes.keys()];
    const client = createMpdxClient({
      token: TOKEN,
      baseUrl: sandbox.url,
      rateLimit: { requests: 100_000, perMs: 1000 },
      fetch,
    });
    const preferences: NewNotificationPreference[] = Array.from({ length: count }, (_, n) => ({
      notificationTypeId: refused(n) ? UNKNOWN_TYPE : typeIds[n % typeIds.length]!,
      app: n % 2 === 0,
      email: n % 3 === 0,
      task: n % 5 === 0,
    }));
    const storedBefore = new Set(state.preferences.keys());
    const report = await client.notificationPreferences.bulkCreate(accountListId, preferences, {
      collect: true,
      // Small batches: enough requests per cell for a 2% fault to be drawn.
      batchSize: 10,
      retry: { retries: 10, minDelayMs: 1, maxDelayMs: 20 },
      requestTimeoutMs: timeoutMs,
    });
    const outcomes = expectAccounted(report, count);
    const ours = new Set<string>();
    for (const outcome of outcomes) {
      const id = deriveItemId(report.runId, outcome.index);
      ours.add(id);
      const stored = state.preferences.get(id);
      const writes = state.writeCounts.get(id) ?? 0;
      if (refused(outcome.index) && !(lostAnswers && outcome.status === 'unknown')) {
        expect(outcome.status, `record ${outcome.index}`).toBe('failed');
        expect(outcome.error).toMatchObject({ code: 'not_found', status: 404 });
        expect(outcome.error?.message).toContain(UNKNOWN_TYPE);
        expect(outcome.error?.vendor).toMatchObject({ id, errors: [{ status: '404' }] });
        expect(stored).toBeUndefined();
        continue;
      }
      if (outcome.status === 'succeeded') {
        expect(outcome.value?.id).toBe(id);
        expect(writes, `writes of preference ${id}`).toBe(1);
        expect(stored).toMatchObject({
          accountListId,
          notificationTypeId: outcome.item.notificationTypeId,
          app: outcome.item.app,
          email: outcome.item.email,
          task: outcome.item.task,
        });
        continue;
      }
      expectReasoned(outcome);
      if (outcome.status === 'unknown') expect(writes).toBeLessThanOrEqual(1);
      else expect(stored, `${outcome.status} record ${outcome.index}`).toBeUndefined();
    }
    // Nothing stored but this run's records (ids derived from its run id).
    for (const id of state.preferences.keys()) {
      if (!storedBefore.has(id)) expect(ours.has(id), `preference ${id}`).toBe(true);
    }
    return figuresOf(report);
  },
};
