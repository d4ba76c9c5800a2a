/**
 * Crash and resume: `bulk-clients` as a child process on 20,000-record jobs, killed with SIGKILL
 * at seeded random moments and rerun with `--resume` until it finishes; and stopped with SIGINT /
 * SIGTERM, which must exit 130 with the journal flushed. The sandbox runs in this process and
 * outlives every kill. After each trial: every valid record written exactly once (an update whose
 * batch was in flight at a kill may land twice, never one the journal had settled), the report
 * and `--failed-out` account for every record, the files are 0600 and free of the token.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createHubSpotSimulator,
  defaultSimulators,
  type Sandbox,
  type SimulatorFactory,
  startSandbox,
} from '@bulk-clients/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, stopAllStarted, TOKEN } from './crash/cli-child.js';
import {
  type CrashJob,
  hubspotTicketsUpdate,
  mpdxPreferencesCreate,
  thoughtIndustriesTemplatesUpdate,
  vecVaultCreate,
} from './crash/crash-jobs.js';
import { runTrial, type TrialPlan, type TrialResult } from './crash/run-trial.js';
import { formatTrialTable } from './crash/trial-table.js';

const RECORDS = 20_000;
// Vault jobs with files upload one PDF per record from disk (about 25 s for 20,000 without a
// kill): one trial runs at full size, the others smaller, to keep the suite within minutes.
const VAULT_FILE_RECORDS = 2_000;

let sandbox: Sandbox;
const results: TrialResult[] = [];

// HubSpot seeds 5,000 tickets by default; the 20,000-record job updates 20,000 of them.
const hubspotWithAllTickets: SimulatorFactory = Object.defineProperty(
  (ctx: Parameters<SimulatorFactory>[0], options: Parameters<SimulatorFactory>[1]) =>
    createHubSpotSimulator(ctx, { ...options, tickets: RECORDS }),
  'name',
  { value: createHubSpotSimulator.name },
);

beforeAll(async () => {
  buildCliIfStale();
  sandbox = await startSandbox({
    token: TOKEN,
    seed: 11,
    jobMs: 20,
    // A few ms per request, so that kills land between a request and its answer too.
    latencyMs: { fixedMs: 2, jitterMs: 4 },
    simulators: defaultSimulators.map((factory) =>
      factory === createHubSpotSimulator ? hubspotWithAllTickets : factory,
    ),
  });
}, 60_000);

afterAll(async () => {
  // A trial that timed out may leave its run behind; it must not outlive the suite.
  await stopAllStarted();
  await sandbox?.close();
  if (results.length > 0) console.log(`Crash and resume trials\n${formatTrialTable(results)}`);
});

type JobFactory = (dir: string, trial: string) => Promise<CrashJob>;

const hubspot: JobFactory = (dir, trial) => hubspotTicketsUpdate(sandbox, dir, trial, RECORDS);
const mpdx: JobFactory = (dir) => mpdxPreferencesCreate(sandbox, dir, RECORDS);
const vaultByFileId: JobFactory = (dir, trial) =>
  vecVaultCreate(sandbox, dir, trial, RECORDS, 'file_id');
const vaultByFile =
  (records: number): JobFactory =>
  (dir, trial) =>
    vecVaultCreate(sandbox, dir, trial, records, 'file');
const templates: JobFactory = (dir, trial) =>
  thoughtIndustriesTemplatesUpdate(sandbox, dir, trial, 300);

const BATCHES = ['--batch-size', '50', '--concurrency', '4'];
const VAULT = ['--batch-size', '50', '--concurrency', '4', '--poll-interval', '10'];

async function trial(name: string, job: JobFactory, plan: TrialPlan): Promise<TrialResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-crash-'));
  const result = await runTrial(await job(dir, name), plan, dir);
  results.push(result);
  return result;
}

describe('SIGKILL at seeded random moments, then --resume', () => {
  it.each<[string, JobFactory, TrialPlan]>([
    ['hubspot 1', hubspot, { seed: 101, stops: 1, flags: BATCHES }],
    ['hubspot 2', hubspot, { seed: 102, stops: 2, flags: BATCHES }],
    ['hubspot 3', hubspot, { seed: 103, stops: 3, flags: BATCHES }],
    ['mpdx 1', mpdx, { seed: 201, stops: 1, flags: BATCHES }],
    ['mpdx 2', mpdx, { seed: 202, stops: 2, flags: BATCHES }],
    ['mpdx 3', mpdx, { seed: 203, stops: 3, flags: BATCHES }],
    ['vault by file_id 1', vaultByFileId, { seed: 301, stops: 1, flags: VAULT }],
    ['vault by file_id 2', vaultByFileId, { seed: 302, stops: 2, flags: VAULT }],
    ['vault by file 1', vaultByFile(RECORDS), { seed: 401, stops: 1, flags: VAULT }],
    ['vault by file 2', vaultByFile(VAULT_FILE_RECORDS), { seed: 402, stops: 3, flags: VAULT }],
    ['vault by file 3', vaultByFile(VAULT_FILE_RECORDS), { seed: 403, stops: 2, flags: VAULT }],
  ])('%s: every valid record ends written once and accounted for', async (name, job, plan) => {
    const result = await trial(name, job, plan);
    expect(result.problems).toEqual([]);
    // A trial in which the run finished before any kill would prove nothing.
    expect(result.stops.every((stop) => stop.ended === 'SIGKILL')).toBe(true);
    expect(result.final.code).toBe(1); // the invalid records
  });
});

describe('a vault create that cannot be read back after a crash', () => {
  // The list of certificates (the read-back, and the wait for new batches) answers 500 during
  // the first resumed run: nothing it cannot tell may be sent again.
  const LIST = { route: 'GET /business/certificate-vault' };
  const readBackDown = {
    on: () => sandbox.faults.set({ errors: { rate: 1, statuses: [500] } }, LIST),
    off: () => sandbox.faults.set({ errors: null }, LIST),
  };

  it('is reported unknown, never re-sent, and settled by the next --resume', async () => {
    const result = await trial('vault read-back down', vaultByFile(VAULT_FILE_RECORDS), {
      seed: 404,
      stops: 1,
      // Batches the degraded run creates cannot be followed either: bound their wait.
      flags: [...VAULT, '--max-wait', '1000'],
      earlyShare: 0,
      degradedResume: readBackDown,
    });
    expect(result.problems).toEqual([]);
    expect(result.stops.map((stop) => stop.ended)).toEqual(['SIGKILL']);
    expect(result.stops[0]!.appliedInFlight).toBeGreaterThan(0);
    expect(result.degraded?.code).toBe(1);
    expect(result.degraded?.report?.unknown).toBeGreaterThanOrEqual(result.stops[0]!.inFlight);
    expect(result.degraded?.writtenTwice).toBe(0);
    expect(result.final.code).toBe(1);
  });
});

describe('SIGINT and SIGTERM: a clean stop, exit 130, the journal flushed', () => {
  it.each<[string, JobFactory, TrialPlan]>([
    [
      'hubspot SIGTERM',
      hubspot,
      { seed: 501, stops: 1, signal: 'SIGTERM', flags: BATCHES, earlyShare: 0 },
    ],
    ['mpdx SIGINT', mpdx, { seed: 502, stops: 1, signal: 'SIGINT', flags: BATCHES, earlyShare: 0 }],
    [
      'vault SIGINT',
      vaultByFile(VAULT_FILE_RECORDS),
      { seed: 503, stops: 1, signal: 'SIGINT', flags: VAULT, earlyShare: 0 },
    ],
    [
      'templates SIGTERM',
      templates,
      {
        seed: 504,
        stops: 1,
        signal: 'SIGTERM',
        flags: ['--batch-size', '10', '--concurrency', '2', '--poll-interval', '10'],
        earlyShare: 0,
      },
    ],
  ])('%s: then --resume writes every remaining record once', async (name, job, plan) => {
    const result = await trial(name, job, plan);
    expect(result.problems).toEqual([]);
    expect(result.stops.map((stop) => stop.ended)).toEqual(['exit 130']);
    expect(result.rewritten).toBe(0);
    expect(result.final.code).toBe(1);
  });
});
