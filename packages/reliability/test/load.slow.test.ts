/**
 * Load: 64 bulk runs at once, through the four vendor clients, against a sandbox in a child
 * process, for LOAD_SECONDS (60 by default) after a warm-up. Proves that keep-alive connections
 * are reused (no growth in sockets or file handles), that nothing is rejected unhandled, and that
 * the heap is flat: what a long CLI job needs.
 */
import type { BulkReport } from '@bulk-clients/core';
import { createHubSpotClient } from '@bulk-clients/hubspot';
import { createMpdxClient } from '@bulk-clients/mpdx';
import { startSandbox } from '@bulk-clients/sandbox';
import { createThoughtIndustriesClient } from '@bulk-clients/thought-industries';
import { createVecClient } from '@bulk-clients/vec';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { heapAfterGc } from './force-gc.js';
import { type OpenHandles, openHandles } from './open-handles.js';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';

const TOKEN = 'sandbox-token';
const SEED = 9;
const WORKERS = 64;
const WARM_UP_MS = 10_000;
const LOAD_MS = Number(process.env.LOAD_SECONDS ?? 60) * 1000;
/** A hard cap on runs per worker, so that the suite is bounded in count as well as in time. */
const MAX_RUNS_PER_WORKER = 50_000;
/** Keep-alive timeouts (undici 4 s, the sandbox's server 5 s) plus a margin. */
const IDLE_MS = 7_000;

const fast = {
  concurrency: 1,
  retry: { retries: 3, minDelayMs: 5, maxDelayMs: 50 },
  poll: { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 20_000 },
  httpTimeoutMs: 20_000,
} as const;

let server: SandboxProcess;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = await startSandboxProcess(['--seed', String(SEED), '--job-ms', '20']);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  const code = await server?.stop();
  expect(code).toBe(0);
});

/** Ids the child's seeded state holds: a sandbox started with the same seed seeds the same data. */
async function seededIds() {
  const twin = await startSandbox({ seed: SEED });
  try {
    return {
      templateIds: [...twin.state.thoughtIndustries!.templates.keys()],
      accountListId: [...twin.state.mpdx!.accountLists.keys()][0]!,
      typeIds: [...twin.state.mpdx!.notificationTypes.keys()],
    };
  } finally {
    await twin.close();
  }
}

interface Tally {
  runs: number;
  records: number;
  requests: number;
  notSucceeded: number;
  /** Runs whose report broke `succeeded + failed + unknown + skipped === total`. */
  unaccounted: number;
}

it('keeps sockets, file handles and heap flat under 64 concurrent bulk runs', async () => {
  const { templateIds, accountListId, typeIds } = await seededIds();
  const baseUrl = server.url;
  const hubspot = createHubSpotClient({ token: TOKEN, baseUrl, rateLimit: false });
  const ti = createThoughtIndustriesClient({ token: TOKEN, baseUrl, rateLimit: false });
  const vec = createVecClient({ token: TOKEN, baseUrl, rateLimit: false });
  const mpdx = createMpdxClient({ token: TOKEN, baseUrl, rateLimit: false });
  const pdf = Buffer.from('%PDF-1.7\n%load test\n');

  type Report = Pick<
    BulkReport<unknown, unknown>,
    'total' | 'succeeded' | 'failed' | 'unknown' | 'skipped' | 'requests'
  >;
  const operations: [string, (worker: number, run: number) => Promise<Report>][] = [
    [
      'hubspot.tickets.batchUpdate x100',
      (worker, run) =>
        hubspot.tickets.batchUpdate(
          Array.from({ length: 100 }, (_, k) => ({
            id: String(((worker * 100 + k) % 5000) + 1),
            properties: { subject: `load ${worker}/${run}` },
          })),
          fast,
        ),
    ],
    [
      'ti.certificateTemplates.bulkUpdate x10',
      (worker, run) =>
        ti.certificateTemplates.bulkUpdate(
          Array.from({ length: 10 }, (_, k) => ({
            id: templateIds[(worker * 10 + k) % templateIds.length]!,
            title: `Load ${worker}/${run}`,
          })),
          fast,
        ),
    ],
    [
      'vec.certificates.bulkCreate x4',
      (worker, run) =>
        vec.certificates.bulkCreate(
          Array.from({ length: 4 }, (_, k) => ({
            certificate_title: 'Load test',
            full_name: `Learner ${worker} ${run} ${k}`,
            applicant_email: `load-${worker}-${run}-${k}@example.com`,
            issue_date: '2025-06-01',
            file: pdf,
            fileName: `load-${worker}-${run}-${k}.pdf`,
          })),
          { ...fast, uploadConcurrency: 1 },
        ),
    ],
    [
      'mpdx.notificationPreferences.bulkCreate x50',
      (_worker, _run) =>
        mpdx.notificationPreferences.bulkCreate(
          accountListId,
          Array.from({ length: 50 }, (_, k) => ({
            notificationTypeId: typeIds[k % typeIds.length]!,
            email: k % 2 === 0,
          })),
          fast,
        ),
    ],
  ];
  const tallies = new Map<string, Tally>(
    operations.map(([name]) => [
      name,
      { runs: 0, records: 0, requests: 0, notSucceeded: 0, unaccounted: 0 },
    ]),
  );

  const started = performance.now();
  const warmUpEnds = started + WARM_UP_MS;
  const deadline = warmUpEnds + LOAD_MS;
  const baseline = openHandles();
  const samples: { at: number; handles: OpenHandles; heap: number }[] = [];
  const sampler = setInterval(() => {
    samples.push({
      at: performance.now() - started,
      handles: openHandles(),
      heap: process.memoryUsage().heapUsed,
    });
  }, 1000);

  let warm: { heap: number; handles: OpenHandles } | undefined;
  const warmUp = new Promise<void>((resolve) =>
    setTimeout(() => {
      warm = { heap: heapAfterGc(), handles: openHandles() };
      resolve();
    }, WARM_UP_MS),
  );

  const workers = Array.from({ length: WORKERS }, async (_, worker) => {
    const [name, run] = operations[worker % operations.length]!;
    const tally = tallies.get(name)!;
    for (let n = 0; n < MAX_RUNS_PER_WORKER && performance.now() < deadline; n += 1) {
      const report = await run(worker, n);
      tally.runs += 1;
      tally.records += report.total;
      tally.requests += report.requests;
      tally.notSucceeded += report.total - report.succeeded;
      if (report.succeeded + report.failed + report.unknown + report.skipped !== report.total) {
        tally.unaccounted += 1;
      }
    }
  });
  await warmUp;
  await Promise.all(workers);
  clearInterval(sampler);
  const elapsedMs = performance.now() - started;
  const atEnd = openHandles();
  const endHeap = heapAfterGc();
  // Idle keep-alive connections time out on both sides; nothing else may stay open.
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idle = openHandles();

  const measured = samples.filter((s) => s.at >= WARM_UP_MS);
  const peakSockets = Math.max(...measured.map((s) => s.handles.sockets ?? 0));
  const peakFds = Math.max(...measured.map((s) => s.handles.fds ?? 0));
  const warmSockets = warm!.handles.sockets ?? 0;
  const warmFds = warm!.handles.fds ?? 0;
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  console.table(
    [...tallies].map(([operation, t]) => ({
      operation,
      workers: WORKERS / operations.length,
      runs: t.runs,
      records: t.records,
      requests: t.requests,
      notSucceeded: t.notSucceeded,
    })),
  );
  console.log(
    [
      `load: ${WORKERS} workers, ${(elapsedMs / 1000).toFixed(1)} s (${WARM_UP_MS / 1000} s warm-up)`,
      `sockets: baseline ${baseline.sockets}, after warm-up ${warmSockets}, peak after warm-up ${peakSockets}, at end ${atEnd.sockets}, idle ${idle.sockets}`,
      `fds: baseline ${baseline.fds}, after warm-up ${warmFds}, peak after warm-up ${peakFds}, at end ${atEnd.fds}, idle ${idle.fds}`,
      `heap after GC: warm-up ${mb(warm!.heap)}, end ${mb(endHeap)} (${(((endHeap - warm!.heap) / warm!.heap) * 100).toFixed(1)}%)`,
      `unhandled rejections: ${unhandled.length}`,
    ].join('\n'),
  );

  expect(unhandled).toEqual([]);
  for (const [operation, tally] of tallies) {
    expect(tally.unaccounted, operation).toBe(0);
    expect(tally.notSucceeded, operation).toBe(0);
    expect(tally.runs, operation).toBeGreaterThan(0);
  }
  if (baseline.sockets !== undefined) {
    // Reuse: the pool reached its size during the warm-up and did not grow after it.
    expect(peakSockets).toBeLessThanOrEqual(warmSockets + 16);
    expect(peakFds).toBeLessThanOrEqual(warmFds + 16);
    // Every connection is gone once idle: none leaked.
    expect(idle.sockets).toBeLessThanOrEqual((baseline.sockets ?? 0) + 2);
    expect(idle.fds).toBeLessThanOrEqual((baseline.fds ?? 0) + 2);
  }
  expect(endHeap).toBeLessThanOrEqual(warm!.heap + Math.max(16 * 1048576, warm!.heap * 0.25));
});
