import { createMemoryJournal, rateLimiterOf } from '@bulk-clients/core';
import type { FaultSettings, Sandbox } from '@bulk-clients/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotClient, type HubSpotClient, type TicketUpdateInput } from '../src/index.js';
import {
  checkRun,
  hubspotState,
  plannedUpdates,
  SANDBOX_TOKEN,
  startHubSpotSandbox,
  TEST_RETRY,
} from './sandbox-run.js';

const LIMIT = 10;
const UPDATE_ROUTE = { route: 'POST /crm/v3/objects/tickets/batch/update' };

let sandbox: Sandbox | undefined;
let client: HubSpotClient;

async function fresh(): Promise<Sandbox> {
  ({ sandbox, client } = await startHubSpotSandbox());
  return sandbox;
}

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

interface FaultCase {
  name: string;
  faults: FaultSettings;
  records: number;
  /** Which counter of `sandbox.faults.counters` proves the fault was injected. */
  injected: (counters: Sandbox['faults']['counters']) => number;
  exactlyOnce: boolean;
  requestTimeoutMs?: number;
}

const faultCases: FaultCase[] = [
  { name: 'no faults', faults: {}, records: 2000, injected: () => 1, exactlyOnce: true },
  {
    name: '20% 500, 502 and 504 answers',
    faults: { errors: { rate: 0.2, statuses: [500, 502, 504] } },
    records: 2000,
    injected: (c) => c.errors[500] + c.errors[502] + c.errors[504],
    exactlyOnce: true,
  },
  {
    name: '20% 503 answers with Retry-After',
    faults: { errors: { rate: 0.2, statuses: [503] } },
    records: 1000,
    injected: (c) => c.errors[503],
    exactlyOnce: true,
  },
  {
    name: '5% connections reset before the body is read',
    faults: { resetBeforeBody: 0.05 },
    records: 2000,
    injected: (c) => c.resetsBeforeBody,
    exactlyOnce: true,
  },
  {
    name: '10% connections reset after the tickets were written',
    faults: { resetAfterHandler: 0.1 },
    records: 2000,
    injected: (c) => c.resetsAfterHandler,
    exactlyOnce: false,
  },
  {
    name: '10% JSON answers cut short',
    faults: { malformedBody: { rate: 0.1, mode: 'cut' } },
    records: 2000,
    injected: (c) => c.malformedBodies,
    exactlyOnce: false,
  },
  {
    name: '10% answers cut by a closed socket',
    faults: { malformedBody: { rate: 0.1, mode: 'abort' } },
    records: 2000,
    injected: (c) => c.malformedBodies,
    exactlyOnce: false,
  },
  {
    name: 'latency spikes beyond the request timeout',
    faults: { latency: { fixedMs: 1, jitterMs: 80 } },
    records: 1000,
    injected: (c) => c.delayed,
    exactlyOnce: false,
    requestTimeoutMs: 60,
  },
];

describe.each(faultCases)('a batch update with $name', (scenario) => {
  it('accounts for every input and writes each good one, with HubSpot’s reasons for the rest', async () => {
    const server = await fresh();
    server.faults.set(scenario.faults, UPDATE_ROUTE);
    const { inputs, plan } = plannedUpdates(scenario.records, scenario.name);
    const report = await client.tickets.batchUpdate(inputs, {
      concurrency: 4,
      retry: TEST_RETRY,
      collect: true,
      requestTimeoutMs: scenario.requestTimeoutMs,
    });
    const counters = server.faults.counters;
    expect(scenario.injected(counters)).toBeGreaterThan(0);
    expect(report).toMatchObject({ unknown: 0, skipped: 0 });
    const { rewritten } = checkRun(server, report, plan, { exactlyOnce: scenario.exactlyOnce });
    // A ticket is written again only when the answer to its batch was lost and the batch retried.
    expect(rewritten).toBeLessThanOrEqual(report.retries * 100);
    if (scenario.exactlyOnce) expect(report.failed).toBe(plan.filter((p) => p.refusal).length);
  });
});

describe.each([
  // Retry-After says 1 s, and without it the client pauses for its default of 1 s.
  { name: 'Retry-After only', retryAfter: true },
  { name: 'neither Retry-After nor headers', retryAfter: false },
])('a batch update hitting 429s with $name', ({ retryAfter }) => {
  it('pauses the whole run instead of hammering, and writes every ticket once', async () => {
    const server = await fresh();
    server.faults.set(
      { rateLimit: { requests: LIMIT, perMs: 1000, retryAfter, headers: false } },
      { vendor: 'hubspot' },
    );
    const concurrency = 4;
    const { inputs, plan } = plannedUpdates(1500, 'throttled');
    const report = await client.tickets.batchUpdate(inputs, {
      concurrency,
      // Retries alone would come back within milliseconds: only the pause keeps 429s rare.
      retry: { retries: 20, minDelayMs: 1, maxDelayMs: 5 },
      collect: true,
    });
    const { rateLimited } = server.faults.counters;
    expect(rateLimited).toBeGreaterThan(0);
    expect(report.throttled).toBe(rateLimited);
    // Each wall costs at most the requests already in flight when the first 429 came back.
    const walls = Math.ceil(report.requests / LIMIT) + 1;
    expect(rateLimited).toBeLessThanOrEqual(walls * concurrency);
    expect(report.throttledMs).toBeGreaterThanOrEqual(900);
    checkRun(server, report, plan, { exactlyOnce: true });
  });
});

describe('a batch update against a sandbox that states its budget in headers', () => {
  it('learns the budget from the first answers and stays within it', async () => {
    const server = await fresh();
    server.faults.set(
      { rateLimit: { requests: LIMIT, perMs: 1000, retryAfter: false, headers: true } },
      { vendor: 'hubspot' },
    );
    const concurrency = 4;
    const { inputs, plan } = plannedUpdates(1500, 'throttled');
    const report = await client.tickets.batchUpdate(inputs, {
      concurrency,
      retry: { retries: 20, minDelayMs: 1, maxDelayMs: 5 },
      collect: true,
    });
    // Only the requests sent before the first answer can meet a wall they did not know of.
    expect(server.faults.counters.rateLimited).toBeLessThanOrEqual(concurrency);
    expect(rateLimiterOf(client.api)?.budget).toMatchObject({
      requests: LIMIT,
      perMs: 1000,
      source: 'learned',
    });
    checkRun(server, report, plan, { exactlyOnce: true });
  });
});

describe('a batch update against the sandbox', () => {
  it('applies updates of one ticket in input order, never two in one request', async () => {
    const server = await fresh();
    const inputs: TicketUpdateInput[] = [];
    const last = new Map<string, string>();
    for (let n = 1; n <= 300; n += 1) {
      const subjects = [`first ${n}`];
      if (n % 10 === 0) subjects.push(`second ${n}`);
      if (n % 50 === 0) subjects.push(`third ${n}`);
      for (const subject of subjects) inputs.push({ id: String(n), properties: { subject } });
      last.set(String(n), subjects[subjects.length - 1]!);
    }
    // One batch at a time, so that the order across batches is fixed too (n = 180 straddles two).
    const report = await client.tickets.batchUpdate(inputs, { concurrency: 1, retry: TEST_RETRY });
    // The sandbox refuses a batch naming one id twice: no failure means no such batch was sent.
    expect(report).toMatchObject({ total: inputs.length, succeeded: inputs.length, failed: 0 });
    const state = hubspotState(server);
    for (const [id, subject] of last) {
      expect(state.tickets.get(id)?.properties.subject, `ticket ${id}`).toBe(subject);
    }
    expect(state.writeCounts.get('50')).toBe(3);
    expect(state.writeCounts.get('20')).toBe(2);
    expect(state.writeCounts.get('49')).toBe(1);
  });

  it('clears a value written as an empty string, and takes the idProperty option', async () => {
    const server = await fresh();
    const report = await client.tickets.batchUpdate(
      [
        { id: 'EXT-000011', properties: { content: '' } },
        { id: 'EXT-000012', properties: { content: 'kept' } },
      ],
      { idProperty: 'external_ref', collect: true },
    );
    expect(report.outcomes?.map((o) => o.value?.id)).toEqual(['11', '12']);
    const { tickets } = hubspotState(server);
    expect(tickets.get('11')?.properties).not.toHaveProperty('content');
    expect(tickets.get('12')?.properties.content).toBe('kept');
  });

  it('fails a non-string value before sending and writes the rest of its batch', async () => {
    const server = await fresh();
    const inputs = [
      { id: '1', properties: { subject: 'one' } },
      { id: '2', properties: { hs_ticket_priority: 2 } } as unknown as TicketUpdateInput,
      { id: '3', properties: { subject: 'three' } },
    ];
    const report = await client.tickets.batchUpdate(inputs, { collect: true });
    expect(report).toMatchObject({ succeeded: 2, failed: 1, requests: 1 });
    expect(report.outcomes?.[1]?.error).toMatchObject({
      code: 'invalid_input',
      field: 'properties.hs_ticket_priority',
    });
    expect(hubspotState(server).writeCounts.get('2')).toBeUndefined();
  });

  it('reports queued inputs as skipped and in-flight ones as unknown on abort, then resumes', async () => {
    const server = await fresh();
    // One request per 20 ms: most batches wait in the client's limiter when the abort comes.
    const slow = createHubSpotClient({
      token: SANDBOX_TOKEN,
      baseUrl: server.url,
      rateLimit: { requests: 1, perMs: 20, burst: 1 },
    });
    const { inputs, plan } = plannedUpdates(3000, 'aborted');
    const controller = new AbortController();
    const journal = createMemoryJournal();
    const first = await slow.tickets.batchUpdate(inputs, {
      concurrency: 4,
      journal,
      signal: controller.signal,
      collect: true,
      onProgress: (progress) => {
        if (progress.requests >= 5) controller.abort();
      },
    });
    expect(first.aborted).toBe(true);
    expect(first.skipped).toBeGreaterThan(0);
    expect(first.total).toBeLessThan(inputs.length);
    expect(first.succeeded + first.failed + first.unknown + first.skipped).toBe(first.total);
    expect(first.unknown).toBeLessThanOrEqual(4 * 100);
    const state = hubspotState(server);
    for (const outcome of first.outcomes ?? []) {
      const planned = plan[outcome.index]!;
      if (outcome.status === 'skipped' && planned.ticketId) {
        expect(state.writeCounts.get(planned.ticketId)).toBeUndefined();
      }
    }

    const second = await client.tickets.batchUpdate(inputs, {
      concurrency: 4,
      journal,
      collect: true,
      retry: TEST_RETRY,
    });
    expect(second.resumed).toBe(first.succeeded + first.failed);
    // Only inputs whose first answer was lost may have been written twice.
    const { rewritten } = checkRun(server, second, plan, { exactlyOnce: false });
    expect(rewritten).toBeLessThanOrEqual(first.unknown);
  });
});
