/**
 * `hubspot.tickets.batchUpdate` in the fault matrix: record `n` writes a subject unique to the
 * run into seeded ticket `n + 1`; every 97th names a ticket that does not exist, which HubSpot
 * must refuse by name (207 `OBJECT_NOT_FOUND`).
 */
import { createHubSpotClient, type TicketUpdateInput } from '@bulk-clients/hubspot';
import type { Sandbox } from '@bulk-clients/sandbox';
import { expect } from 'vitest';
import { expectAccounted, expectReasoned, figuresOf } from './checks.js';
import type { CellOptions, MatrixOperation } from './types.js';

const TOKEN = 'sandbox-token';
const refused = (n: number) => n % 97 === 96;

export const hubspotBatchUpdate: MatrixOperation = {
  name: 'hubspot.tickets.batchUpdate',
  vendor: 'hubspot',
  records: 3000,
  hasJobs: false,
  burst: { requests: 50, perMs: 1000 },
  async prepare(sandbox, count) {
    // The simulator seeds 5,000 tickets: enough for a distinct ticket per record.
    expect(sandbox.state.hubspot!.tickets.size).toBeGreaterThanOrEqual(count);
  },
  async run(sandbox: Sandbox, count: number, { timeoutMs, lostAnswers, fetch }: CellOptions) {
    const client = createHubSpotClient({
      token: TOKEN,
      baseUrl: sandbox.url,
      // Far above the sandbox's own limits: the cell decides where the wall is.
      rateLimit: { requests: 100_000, perMs: 1000 },
      fetch,
    });
    const tag = `matrix-${sandbox.port}`;
    const inputs: TicketUpdateInput[] = Array.from({ length: count }, (_, n) => ({
      id: refused(n) ? String(900_000 + n) : String(n + 1),
      properties: { subject: `${tag} #${n}` },
    }));
    const report = await client.tickets.batchUpdate(inputs, {
      collect: true,
      // Small batches: enough requests per cell for a 2% fault to be drawn.
      batchSize: 10,
      retry: { retries: 10, minDelayMs: 1, maxDelayMs: 20 },
      requestTimeoutMs: timeoutMs,
    });
    const outcomes = expectAccounted(report, count);
    const state = sandbox.state.hubspot!;
    const mayHoldWrites = new Set<string>();
    let rewritten = 0;
    for (const outcome of outcomes) {
      const id = outcome.item.id;
      const writes = state.writeCounts.get(id) ?? 0;
      if (refused(outcome.index) && !(lostAnswers && outcome.status === 'unknown')) {
        expect(outcome.status, `record ${outcome.index}`).toBe('failed');
        expect(outcome.error).toMatchObject({ code: 'OBJECT_NOT_FOUND', status: 207 });
        expect(outcome.error?.vendor).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
        expect(outcome.error?.message).toContain(id);
        expect(writes).toBe(0);
        continue;
      }
      if (outcome.status === 'succeeded') {
        mayHoldWrites.add(id);
        expect(outcome.value?.id).toBe(id);
        expect(state.tickets.get(id)?.properties.subject).toBe(outcome.item.properties.subject);
        if (lostAnswers) expect(writes).toBeGreaterThanOrEqual(1);
        else expect(writes, `writes of ticket ${id}`).toBe(1);
        if (writes > 1) rewritten += 1;
        continue;
      }
      expectReasoned(outcome);
      if (outcome.status === 'unknown') mayHoldWrites.add(id);
      // Failed or skipped: never applied, whatever was lost on the way (else it is `unknown`).
      else expect(writes, `writes of ${outcome.status} ticket ${id}`).toBe(0);
    }
    // Nothing else was written.
    for (const id of state.writeCounts.keys())
      expect(mayHoldWrites.has(id), `ticket ${id}`).toBe(true);
    return figuresOf(report, { rewritten, failedYetWritten: 0 });
  },
};
