/**
 * One crash trial: run a job's command, stop it at seeded random moments (SIGKILL, or SIGINT /
 * SIGTERM), rerun it with `--resume` until it finishes, then check the sandbox's state, the report
 * and the files against the job's input.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliResult, startCli, TOKEN } from './cli-child.js';
import type { CrashJob } from './crash-jobs.js';
import { readJournalSnapshot } from './journal-snapshot.js';
import { seededRandom } from './seeded-random.js';

export interface TrialPlan {
  /** Seeds every kill moment. */
  seed: number;
  /** How many runs to stop before the one allowed to finish. */
  stops: number;
  /** @default 'SIGKILL' */
  signal?: 'SIGKILL' | 'SIGINT' | 'SIGTERM';
  /** Tuning flags (batch size, concurrency, poll interval). */
  flags: readonly string[];
  /** Share of stops made at a seeded time after start instead of after some writes. @default 0.15 */
  earlyShare?: number;
  /**
   * Faults turned on for the first resumed run after the stops, and off before the next one: that
   * run must end (exit 1, what it cannot tell `unknown`), and a later one finish the job.
   */
  degradedResume?: { on(): void; off(): void };
}

/** One stop of a run. */
export interface StopRecord {
  /** `after 7,350 writes +4 ms`, or `at 80 ms` for a stop timed from the start. */
  moment: string;
  /** Records the sandbox had written for the job when the signal was sent. */
  writtenAtStop: number;
  /** Records sent without an answer on record in the journal once the run was gone. */
  inFlight: number;
  /** Of those, how many the sandbox had applied: what a resumed run must not write again blindly. */
  appliedInFlight: number;
  /** How the stopped run ended: `SIGKILL`, `exit 130`, or `finished first`. */
  ended: string;
  /** The journal ended in a line cut short. */
  tornTail: boolean;
}

/** What the final (finished) run reported with `--json`. */
export interface FinalReport {
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  invalid: number;
  resumed?: number;
}

export interface TrialResult {
  label: string;
  seed: number;
  signal: string;
  records: number;
  stops: StopRecord[];
  /** Runs with `--resume` until one exited 0 or 1. */
  resumes: number;
  final: CliResult;
  report: FinalReport | undefined;
  /** Records written more than once (only allowed for updates whose batch was in flight). */
  rewritten: number;
  /** Records the final report calls unknown. */
  unknown: number;
  /** The run under `degradedResume`: its exit code and report, and the writes it left. */
  degraded?: { code: number | null; report: FinalReport | undefined; writtenTwice: number };
  /** Everything wrong; empty when the trial passes. */
  problems: string[];
  durationMs: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// After a kill, requests the child had already written to its socket may still be read and
// applied by the sandbox. The injected latency is a few ms; this leaves ample margin before the
// state is read as "what the crash left".
const DRAIN_MS = 150;

// A resumed run that keeps ending neither 0 nor 1 is a failure, not something to retry forever.
const MAX_FINAL_RUNS = 3;

/** Runs `job` under `plan` in `dir` (journal, report and failed-record files go there). */
export async function runTrial(job: CrashJob, plan: TrialPlan, dir: string): Promise<TrialResult> {
  const started = Date.now();
  const random = seededRandom(plan.seed);
  const signal = plan.signal ?? 'SIGKILL';
  const files = {
    journal: join(dir, 'run.journal'),
    report: join(dir, 'report.json'),
    failed: join(dir, 'failed.jsonl'),
  };
  const args = [
    ...job.args,
    ...plan.flags,
    '--rate-limit',
    '100000/1000',
    '--no-progress',
    '--json',
    '--journal',
    files.journal,
    '--report',
    files.report,
    '--failed-out',
    files.failed,
  ];
  const problems: string[] = [];
  const outputs: string[] = [];
  const stops: StopRecord[] = [];
  // Write counts of the records settled in the journal at each stop: they must never change.
  const settledWrites = new Map<number, number>();
  let runId: string | undefined;
  let finished: CliResult | undefined;

  for (let stop = 0; stop < plan.stops && finished === undefined; stop++) {
    const run = startCli(stop === 0 ? args : [...args, '--resume']);
    const early = random() < (plan.earlyShare ?? 0.15);
    const delayMs = Math.floor(random() * (early ? 300 : 12));
    const share = 0.05 + random() * 0.85;
    let moment: string;
    if (early) {
      moment = `at ${delayMs} ms`;
      await pause(delayMs);
    } else {
      const from = job.progress();
      const target = from + Math.max(1, Math.floor((job.records - from) * share));
      moment = `after ${target.toLocaleString('en-US')} writes +${delayMs} ms`;
      while (!run.exited() && job.progress() < target) await pause(1);
      await pause(delayMs);
    }
    const writtenAtStop = job.progress();
    if (!run.exited()) run.child.kill(signal);
    const result = await run.done;
    outputs.push(result.stdout, result.stderr);
    await pause(DRAIN_MS);
    runId ??= await runIdOf(files.journal);
    const journal = await readJournalSnapshot(files.journal);
    const writes = runId === undefined ? () => 0 : job.writes(runId);
    for (const index of journal.settled) settledWrites.set(index, writes(index));
    let appliedInFlight = 0;
    for (const index of journal.inFlight) if (writes(index) > 0) appliedInFlight++;
    const ended =
      result.signal !== null
        ? result.signal
        : result.code === 0 || result.code === 1
          ? 'finished first'
          : `exit ${result.code}`;
    stops.push({
      moment,
      writtenAtStop,
      inFlight: journal.inFlight.size,
      appliedInFlight,
      ended,
      tornTail: journal.tornTail,
    });
    if (ended === 'finished first') {
      finished = result;
    } else if (signal !== 'SIGKILL') {
      // A clean stop: exit 130 with every batch in flight settled and on record.
      if (result.code !== 130) problems.push(`a ${signal} ended with ${ended}, not exit 130`);
      if (journal.openBatches > 0 || journal.tornTail) {
        problems.push(`after ${signal} the journal holds ${journal.openBatches} open batches`);
      }
      if (!/Interrupted/.test(result.stderr))
        problems.push(`no "Interrupted" note after ${signal}`);
    }
  }

  let resumes = 0;
  let degraded: TrialResult['degraded'];
  if (finished === undefined && plan.degradedResume !== undefined) {
    resumes++;
    plan.degradedResume.on();
    let result: CliResult;
    try {
      result = await startCli([...args, '--resume']).done;
    } finally {
      plan.degradedResume.off();
    }
    outputs.push(result.stdout, result.stderr);
    runId ??= await runIdOf(files.journal);
    const writes = runId === undefined ? () => 0 : job.writes(runId);
    let writtenTwice = 0;
    for (let index = 0; index < job.records; index++) if (writes(index) > 1) writtenTwice++;
    degraded = { code: result.code, report: parseReport(result.stdout, problems), writtenTwice };
  }
  while (finished === undefined && resumes < MAX_FINAL_RUNS) {
    resumes++;
    const result = await startCli([...args, '--resume']).done;
    outputs.push(result.stdout, result.stderr);
    if (result.code === 0 || result.code === 1) finished = result;
    else problems.push(`a resumed run ended with ${result.code ?? result.signal}`);
  }
  // Every run after the first one was a --resume.
  resumes += stops.length - 1;
  const final = finished ?? { code: null, signal: null, stdout: '', stderr: '' };
  runId ??= await runIdOf(files.journal);

  const report = parseReport(final.stdout, problems);
  const unknownIndexes = new Set<number>();
  const failedEntries = await readFailedRecords(files.failed, problems);
  for (const entry of failedEntries)
    if (entry.state === 'unknown') unknownIndexes.add(entry.line - job.firstLine);
  if (report !== undefined) checkReport(job, report, failedEntries, problems);

  let rewritten = 0;
  if (runId === undefined) {
    problems.push('the journal holds no run id');
  } else {
    const writes = job.writes(runId);
    for (let index = 0; index < job.records; index++) {
      const count = writes(index);
      if (job.invalid.has(index)) {
        if (count !== 0) problems.push(`invalid record ${index} was written ${count} times`);
        continue;
      }
      if (count > 1) rewritten++;
      const settledAt = settledWrites.get(index);
      if (settledAt !== undefined && count !== settledAt) {
        problems.push(`record ${index}, settled before a stop, was written again (${count})`);
      } else if (unknownIndexes.has(index) ? count > 1 : count !== 1 && !job.rewriteInFlight) {
        problems.push(`record ${index} was written ${count} times`);
      } else if (count === 0 && !unknownIndexes.has(index)) {
        problems.push(`record ${index} was never written`);
      }
    }
    problems.push(...job.finalProblems(runId));
  }
  if (signal !== 'SIGKILL' && rewritten > 0) {
    problems.push(`${rewritten} records written twice across a clean ${signal} stop`);
  }
  await checkFiles([files.journal, files.report, files.failed], outputs, problems);

  return {
    label: job.label,
    seed: plan.seed,
    signal,
    records: job.records,
    stops,
    resumes,
    final,
    report,
    rewritten,
    unknown: unknownIndexes.size,
    ...(degraded === undefined ? {} : { degraded }),
    problems: problems.slice(0, 20),
    durationMs: Date.now() - started,
  };
}

async function runIdOf(journal: string): Promise<string | undefined> {
  try {
    const first = (await readFile(journal, 'utf8')).split('\n', 1)[0] ?? '';
    const record = JSON.parse(first) as { type?: string; runId?: string };
    return record.type === 'start' ? record.runId : undefined;
  } catch {
    return undefined;
  }
}

function parseReport(stdout: string, problems: string[]): FinalReport | undefined {
  try {
    return JSON.parse(stdout) as FinalReport;
  } catch {
    problems.push(`the final run printed no JSON report: ${stdout.slice(0, 200)}`);
    return undefined;
  }
}

interface FailedEntry {
  line: number;
  state: string;
}

async function readFailedRecords(path: string, problems: string[]): Promise<FailedEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    problems.push('no --failed-out file');
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FailedEntry);
}

/** The report and the failed-record file account for every record, each once. */
function checkReport(
  job: CrashJob,
  report: FinalReport,
  failed: readonly FailedEntry[],
  problems: string[],
): void {
  const { total, succeeded, failed: failedCount, unknown, skipped, invalid } = report;
  if (total !== job.records) problems.push(`report total ${total}, input ${job.records}`);
  if (succeeded + failedCount + unknown + skipped !== total) {
    problems.push(`report ${succeeded}+${failedCount}+${unknown}+${skipped} !== ${total}`);
  }
  if (skipped !== 0) problems.push(`${skipped} records skipped by a finished run`);
  if (invalid !== job.invalid.size)
    problems.push(`report invalid ${invalid}, input ${job.invalid.size}`);
  if (succeeded + unknown !== job.records - job.invalid.size) {
    problems.push(
      `report succeeded ${succeeded} + unknown ${unknown}, valid ${job.records - job.invalid.size}`,
    );
  }
  const lines = failed.map((entry) => entry.line);
  if (new Set(lines).size !== lines.length) problems.push('--failed-out names a record twice');
  if (failed.length !== failedCount + unknown) {
    problems.push(`--failed-out holds ${failed.length} records, report ${failedCount + unknown}`);
  }
  const invalidLines = failed
    .filter((entry) => entry.state === 'invalid')
    .map((entry) => entry.line - job.firstLine);
  const expected = [...job.invalid].sort((a, b) => a - b);
  if (JSON.stringify(invalidLines.sort((a, b) => a - b)) !== JSON.stringify(expected)) {
    problems.push('--failed-out does not list exactly the invalid records');
  }
}

/** Files exist with mode 0600 and, like every output, never hold the token. */
async function checkFiles(
  paths: readonly string[],
  outputs: readonly string[],
  problems: string[],
) {
  for (const path of paths) {
    try {
      const mode = (await stat(path)).mode & 0o777;
      if (mode !== 0o600) problems.push(`${path} has mode ${mode.toString(8)}`);
      if ((await readFile(path, 'utf8')).includes(TOKEN)) problems.push(`${path} holds the token`);
    } catch {
      problems.push(`${path} is missing`);
    }
  }
  if (outputs.some((output) => output.includes(TOKEN))) problems.push('an output holds the token');
}
