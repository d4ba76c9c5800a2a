/**
 * Scenario 4, polling: Thought Industries background jobs (a certificate template bulk create)
 * that settle after 0.2 s, 2 s and 20 s. The library's wait (`waitForBackgroundJob`, which is
 * core's `pollUntilDone` with the client's defaults: first read at once, then 1 s growing to
 * 15 s with jitter) against a loop reading the job every second. Detection delay is the time
 * from the job's settling (its `createdAt` plus the sandbox's job duration) to the read that
 * saw it settled. All runs of one duration poll concurrently, each for its own job, so the
 * 20 s case costs 20 s of wall time rather than 20 s per run.
 */
import {
  type BackgroundJob,
  createThoughtIndustriesClient,
  defaultJobPollOptions,
  type ThoughtIndustriesApi,
  unwrap,
  waitForBackgroundJob,
} from '@bulk-clients/thought-industries';
import type { BenchContext, Row, ScenarioResult } from '../result-types.js';
import { SANDBOX_TOKEN, startSandboxProcess } from '../sandbox-process.js';
import { summarize } from '../stats.js';
import { cell, targetCell } from '../table.js';

interface PollRun {
  polls: number;
  delayMs: number;
}

const FIXED_INTERVAL_MS = 1000;

async function startJob(api: ThoughtIndustriesApi, n: number): Promise<BackgroundJob> {
  const answer = unwrap(
    await api.POST('/incoming/v2/content/certificate-templates/bulk', {
      body: { templates: [{ title: `Bench template ${n}` }] },
    }),
  );
  const job = answer.data.APIBulkCreateCertificateTemplates.backgroundJob;
  if (!job) throw new Error('the bulk create started no background job');
  return job;
}

function settledAt(job: BackgroundJob, durationMs: number): number {
  return Date.parse(job.createdAt) + durationMs;
}

async function pollLibrary(
  api: ThoughtIndustriesApi,
  job: BackgroundJob,
  durationMs: number,
): Promise<PollRun> {
  const result = await waitForBackgroundJob(api, job, {
    httpTimeoutMs: 10_000,
    maxWaitMs: 120_000,
  });
  if (result.state !== 'succeeded') throw new Error(`the job ended ${result.state}`);
  return { polls: result.polls, delayMs: Date.now() - settledAt(job, durationMs) };
}

async function pollFixed(
  api: ThoughtIndustriesApi,
  job: BackgroundJob,
  durationMs: number,
): Promise<PollRun> {
  const deadline = Date.now() + 120_000;
  let polls = 0;
  while (Date.now() < deadline) {
    polls += 1;
    const answer = unwrap(
      await api.GET('/incoming/v2/jobs/{id}', { params: { path: { id: job.id } } }),
    );
    const status = answer.data.APIBackgroundJob.status;
    if (status === 'complete') return { polls, delayMs: Date.now() - settledAt(job, durationMs) };
    if (status === 'failed') throw new Error('the job failed');
    await new Promise((resolve) => setTimeout(resolve, FIXED_INTERVAL_MS));
  }
  throw new Error('the job did not settle within 120 s');
}

export async function pollingScenario(context: BenchContext): Promise<ScenarioResult> {
  const durations = context.quick ? [200, 500, 1000] : [200, 2000, 20_000];
  const minDelayMs = defaultJobPollOptions.minDelayMs;
  const rows: Row[] = [];
  for (const durationMs of durations) {
    const sandbox = await startSandboxProcess({ tickets: 0, jobMs: durationMs });
    try {
      // No client-side limit: the scenario measures the polling schedule, not the budget.
      const { api } = createThoughtIndustriesClient({
        token: SANDBOX_TOKEN,
        baseUrl: sandbox.url,
        rateLimit: false,
      });
      const library: Promise<PollRun>[] = [];
      const fixed: Promise<PollRun>[] = [];
      for (let run = 0; run < context.runs; run += 1) {
        library.push(startJob(api, run).then((job) => pollLibrary(api, job, durationMs)));
        fixed.push(startJob(api, run + 100).then((job) => pollFixed(api, job, durationMs)));
      }
      const variants: [string, PollRun[]][] = [
        ['pollUntilDone (waitForBackgroundJob)', await Promise.all(library)],
        [`fixed ${FIXED_INTERVAL_MS / 1000} s polling`, await Promise.all(fixed)],
      ];
      for (const [name, runs] of variants) {
        rows.push({
          variant: `${durationMs / 1000} s job: ${name}`,
          metrics: {
            polls: summarize(runs.map((r) => r.polls)),
            delayMs: summarize(runs.map((r) => r.delayMs)),
          },
          facts: { durationMs },
        });
      }
      const [ours, loop] = rows.slice(-2) as [Row, Row];
      const limit = durationMs * 0.1 + minDelayMs;
      const delay = ours.metrics.delayMs?.median ?? 0;
      const polls = ours.metrics.polls?.median ?? 0;
      const loopPolls = loop.metrics.polls?.median ?? 0;
      ours.target = {
        description:
          'detection delay <= 10% of the job + minDelayMs, with fewer polls than fixed 1 s',
        // A job still pending at the first read needs two reads whatever the schedule: equal
        // counts are the floor there, so only more polls than the loop miss.
        met: delay <= limit && polls <= loopPolls,
        detail: `delay ${Math.round(delay)} ms vs ${Math.round(limit)} ms allowed, ${polls} polls vs ${loopPolls}`,
      };
      context.log(`  ${durationMs} ms jobs: ${ours.target.detail}`);
    } finally {
      await sandbox.stop();
    }
  }
  return {
    id: 'polling',
    title: '4. Polling Thought Industries background jobs',
    setup: {
      durationsMs: durations.join(', '),
      minDelayMs,
      maxDelayMs: defaultJobPollOptions.maxDelayMs,
      runs: context.runs,
    },
    columns: [
      { header: 'job / poller', cell: (row) => row.variant },
      { header: 'polls', cell: (row) => cell(row, 'polls') },
      { header: 'detection delay ms', cell: (row) => cell(row, 'delayMs') },
      { header: 'target', cell: targetCell },
    ],
    rows,
    notes: [
      'A poll is one `GET /incoming/v2/jobs/{id}`. The sandbox runs on the real clock (no time scaling), so the delays are real.',
    ],
  };
}
