/**
 * The vault create across a crash, for records given as files: the killed process's bulk request
 * sits in the vendor's queue and is applied only after the resumed run has read the vault back
 * and found nothing. The killed process journalled the file ids it uploaded before it sent the
 * request, so the resumed run sends the same entries with the same file ids, and the vault's
 * one-certificate-per-file rule lets only one of the two requests create: nothing is created
 * twice, and no document is uploaded again.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createVecSimulator,
  defaultSimulators,
  type Sandbox,
  type SimulatorFactory,
  startSandbox,
} from '@bulk-clients/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, startCli, stopAllStarted, TOKEN } from './crash/cli-child.js';
import { vecVaultCreate } from './crash/crash-jobs.js';

// How long the vault holds the first bulk request, read in full, before it applies it: longer
// than the resumed run takes to start and read back.
const QUEUED_MS = 1_500;

/** The vault's queue: holds the next `held` bulk requests for QUEUED_MS, then applies them. */
const queue = { held: 0, arrived: 0, answers: [] as number[] };

// The sandbox's latency fault waits before the body is read, so a request whose sender died is
// never applied; a vendor's queue applies what it took in. This wraps the vault's bulk route so.
const queuedVault: SimulatorFactory = Object.defineProperty(
  (ctx: Parameters<SimulatorFactory>[0], options: Parameters<SimulatorFactory>[1]) => {
    const vault = createVecSimulator(ctx, options);
    const routes = vault.routes.map((route) =>
      route.method === 'POST' && route.path === '/business/certificate-vault/bulk'
        ? {
            ...route,
            handle: async (request: Parameters<typeof route.handle>[0]) => {
              queue.arrived++;
              if (queue.held > 0) {
                queue.held--;
                await new Promise((resolve) => setTimeout(resolve, QUEUED_MS));
                const answer = await route.handle(request);
                queue.answers.push(answer.status);
                return answer;
              }
              return route.handle(request);
            },
          }
        : route,
    );
    return { ...vault, routes };
  },
  'name',
  { value: createVecSimulator.name },
);

let sandbox: Sandbox;

beforeAll(async () => {
  buildCliIfStale();
  sandbox = await startSandbox({
    token: TOKEN,
    seed: 31,
    jobMs: 20,
    simulators: defaultSimulators.map((factory) =>
      factory === createVecSimulator ? queuedVault : factory,
    ),
  });
}, 60_000);

afterAll(async () => {
  await stopAllStarted();
  await sandbox?.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a vault bulk request applied after the crash and after the read-back', () => {
  it('is not created a second time by the resumed run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-late-'));
    const job = await vecVaultCreate(sandbox, dir, 'late apply', 100, 'file');
    const args = [
      ...job.args,
      '--batch-size',
      '50',
      '--concurrency',
      '1',
      '--poll-interval',
      '10',
      '--rate-limit',
      '100000/1000',
      '--no-progress',
      '--json',
      '--journal',
      join(dir, 'run.journal'),
    ];
    queue.held = 1;
    const first = startCli(args);
    // The first bulk request is in the vault's queue: kill its sender, resume at once.
    while (queue.arrived === 0 && !first.exited()) await pause(1);
    first.child.kill('SIGKILL');
    await first.done;
    const filesBefore = sandbox.state.vec!.files.size;
    const resumed = await startCli([...args, '--resume']).done;
    expect([0, 1]).toContain(resumed.code);
    while (queue.answers.length === 0) await pause(10);
    // Applied after the resumed run had sent the batch again, it is refused whole: every file it
    // names already backs one of the resumed run's certificates.
    expect(queue.answers, 'the answer to the queued request').toEqual([422]);

    const writes = job.writes('');
    const valid = Array.from({ length: job.records }, (_, index) => index).filter(
      (index) => !job.invalid.has(index),
    );
    expect(valid.filter((index) => writes(index) !== 1)).toEqual([]);
    expect(job.finalProblems('')).toEqual([]);
    // Only the second batch's documents were uploaded by the resumed run: the first batch's
    // were named in the killed process's journal.
    expect(sandbox.state.vec!.files.size - filesBefore).toBe(job.records - 50);
    const report = JSON.parse(resumed.stdout) as { succeeded: number; unknown: number };
    expect(report).toMatchObject({ succeeded: valid.length, unknown: 0 });
  });
});
