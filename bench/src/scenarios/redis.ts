/**
 * Scenario 8, the budget shared through Redis and distributed runs, against the sandbox in its
 * own process and a throwaway redis-server, through the real CLI:
 *
 * 1. One HubSpot account allowing 50 requests per rolling second: four `tickets-update`
 *    processes, each updating its own quarter of the tickets, either sharing the budget through
 *    `--redis` (each told the whole budget) or each told a quarter without Redis.
 * 2. A distributed run over eight accounts, each with its own budget (`--account`, enqueued as
 *    eight runs), taken by 1, 2 and 4 `bulk-clients worker` processes: aggregate records/s and
 *    Redis calls per batch sent (`INFO commandstats`).
 *
 * Skipped, with a note, when redis-server or redis-cli is not on the PATH.
 */
import * as path from 'node:path';
import { type NodeRun, runCli } from '../cli-process.js';
import type {
  IndependentCounters,
  IndependentServerOptions,
} from '../independent-rolling-server.js';
import {
  commandCalls,
  type RedisProcess,
  redisAvailable,
  startRedisProcess,
  totalCalls,
} from '../redis-process.js';
import type { BenchContext, Row, ScenarioResult } from '../result-types.js';
import { startSandboxProcess, startServerProcess } from '../sandbox-process.js';
import { type Summary, summarize } from '../stats.js';
import { cell, factCell, targetCell } from '../table.js';
import { writeTicketJsonl } from '../tickets.js';
import { steadyRecordsPerSecond } from './rate-limits.js';

const BATCH = 100;
const LATENCY_MS = 20;
const SEEDED = 40_000;
const TIMEOUT_MS = 240_000;
/** The account's budget in part 1. */
const SHARED = { requests: 50, perMs: 1000 };
const PROCESSES = 4;
const PROCESS_CONCURRENCY = 8;
/** Part 2: accounts, each budget, requests in flight per chunk, chunks per worker. */
/** Accounts of the distributed run (`--quick`: 4). */
const ACCOUNTS = 8;
const ACCOUNT_BUDGET = { requests: 10, perMs: 1000 };
const CHUNK_CONCURRENCY = 4;
const CHUNK_SIZE = 1000;
const WORKER_CONCURRENCY = 2;

interface CliReport {
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
}

function parseReport(run: NodeRun): CliReport {
  try {
    return JSON.parse(run.stdout) as CliReport;
  } catch {
    throw new Error(`the CLI exited with ${run.exitCode} without a JSON report: ${run.stderr}`);
  }
}

interface Measured {
  recordsPerSecond: number;
  rateLimited: number;
  failed: number;
  written: number;
  wallMs: number;
  redisCalls: number;
  batches: number;
  evalsha: number;
  /** Commands clients sent (round trips), scripts' own commands not counted. */
  roundTrips: number;
  /** The commands Redis counted most, for the log. */
  topCalls: string;
  /** Part 1: median time between a request and the one that took its place a window later. */
  windowTurnMs?: number;
}

/** Who answers part 1: the sandbox's rolling window, or the independent HubSpot stand-in. */
type SharedServer = 'sandbox' | 'independent';

async function startSharedServer(server: SharedServer) {
  if (server === 'independent') {
    const options: IndependentServerOptions = { requests: SHARED.requests, latencyMs: LATENCY_MS };
    const started = await startServerProcess<IndependentCounters>(
      './independent-rolling-server.ts',
      options,
      'the independent server',
    );
    return {
      url: started.url,
      stop: () => started.stop(),
      async counters() {
        const counters = await started.counters();
        // It keeps no tickets: what it accepted is what was written.
        return { ...counters, hubspotWrites: counters.accepted * BATCH };
      },
    };
  }
  return startSandboxProcess({
    tickets: SEEDED,
    latencyMs: LATENCY_MS,
    rateLimit: { ...SHARED, mode: 'rolling' },
  });
}

/** Part 1: four processes on one account, sharing through Redis or each given a quarter. */
async function sharedBudgetRun(
  context: BenchContext,
  shared: boolean,
  inputs: string[],
  server: SharedServer,
): Promise<Measured> {
  const sandbox = await startSharedServer(server);
  const redis = shared ? await startRedisProcess() : undefined;
  const stopMonitor = redis ? await redis.monitor() : undefined;
  try {
    const quarter = Math.floor(SHARED.requests / PROCESSES);
    const limit = shared
      ? [
          '--rate-limit',
          `${SHARED.requests}/${SHARED.perMs}`,
          '--redis',
          (redis as RedisProcess).url,
        ]
      : ['--rate-limit', `${quarter}/${SHARED.perMs}`];
    const runs = await Promise.all(
      inputs.map((input) =>
        runCli(
          context.repoRoot,
          [
            'hubspot',
            'tickets-update',
            '--input',
            input,
            '--base-url',
            sandbox.url,
            '--concurrency',
            String(PROCESS_CONCURRENCY),
            '--json',
            '--no-progress',
            ...limit,
          ],
          { timeoutMs: TIMEOUT_MS, captureStdout: true },
        ),
      ),
    );
    const reports = runs.map(parseReport);
    const counters = await sandbox.counters();
    const calls = redis ? await commandCalls(redis) : new Map<string, number>();
    const sent = stopMonitor ? await stopMonitor() : new Map<string, number>();
    return {
      recordsPerSecond: steadyRecordsPerSecond(counters.handledAt, SHARED),
      rateLimited: counters.rateLimited,
      failed: reports.reduce((sum, report) => sum + report.failed + report.unknown, 0),
      written: counters.hubspotWrites,
      wallMs: Math.max(...runs.map((run) => run.wallMs)),
      redisCalls: totalCalls(calls),
      batches: counters.handledAt.length,
      evalsha: calls.get('evalsha') ?? 0,
      roundTrips: totalCalls(sent),
      topCalls: `sent: ${topCalls(sent)}; run: ${topCalls(calls)}`,
      windowTurnMs: medianWindowTurn(counters.handledAt, SHARED.requests),
    };
  } finally {
    await redis?.stop();
    await sandbox.stop();
  }
}

/** Part 2: eight accounts' runs enqueued, then `workers` worker processes until the queue is empty. */
async function distributedRun(
  context: BenchContext,
  workers: number,
  inputs: string[],
): Promise<Measured> {
  // No server-side limit: each account's budget is the one its run was told, kept in Redis.
  const sandbox = await startSandboxProcess({ tickets: SEEDED, latencyMs: LATENCY_MS });
  const redis = await startRedisProcess();
  try {
    // The accounts' runs are enqueued together, as separate teams would.
    const enqueued = await Promise.all(
      inputs.map((input, index) =>
        runCli(
          context.repoRoot,
          [
            'hubspot',
            'tickets-update',
            '--input',
            input,
            '--base-url',
            sandbox.url,
            '--redis',
            redis.url,
            '--enqueue',
            '--account',
            `bench-account-${index + 1}`,
            '--rate-limit',
            `${ACCOUNT_BUDGET.requests}/${ACCOUNT_BUDGET.perMs}`,
            '--concurrency',
            String(CHUNK_CONCURRENCY),
            '--chunk-size',
            String(CHUNK_SIZE),
            '--chunks-per-account',
            '1',
            '--json',
            '--no-progress',
          ],
          { timeoutMs: 60_000, captureStdout: true },
        ),
      ),
    );
    for (const run of enqueued) {
      if (run.exitCode !== 0)
        throw new Error(`--enqueue exited with ${run.exitCode}: ${run.stderr}`);
    }
    // Counted from here: the workers' calls only, not the enqueuing.
    await redis.cli('CONFIG', 'RESETSTAT');
    const stopMonitor = await redis.monitor();
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: workers }, () =>
        runCli(
          context.repoRoot,
          [
            'worker',
            '--redis',
            redis.url,
            '--concurrency',
            String(WORKER_CONCURRENCY),
            '--exit-when-idle',
          ],
          { timeoutMs: TIMEOUT_MS },
        ),
      ),
    );
    const wallMs = performance.now() - started;
    for (const run of runs) {
      if (run.exitCode !== 0)
        throw new Error(`a worker exited with ${run.exitCode}: ${run.stderr}`);
    }
    const calls = await commandCalls(redis);
    const sent = await stopMonitor();
    const counters = await sandbox.counters();
    const handled = counters.handledAt;
    const first = handled[0] as number;
    const last = handled[handled.length - 1] as number;
    const expected = inputs.length * recordsPerAccount(context.quick);
    return {
      recordsPerSecond: ((handled.length - 1) * BATCH) / ((last - first) / 1000),
      rateLimited: counters.rateLimited,
      failed: expected - counters.hubspotWrites,
      written: counters.hubspotWrites,
      wallMs,
      redisCalls: totalCalls(calls),
      batches: handled.length,
      evalsha: calls.get('evalsha') ?? 0,
      roundTrips: totalCalls(sent),
      topCalls: `sent: ${topCalls(sent)}; run: ${topCalls(calls)}`,
    };
  } finally {
    await redis.stop();
    await sandbox.stop();
  }
}

/**
 * The best aggregate records/s of the distributed run: every account at once, each sending its
 * first window's budget at once and then its budget per window, so (requests / budget - 1)
 * windows for all of them.
 */
function distributedCeiling(accounts: number, perAccount: number): number {
  const requests = perAccount / BATCH;
  const accountMs = (requests / ACCOUNT_BUDGET.requests - 1) * ACCOUNT_BUDGET.perMs;
  return Math.round((accounts * perAccount) / (accountMs / 1000));
}

/**
 * How long each of the window's `requests` places takes to come round: the median, after the
 * first window, of the time from a request to the `requests`-th after it (the one that took its
 * place). A window of perMs can do no better than perMs; what is above it is lost per window.
 */
function medianWindowTurn(handledAt: readonly number[], requests: number): number {
  const turns: number[] = [];
  for (let k = requests - 1; k + requests < handledAt.length; k += 1) {
    turns.push((handledAt[k + requests] as number) - (handledAt[k] as number));
  }
  turns.sort((a, b) => a - b);
  return turns.length === 0 ? Number.NaN : (turns[Math.floor(turns.length / 2)] as number);
}

function topCalls(calls: Map<string, number>): string {
  return [...calls]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

function recordsPerAccount(quick: boolean): number {
  return quick ? 2000 : 10_000;
}

function metricsOf(runs: Measured[], ceiling: number): Record<string, Summary> {
  return {
    recordsPerSecond: summarize(runs.map((run) => run.recordsPerSecond)),
    efficiency: summarize(runs.map((run) => run.recordsPerSecond / ceiling)),
    rateLimited: summarize(runs.map((run) => run.rateLimited)),
    failed: summarize(runs.map((run) => run.failed)),
    wallSeconds: summarize(runs.map((run) => run.wallMs / 1000)),
    redisCallsPerBatch: summarize(runs.map((run) => run.redisCalls / run.batches)),
    roundTripsPerBatch: summarize(runs.map((run) => run.roundTrips / run.batches)),
    evalshaPerBatch: summarize(runs.map((run) => run.evalsha / run.batches)),
    ...(runs.every((run) => run.windowTurnMs !== undefined)
      ? { windowTurnMs: summarize(runs.map((run) => run.windowTurnMs as number)) }
      : {}),
  };
}

function skipped(reason: string): ScenarioResult {
  return {
    id: 'redis',
    title: '8. A budget shared through Redis, and distributed runs',
    setup: { skipped: reason },
    columns: [{ header: 'skipped', cell: (row) => row.variant }],
    rows: [],
    notes: [`Skipped: ${reason}.`],
  };
}

export async function redisScenario(context: BenchContext): Promise<ScenarioResult> {
  if (!redisAvailable()) {
    const reason = 'redis-server or redis-cli is not on the PATH (apt-get install redis-server)';
    context.log(`  skipped: ${reason}`);
    return skipped(reason);
  }
  const rows: Row[] = [];

  // Part 1.
  const total = context.quick ? 10_000 : 20_000;
  const each = total / PROCESSES;
  const quarters: string[] = [];
  for (let index = 0; index < PROCESSES; index += 1) {
    const file = path.join(context.tmpDir, `redis-quarter-${index}.jsonl`);
    await writeTicketJsonl(file, each, SEEDED, index * each);
    quarters.push(file);
  }
  const accountCeiling = (SHARED.requests / SHARED.perMs) * 1000 * BATCH;
  // --quick: the shared budget on the sandbox only.
  const variants: { shared: boolean; server: SharedServer }[] = context.quick
    ? [{ shared: true, server: 'sandbox' }]
    : [
        { shared: true, server: 'sandbox' },
        { shared: true, server: 'independent' },
        { shared: false, server: 'sandbox' },
        { shared: false, server: 'independent' },
      ];
  for (const { shared, server } of variants) {
    const runs: Measured[] = [];
    const serverLabel =
      server === 'sandbox'
        ? `sandbox rolling, ${SHARED.requests}/${SHARED.perMs} ms`
        : `independent rolling, ${SHARED.requests}/${SHARED.perMs} ms`;
    for (let run = 1; run <= context.runs; run += 1) {
      const measured = await sharedBudgetRun(context, shared, quarters, server);
      runs.push(measured);
      context.log(
        `  ${shared ? 'shared through Redis' : 'a quarter each'}, ${serverLabel}, run ${run}: ${Math.round(measured.recordsPerSecond)} records/s steady, window turn ${measured.windowTurnMs?.toFixed(1)} ms, ${measured.rateLimited} x 429, ${measured.failed} failed, ${(measured.wallMs / 1000).toFixed(1)} s, ${measured.roundTrips} Redis round trips, ${measured.redisCalls} commands for ${measured.batches} batches (${measured.topCalls})`,
      );
    }
    const row: Row = {
      variant: shared
        ? `${PROCESSES} CLI processes, --redis, each --rate-limit ${SHARED.requests}/${SHARED.perMs}`
        : `${PROCESSES} CLI processes, no Redis, each --rate-limit ${Math.floor(SHARED.requests / PROCESSES)}/${SHARED.perMs}`,
      metrics: metricsOf(runs, accountCeiling),
      facts: {
        part: 'one account',
        server: serverLabel,
        records: total,
        concurrency: `${PROCESS_CONCURRENCY} per process`,
        ceiling: accountCeiling,
      },
    };
    const efficiency = row.metrics.efficiency?.median ?? Number.NaN;
    const worst429 = Math.max(...runs.map((run) => run.rateLimited));
    const failed = Math.max(...runs.map((run) => run.failed));
    if (shared) {
      row.target = {
        description: 'efficiency >= 0.95 of the account ceiling, at most 1 x 429 in a run',
        met: efficiency >= 0.95 && worst429 <= 1 && failed === 0,
        detail: `efficiency ${efficiency.toFixed(3)}, at most ${worst429} x 429 in a run`,
      };
    }
    rows.push(row);
  }

  // Part 2.
  const perAccount = recordsPerAccount(context.quick);
  const accounts: string[] = [];
  const accountCount = context.quick ? 4 : ACCOUNTS;
  for (let index = 0; index < accountCount; index += 1) {
    const file = path.join(context.tmpDir, `redis-account-${index}.jsonl`);
    await writeTicketJsonl(file, perAccount, SEEDED, index * perAccount);
    accounts.push(file);
  }
  for (const workers of context.quick ? [2] : [1, 2, 4]) {
    const slots = Math.min(workers * WORKER_CONCURRENCY, accountCount);
    const workerCeiling = distributedCeiling(accountCount, perAccount);
    const runs: Measured[] = [];
    for (let run = 1; run <= context.runs; run += 1) {
      const measured = await distributedRun(context, workers, accounts);
      runs.push(measured);
      context.log(
        `  ${workers} worker(s) run ${run}: ${Math.round(measured.recordsPerSecond)} records/s, ${measured.written} written, ${(measured.wallMs / 1000).toFixed(1)} s, ${measured.roundTrips} Redis round trips, ${measured.redisCalls} commands for ${measured.batches} batches (${measured.topCalls})`,
      );
    }
    rows.push({
      variant: `${workers} worker${workers > 1 ? 's' : ''} x --concurrency ${WORKER_CONCURRENCY}`,
      metrics: metricsOf(runs, workerCeiling),
      facts: {
        part: 'distributed run',
        server: `sandbox, no limit; ${accountCount} accounts of ${ACCOUNT_BUDGET.requests}/${ACCOUNT_BUDGET.perMs} ms`,
        records: perAccount * accountCount,
        concurrency: `${slots} chunks x ${CHUNK_CONCURRENCY}`,
        ceiling: workerCeiling,
      },
    });
  }

  const perAccountNote =
    (perAccount / BATCH / ACCOUNT_BUDGET.requests - 1) * (ACCOUNT_BUDGET.perMs / 1000);
  return {
    id: 'redis',
    title: '8. A budget shared through Redis, and distributed runs',
    setup: {
      latencyMs: LATENCY_MS,
      batchSize: BATCH,
      processes: PROCESSES,
      processConcurrency: PROCESS_CONCURRENCY,
      accounts: accountCount,
      accountBudget: `${ACCOUNT_BUDGET.requests}/${ACCOUNT_BUDGET.perMs}ms`,
      chunkSize: CHUNK_SIZE,
      chunkConcurrency: CHUNK_CONCURRENCY,
      chunksPerAccount: 1,
      workerConcurrency: WORKER_CONCURRENCY,
      runs: context.runs,
    },
    columns: [
      { header: 'server', cell: (row) => factCell(row, 'server') },
      { header: 'clients', cell: (row) => row.variant },
      { header: 'records', cell: (row) => factCell(row, 'records') },
      { header: 'in flight', cell: (row) => factCell(row, 'concurrency') },
      { header: 'records/s', cell: (row) => cell(row, 'recordsPerSecond') },
      { header: 'ceiling', cell: (row) => factCell(row, 'ceiling') },
      { header: 'efficiency', cell: (row) => cell(row, 'efficiency', 3) },
      { header: 'window turn ms', cell: (row) => cell(row, 'windowTurnMs', 1) },
      { header: '429s', cell: (row) => cell(row, 'rateLimited') },
      { header: 'failed', cell: (row) => cell(row, 'failed') },
      { header: 'Redis round trips / batch', cell: (row) => cell(row, 'roundTripsPerBatch', 1) },
      { header: 'Redis commands / batch', cell: (row) => cell(row, 'redisCallsPerBatch', 1) },
      { header: 'wall s', cell: (row) => cell(row, 'wallSeconds', 1) },
      { header: 'target', cell: targetCell },
    ],
    rows,
    notes: [
      `One account: records/s measured on the sandbox after the first window, as in scenario 7 (from its ${SHARED.requests}-th accepted request to its last); ceiling = ${SHARED.requests} requests/s x ${BATCH}. Each process updates its own quarter of the tickets; 429s are the sandbox's count; wall s is the slowest process, start-up included. Window turn ms: the median time, after the first window, from an accepted request to the ${SHARED.requests}-th after it (the one that took its place in the window); ${SHARED.perMs} at best.`,
      `Distributed run: ${accountCount} runs enqueued (one per \`--account\`, each \`--rate-limit ${ACCOUNT_BUDGET.requests}/${ACCOUNT_BUDGET.perMs}\`, \`--chunk-size ${CHUNK_SIZE}\`, \`--chunks-per-account 1\`, \`--concurrency ${CHUNK_CONCURRENCY}\`), then the workers (\`--concurrency ${WORKER_CONCURRENCY} --exit-when-idle\`) started together. records/s = accepted requests x ${BATCH} over the time from the sandbox's first accepted request to its last; ceiling = the sum of the ${accountCount} budgets: every account at once, each sending its first ${ACCOUNT_BUDGET.requests} requests at once and ${ACCOUNT_BUDGET.requests} per second after, so at least ${perAccountNote} s for the run (a chunk is one window's budget, so a worker slot moves on to another account's chunk while one account waits); failed = records not written on the sandbox; wall s = workers started to all exited.`,
      "Redis round trips / batch: the commands the clients sent (counted with MONITOR: the limiter's EVALSHA calls, the journal, BullMQ), over the batches the sandbox accepted; Redis commands / batch: every command Redis ran (`INFO commandstats`, the scripts' own commands included). For the distributed run both count from the workers' start, the enqueuing excluded.",
    ],
  };
}
