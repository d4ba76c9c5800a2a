import type { FaultSettings, Sandbox } from '@bulk-clients/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { createVecClient } from '../src/index.js';
import {
  bulkRoute,
  clientOf,
  entries,
  expectAccounted,
  fast,
  startVault,
  token,
  uploadFiles,
} from './bulk-create-helpers.js';

interface Scenario {
  fault: string;
  records: number;
  settings: FaultSettings;
  scope?: { vendor?: string; route?: string };
  /** Client-side budget; the default is none, so that the vault's own limit is what is hit. */
  rateLimit?: { requests: number; perMs: number };
  /** What the sandbox must have injected, read from its counters. */
  injected: (counters: Sandbox['faults']['counters']) => number;
}

const scenarios: Scenario[] = [
  {
    fault: '429 bursts with Retry-After',
    records: 120,
    settings: { rateLimit: { requests: 20, perMs: 1000 } },
    scope: { vendor: 'vec' },
    injected: (c) => c.rateLimited,
  },
  {
    fault: '429 bursts without headers',
    records: 120,
    settings: { rateLimit: { requests: 20, perMs: 1000, retryAfter: false, headers: false } },
    scope: { vendor: 'vec' },
    // A 429 that says nothing about when to come back pauses the client's limiter for its
    // default second: the vault's fixed window has then moved on. Without a limiter, retries
    // alone can spend their attempts inside one window.
    rateLimit: { requests: 1000, perMs: 1000 },
    injected: (c) => c.rateLimited,
  },
  {
    // 503 is left to the 429 rows: its Retry-After of a whole second would only slow this one.
    fault: '20% 500, 502 and 504',
    records: 300,
    settings: { errors: { rate: 0.2, statuses: [500, 502, 504] } },
    injected: (c) => c.errors[500] + c.errors[502] + c.errors[503] + c.errors[504],
  },
  {
    fault: '10% resets before the body is read',
    records: 300,
    settings: { resetBeforeBody: 0.1 },
    injected: (c) => c.resetsBeforeBody,
  },
  {
    fault: '30% resets after the bulk request was applied',
    records: 300,
    settings: { resetAfterHandler: 0.3 },
    scope: bulkRoute,
    injected: (c) => c.resetsAfterHandler,
  },
  {
    fault: '10% resets after any request was handled',
    records: 300,
    settings: { resetAfterHandler: 0.1 },
    injected: (c) => c.resetsAfterHandler,
  },
  {
    fault: '10% truncated JSON',
    records: 300,
    settings: { malformedBody: { rate: 0.1 } },
    injected: (c) => c.malformedBodies,
  },
  {
    fault: 'latency spikes',
    records: 300,
    settings: { latency: { fixedMs: 2, jitterMs: 15 } },
    injected: (c) => c.delayed,
  },
];

const sandboxes: Sandbox[] = [];
const rows: string[] = [];

afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  console.log(
    ['fault | records | succeeded | failed | unknown | requests | injected', ...rows].join('\n'),
  );
});

describe.concurrent.each(scenarios)('with $fault', (scenario) => {
  it('creates every certificate exactly once and accounts for every entry', {
    timeout: 60_000,
  }, async () => {
    const sandbox = await startVault({ seed: scenario.fault.length });
    sandboxes.push(sandbox);
    sandbox.faults.set(scenario.settings, scenario.scope);
    const report = await clientOf(sandbox, scenario.rateLimit ?? false).certificates.bulkCreate(
      entries(scenario.records),
      {
        ...fast,
        batchSize: 25,
        concurrency: 4,
      },
    );
    const injected = scenario.injected(sandbox.faults.counters);
    rows.push(
      `${scenario.fault} | ${scenario.records} | ${report.succeeded} | ${report.failed} | ${report.unknown} | ${report.requests} | ${injected}`,
    );
    expectAccounted(report, sandbox, scenario.records);
    expect(injected).toBeGreaterThan(0);
    // Every fault here is survivable: lost answers are read back, refusals retried.
    expect(report.succeeded).toBe(scenario.records);
  });
});

describe('a bulk request whose answer is lost', () => {
  it('is read back, not sent again, when it was applied', async () => {
    const sandbox = await startVault({ seed: 11 });
    sandboxes.push(sandbox);
    const vec = clientOf(sandbox);
    const fileIds = await uploadFiles(vec, 60);
    sandbox.faults.set({ resetAfterHandler: 1 }, bulkRoute);
    // Every bulk answer is lost; only the read-back can tell what happened.
    const inputs = entries(60).map((entry, i) => ({
      ...entry,
      file: undefined,
      fileName: undefined,
      file_id: fileIds[i]!,
    }));
    const report = await vec.certificates.bulkCreate(inputs, { ...fast, batchSize: 20 });
    expectAccounted(report, sandbox, 60);
    expect(report.succeeded).toBe(60);
    expect(sandbox.state.vec!.batches.size).toBe(3);
    expect(sandbox.faults.counters.resetsAfterHandler).toBe(3);
  });

  it('is sent again only through the file_id guard when it was not applied', async () => {
    const sandbox = await startVault({ seed: 12 });
    sandboxes.push(sandbox);
    sandbox.faults.set({ errors: { rate: 1, statuses: [502] } }, bulkRoute);
    // The first bulk request gets a 502 (its outcome unknown to the client); then the vault heals.
    const vec = createVecClient({
      token,
      baseUrl: sandbox.url,
      rateLimit: false,
      fetch: async (request) => {
        const response = await fetch(request);
        if (response.status === 502) sandbox.faults.set({ errors: null }, bulkRoute);
        return response;
      },
    });
    const report = await vec.certificates.bulkCreate(entries(30), {
      ...fast,
      batchSize: 10,
      concurrency: 1,
    });
    expectAccounted(report, sandbox, 30);
    expect(report.succeeded).toBe(30);
    expect(sandbox.faults.counters.errors[502]).toBe(1);
    expect(sandbox.state.vec!.batches.size).toBe(3);
  });
});
