import type { Sandbox } from '@bulk-clients/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHubSpotClient,
  createTicketsBatchUpsertAdapter,
  TICKETS_BATCH_UPSERT,
  type TicketUpsertInput,
} from '../src/index.js';
import { TOKEN, ticket } from './fixtures.js';
import { hubspotState, startHubSpotSandbox, TEST_RETRY } from './sandbox-run.js';

describe('createTicketsBatchUpsertAdapter', () => {
  it('posts to the upsert endpoint and maps the answer like an update', async () => {
    const paths: string[] = [];
    const client = createHubSpotClient({
      token: TOKEN,
      baseUrl: 'http://127.0.0.1:4010',
      rateLimit: false,
      fetch: async (request) => {
        paths.push(new URL(request.url).pathname);
        const { inputs } = (await request.json()) as { inputs: TicketUpsertInput[] };
        const results = inputs.map((input, n) => ({
          ...ticket(String(n + 1), { external_ref: input.id }),
          new: n === 0,
        }));
        return Response.json({
          status: 'COMPLETE',
          results,
          requestedAt: '',
          startedAt: '',
          completedAt: '',
        });
      },
    });
    const adapter = createTicketsBatchUpsertAdapter(client, { idProperty: 'external_ref' });
    expect(adapter).toMatchObject({
      operation: TICKETS_BATCH_UPSERT,
      maxBatchSize: 100,
      idempotent: true,
    });
    const report = await client.tickets.batchUpsert(
      [
        { id: 'EXT-A', properties: { subject: 'a' } },
        { id: 'EXT-B', properties: { subject: 'b' } },
      ],
      { idProperty: 'external_ref', collect: true },
    );
    expect(paths).toEqual(['/crm/v3/objects/tickets/batch/upsert']);
    expect(report.operation).toBe(TICKETS_BATCH_UPSERT);
    expect(report.outcomes?.map((o) => [o.value?.id, o.value?.new])).toEqual([
      ['1', true],
      ['2', false],
    ]);
  });
});

describe('tickets.batchUpsert against the sandbox', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('creates each new ticket exactly once, even when answers are lost after the write', async () => {
    const started = await startHubSpotSandbox();
    sandbox = started.sandbox;
    sandbox.faults.set(
      { resetAfterHandler: 0.2 },
      { route: 'POST /crm/v3/objects/tickets/batch/upsert' },
    );
    const state = hubspotState(sandbox);
    const before = state.tickets.size;
    const inputs: TicketUpsertInput[] = [];
    for (let n = 1; n <= 1500; n += 1) {
      // Odd n: a seeded ticket's external_ref; even n: a value no ticket holds yet.
      const ref = n % 2 === 1 ? `EXT-${String(n).padStart(6, '0')}` : `NEW-${n}`;
      inputs.push({ id: ref, properties: { subject: `upsert ${n}` } });
    }
    const report = await started.client.tickets.batchUpsert(inputs, {
      idProperty: 'external_ref',
      retry: TEST_RETRY,
      collect: true,
    });
    expect(sandbox.faults.counters.resetsAfterHandler).toBeGreaterThan(0);
    expect(report).toMatchObject({ total: 1500, succeeded: 1500, failed: 0, unknown: 0 });
    // 750 new refs, each on exactly one ticket: no retry created a second one.
    expect(state.tickets.size).toBe(before + 750);
    const holders = new Map<string, number>();
    for (const stored of state.tickets.values()) {
      const ref = stored.properties.external_ref;
      if (ref) holders.set(ref, (holders.get(ref) ?? 0) + 1);
    }
    for (const input of inputs) expect(holders.get(input.id), input.id).toBe(1);
    for (const outcome of report.outcomes ?? []) {
      const stored = state.tickets.get(outcome.value?.id ?? '');
      expect(stored?.properties.external_ref).toBe(outcome.item.id);
      expect(stored?.properties.subject).toBe(outcome.item.properties.subject);
      if (outcome.item.id.startsWith('EXT-')) expect(outcome.value?.new).toBe(false);
    }
    // New tickets answered on the first attempt say so.
    expect(report.outcomes?.some((o) => o.value?.new === true)).toBe(true);
  });
});
