/**
 * Scenario 7, rate limits as vendors enforce them: HubSpot ticket updates, batches of 100, 20 ms
 * of latency, concurrency 8, against the sandbox counting each way a vendor does (`bucket`,
 * `fixed`, `rolling`) at one budget, through the real CLI; the previous limiter (a token bucket)
 * and the official client at the same budgets for comparison; the CLI told nothing, learning the
 * budget from HubSpot's headers; a spent daily budget; and a server that shares no code with the
 * sandbox. Every run gets a fresh server process; 429s are the servers' own counts.
 */
import * as path from 'node:path';
import type { RateLimitMode } from '@bulk-clients/sandbox';
import { runCli } from '../cli-process.js';
import type {
  IndependentCounters,
  IndependentServerOptions,
} from '../independent-rolling-server.js';
import type { BenchContext, Row, ScenarioResult } from '../result-types.js';
import {
  SANDBOX_TOKEN,
  type ServerProcess,
  startSandboxProcess,
  startServerProcess,
} from '../sandbox-process.js';
import type { SandboxServerOptions } from '../sandbox-server.js';
import { type Summary, summarize } from '../stats.js';
import { cell, factCell, targetCell, throughputColumns } from '../table.js';
import { writeTicketJsonl } from '../tickets.js';
import { runTrial } from '../trial-process.js';
import type { ClientName } from '../trial-types.js';

const BATCH = 100;
const LATENCY_MS = 20;
const CONCURRENCY = 8;
const SEEDED = 20_000;
/** HubSpot's documented default, which the CLI starts from when told nothing. */
const HUBSPOT_DEFAULT = { requests: 100, perMs: 10_000 };
const MODES: RateLimitMode[] = ['bucket', 'fixed', 'rolling'];

interface Budget {
  requests: number;
  perMs: number;
}

/** Who sends: the CLI (with or without `--rate-limit`) or a library client in a trial process. */
type Sender =
  | { kind: 'cli'; told: boolean; journal?: boolean }
  | { kind: 'trial'; client: ClientName; concurrency: number };

/** Who answers: the sandbox in a mode, or the independent server. */
type Server =
  | { kind: 'sandbox'; mode: RateLimitMode; dailyLimit?: number }
  | { kind: 'independent' };

interface Case {
  label: string;
  server: Server;
  /** The server's budget; the CLI is told it when `told`. */
  budget: Budget;
  sender: Sender;
  records: number;
  target?: 'told' | 'learned-190' | 'learned-50' | 'daily';
}

interface Measured {
  succeeded: number;
  failed: number;
  skipped: number;
  total: number;
  wallMs: number;
  exitCode: number | null;
  rateLimited: number;
  afterDailyLimit: number;
  /** Accepted requests' arrival (or handling) times on the server, in order. */
  handledAt: number[];
  budgetSource: string;
}

function serverLabel(server: Server, budget: Budget): string {
  const per = `${budget.requests}/${budget.perMs} ms`;
  if (server.kind === 'independent') return `independent rolling, ${per}`;
  return `sandbox ${server.mode}, ${per}${server.dailyLimit !== undefined ? `, ${server.dailyLimit}/day` : ''}`;
}

function senderLabel(sender: Sender, budget: Budget): string {
  if (sender.kind === 'cli') {
    return sender.told
      ? `CLI --rate-limit ${budget.requests}/${budget.perMs}`
      : 'CLI, no --rate-limit (headers)';
  }
  switch (sender.client) {
    case 'ours-legacy-bucket':
      return `previous limiter: token bucket ${budget.requests}/${budget.perMs}, burst ${budget.requests}`;
    case 'official':
      return '@hubspot/api-client, README limiter';
    case 'official-tuned':
      return `@hubspot/api-client, limiter ${budget.requests}/${budget.perMs}`;
    default:
      return sender.client;
  }
}

/** The best records/s at `budget`: the steady-state min(rate x batch, concurrency x batch / latency). */
function ceiling(budget: Budget, concurrency: number): number {
  const byRate = (budget.requests / budget.perMs) * 1000 * BATCH;
  const byLatency = (concurrency * BATCH) / (LATENCY_MS / 1000);
  return Math.min(byRate, byLatency);
}

/**
 * Records/s after the first window: a server that counts windows accepts the first `requests` at
 * once, so the run is measured from the moment the server accepted the `requests`-th request to
 * the moment it accepted the last, over the requests accepted in between. With a whole number of
 * windows' worth of requests, a client that sends exactly the budget in every window measures
 * exactly the ceiling, whether it sends in bursts or evenly paced.
 */
export function steadyRecordsPerSecond(handledAt: readonly number[], budget: Budget): number {
  const n = handledAt.length;
  if (n <= budget.requests) return Number.NaN;
  const from = handledAt[budget.requests - 1] as number;
  const to = handledAt[n - 1] as number;
  return ((n - budget.requests) * BATCH) / ((to - from) / 1000);
}

function casesFor(quick: boolean): Case[] {
  const budget: Budget = { requests: 50, perMs: 1000 };
  const records = quick ? 10_000 : 20_000;
  const cases: Case[] = [];
  for (const mode of MODES) {
    const server: Server = { kind: 'sandbox', mode };
    cases.push(
      { label: '', server, budget, sender: { kind: 'cli', told: true }, records, target: 'told' },
      {
        label: '',
        server,
        budget,
        sender: { kind: 'trial', client: 'ours-legacy-bucket', concurrency: CONCURRENCY },
        records,
      },
    );
    if (!quick) {
      // Its retry of a 429 waits 10 s: too slow for the smoke run.
      cases.push({
        label: '',
        server,
        budget,
        sender: { kind: 'trial', client: 'official-tuned', concurrency: CONCURRENCY },
        records,
      });
    }
    if (!quick && mode === 'rolling') {
      // Its README limiter makes 9 requests a second whatever the budget.
      cases.push({
        label: '',
        server,
        budget,
        sender: { kind: 'trial', client: 'official', concurrency: 6 },
        records,
      });
    }
  }
  // 1.9x HubSpot's default (190 per 10 s); quick: the same rate over a 2 s window.
  const learned: Budget = quick ? { requests: 38, perMs: 2000 } : { requests: 190, perMs: 10_000 };
  cases.push(
    {
      label: '',
      server: { kind: 'sandbox', mode: 'rolling' },
      budget: learned,
      sender: { kind: 'cli', told: false },
      records: learned.requests * 3 * BATCH,
      target: 'learned-190',
    },
    {
      label: '',
      server: { kind: 'sandbox', mode: 'rolling' },
      budget,
      sender: { kind: 'cli', told: false },
      records,
      target: 'learned-50',
    },
    {
      label: '',
      server: { kind: 'sandbox', mode: 'rolling', dailyLimit: quick ? 20 : 60 },
      budget,
      sender: { kind: 'cli', told: true, journal: true },
      records,
      target: 'daily',
    },
    {
      label: '',
      server: { kind: 'independent' },
      budget,
      sender: { kind: 'cli', told: true },
      records,
      target: 'told',
    },
  );
  for (const each of cases) each.label = senderLabel(each.sender, each.budget);
  return cases;
}

async function startServer(
  server: Server,
  budget: Budget,
): Promise<ServerProcess<{ rateLimited: number; handledAt: number[]; afterDailyLimit?: number }>> {
  if (server.kind === 'independent') {
    if (budget.perMs !== 1000) throw new TypeError('The independent server counts one second');
    const options: IndependentServerOptions = { requests: budget.requests, latencyMs: LATENCY_MS };
    return startServerProcess<IndependentCounters>(
      './independent-rolling-server.ts',
      options,
      'the independent server',
    );
  }
  const options: SandboxServerOptions = {
    tickets: SEEDED,
    latencyMs: LATENCY_MS,
    rateLimit: { ...budget, mode: server.mode },
    ...(server.dailyLimit !== undefined ? { dailyLimit: server.dailyLimit } : {}),
  };
  return startSandboxProcess(options);
}

interface CliReport {
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  rateLimit?: { source: string };
}

async function runOnce(context: BenchContext, spec: Case, input: string): Promise<Measured> {
  const server = await startServer(spec.server, spec.budget);
  try {
    let measured: Omit<Measured, 'rateLimited' | 'afterDailyLimit' | 'handledAt'>;
    const timeoutMs = 180_000;
    if (spec.sender.kind === 'cli') {
      const args = [
        'hubspot',
        'tickets-update',
        '--input',
        input,
        '--base-url',
        server.url,
        '--concurrency',
        String(CONCURRENCY),
        '--json',
        '--no-progress',
        ...(spec.sender.told
          ? ['--rate-limit', `${spec.budget.requests}/${spec.budget.perMs}`]
          : []),
        ...(spec.sender.journal
          ? ['--journal', path.join(context.tmpDir, `journal-${process.hrtime.bigint()}.jsonl`)]
          : []),
      ];
      const run = await runCli(context.repoRoot, args, { timeoutMs, captureStdout: true });
      let report: CliReport;
      try {
        report = JSON.parse(run.stdout) as CliReport;
      } catch {
        throw new Error(`the CLI exited with ${run.exitCode} without a JSON report: ${run.stderr}`);
      }
      measured = {
        succeeded: report.succeeded,
        failed: report.failed + report.unknown,
        skipped: report.skipped,
        total: report.total,
        wallMs: run.wallMs,
        exitCode: run.exitCode,
        budgetSource: report.rateLimit?.source ?? '',
      };
    } else {
      const result = await runTrial(
        {
          client: spec.sender.client,
          baseUrl: server.url,
          token: SANDBOX_TOKEN,
          records: spec.records,
          seeded: SEEDED,
          batchSize: BATCH,
          concurrency: spec.sender.concurrency,
          rateLimit: spec.budget,
        },
        timeoutMs,
      );
      measured = {
        succeeded: result.succeeded,
        failed: result.failed,
        skipped: 0,
        total: spec.records,
        wallMs: result.wallMs,
        exitCode: null,
        budgetSource: 'configured',
      };
    }
    const counters = await server.counters();
    return {
      ...measured,
      rateLimited: counters.rateLimited,
      afterDailyLimit: counters.afterDailyLimit ?? 0,
      handledAt: counters.handledAt,
    };
  } finally {
    await server.stop();
  }
}

function targetOf(spec: Case, row: Row, runs: Measured[]): Row['target'] {
  const efficiency = row.metrics.efficiency?.median ?? Number.NaN;
  const worst429 = Math.max(...runs.map((run) => run.rateLimited));
  const failed = Math.max(...runs.map((run) => run.failed));
  switch (spec.target) {
    case 'told':
      return {
        description: 'efficiency >= 0.95, at most 1 x 429 in a run',
        met: efficiency >= 0.95 && worst429 <= 1 && failed === 0,
        detail: `efficiency ${efficiency.toFixed(3)}, at most ${worst429} x 429 in a run`,
      };
    case 'learned-190':
      return {
        description: 'efficiency >= 0.90, budget learned from headers',
        met: efficiency >= 0.9 && failed === 0,
        detail: `efficiency ${efficiency.toFixed(3)}, at most ${worst429} x 429 in a run`,
      };
    case 'learned-50':
      return {
        description: 'efficiency >= 0.85, at most 2 x 429, budget learned from headers',
        met: efficiency >= 0.85 && worst429 <= 2 && failed === 0,
        detail: `efficiency ${efficiency.toFixed(3)}, at most ${worst429} x 429 in a run`,
      };
    case 'daily': {
      const after = Math.max(...runs.map((run) => run.afterDailyLimit));
      const exits = [...new Set(runs.map((run) => run.exitCode))];
      const balanced = runs.every((run) => run.succeeded + run.skipped + run.failed === run.total);
      const first = runs[0] as Measured;
      return {
        description: `sent after the daily budget <= concurrency (${CONCURRENCY}), exit 1, succeeded + skipped + failed = total`,
        met: after <= CONCURRENCY && exits.length === 1 && exits[0] === 1 && balanced,
        detail: `at most ${after} sent after the budget, exit ${exits.join('/')}, ${first.succeeded} + ${first.skipped} skipped + ${first.failed} failed ${balanced ? '=' : '!='} ${first.total}`,
      };
    }
    default:
      return undefined;
  }
}

export async function rateLimitsScenario(context: BenchContext): Promise<ScenarioResult> {
  const cases = casesFor(context.quick);
  const inputs = new Map<number, string>();
  for (const spec of cases) {
    if (inputs.has(spec.records)) continue;
    const file = path.join(context.tmpDir, `rate-limits-${spec.records}.jsonl`);
    await writeTicketJsonl(file, spec.records, SEEDED);
    inputs.set(spec.records, file);
  }
  const rows: Row[] = [];
  for (const spec of cases) {
    const concurrency = spec.sender.kind === 'trial' ? spec.sender.concurrency : CONCURRENCY;
    const steadyCeiling = ceiling(spec.budget, concurrency);
    const runs: Measured[] = [];
    for (let run = 1; run <= context.runs; run += 1) {
      const measured = await runOnce(context, spec, inputs.get(spec.records) as string);
      runs.push(measured);
      context.log(
        `  ${serverLabel(spec.server, spec.budget)} / ${spec.label} run ${run}: ${Math.round(steadyRecordsPerSecond(measured.handledAt, spec.budget))} records/s steady, ${measured.rateLimited} x 429, ${measured.failed} failed, exit ${measured.exitCode ?? '-'}, ${(measured.wallMs / 1000).toFixed(1)} s`,
      );
    }
    const daily = spec.target === 'daily';
    const steady = runs.map((run) => steadyRecordsPerSecond(run.handledAt, spec.budget));
    const metrics: Record<string, Summary> = {
      rateLimited: summarize(runs.map((run) => run.rateLimited)),
      failed: summarize(runs.map((run) => run.failed)),
      wallSeconds: summarize(runs.map((run) => run.wallMs / 1000)),
      succeeded: summarize(runs.map((run) => run.succeeded)),
    };
    if (!daily) {
      metrics.recordsPerSecond = summarize(steady);
      metrics.efficiency = summarize(steady.map((value) => value / steadyCeiling));
    } else {
      metrics.afterDailyLimit = summarize(runs.map((run) => run.afterDailyLimit));
      metrics.skipped = summarize(runs.map((run) => run.skipped));
    }
    const row: Row = {
      variant: spec.label,
      metrics,
      facts: {
        server: serverLabel(spec.server, spec.budget),
        records: spec.records,
        concurrency,
        ceiling: daily ? null : steadyCeiling,
        exitCode: runs[0]?.exitCode ?? null,
        budgetSource: runs[0]?.budgetSource ?? '',
      },
    };
    row.target = targetOf(spec, row, runs);
    rows.push(row);
  }
  return {
    id: 'rate-limits',
    title: '7. Rate limits as vendors enforce them',
    setup: {
      latencyMs: LATENCY_MS,
      batchSize: BATCH,
      concurrency: CONCURRENCY,
      hubspotDefault: `${HUBSPOT_DEFAULT.requests}/${HUBSPOT_DEFAULT.perMs}ms`,
      runs: context.runs,
    },
    columns: [
      { header: 'server', cell: (row) => factCell(row, 'server') },
      { header: 'client', cell: (row) => row.variant },
      ...throughputColumns,
      { header: '429s', cell: (row) => cell(row, 'rateLimited') },
      { header: 'failed', cell: (row) => cell(row, 'failed') },
      { header: 'wall s', cell: (row) => cell(row, 'wallSeconds', 1) },
      { header: 'target', cell: targetCell },
    ],
    rows,
    notes: [
      `records/s is measured on the server, after the first window: from the moment it accepted the budget's \`requests\`-th request to the moment it accepted the last, over the requests accepted in between, x ${BATCH} records. Each run is a whole number of windows' worth of requests, so a client that sends exactly the budget in every window measures the ceiling, bursting or paced. The sandbox's times are when a request reached its handler (acceptance + ${LATENCY_MS} ms latency + body read, a constant offset); the independent server's are arrivals.`,
      `ceiling = min(rate x batch, concurrency x batch / latency); efficiency = records/s / ceiling. wall s is the client process from start to exit (start-up, the first window and the last answers included).`,
      "429s are the servers' own counts (the sandbox's fault counters, the independent server's counter).",
      `Told nothing, the CLI starts from HubSpot's documented ${HUBSPOT_DEFAULT.requests} per ${HUBSPOT_DEFAULT.perMs / 1000} s and follows the X-HubSpot-RateLimit-Max / -Interval-Milliseconds of each answer.`,
    ],
  };
}
