import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@bulk-clients/redis/testing';
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { SHORT_LOCKS, useDistributed } from './distributed-helpers.js';
import { runCli, startCli, TOKEN, waitFor } from './e2e-helpers.js';

const distributed = useDistributed('distributed', { seed: 21, latencyMs: 2 });
const { e2e, redisUrl, runsStatus } = distributed;

const mpdx = (sandbox: Sandbox = e2e.sandbox) => sandbox.state.mpdx!;

async function preferencesFile(name: string, count: number, sandbox?: Sandbox): Promise<string> {
  const types = [...mpdx(sandbox).notificationTypes.keys()];
  const rows = Array.from(
    { length: count },
    (_, i) => `${types[i % types.length]},true,false,true`,
  );
  const path = e2e.file(name);
  await writeFile(path, `notification_type_id,app,email,task\n${rows.join('\n')}\n`);
  return path;
}

function enqueueArgs(input: string, url: string, extra: string[] = [], sandbox?: Sandbox) {
  const accountList = [...mpdx(sandbox).accountLists.keys()][0]!;
  return [
    'mpdx',
    'preferences-create',
    '--base-url',
    (sandbox ?? e2e.sandbox).url,
    '--account-list',
    accountList,
    '--input',
    input,
    '--redis',
    url,
    '--enqueue',
    '--json',
    // MPDX documents no budget: the default (60 a minute) would make these tests minutes long.
    '--rate-limit',
    '10000/1000',
    ...extra,
  ];
}

/** A worker with short locks, so that a killed worker's chunk is taken up again within about 2 s. */
const startWorker = (url: string, extra: string[] = []) =>
  distributed.startWorker(url, [...SHORT_LOCKS, ...extra]);

/** Ids written more than once: the number that must stay 0. */
const duplicates = (sandbox: Sandbox = e2e.sandbox) =>
  [...mpdx(sandbox).writeCounts.values()].filter((count) => count > 1).length;

describe('distributed runs', () => {
  it('enqueues checked records, two workers write them, runs status reports the run', async () => {
    const input = await preferencesFile('prefs.csv', 1200);
    await writeFile(input, 'not-a-uuid,true,true,true\n', { flag: 'a' });
    const before = mpdx().preferences.size;
    const enqueued = await runCli(
      enqueueArgs(input, redisUrl(), [
        '--chunk-size',
        '200',
        '--failed-out',
        e2e.file('invalid.jsonl'),
      ]),
      { env: { PATH: process.env.PATH ?? '' } },
    );
    expect(enqueued.code, enqueued.stderr).toBe(1);
    const { runId, ...counts } = JSON.parse(enqueued.stdout);
    expect(counts).toEqual({ enqueued: 1200, invalid: 1 });
    expect(enqueued.stderr).toMatch(/line 1202: invalid: notification_type_id/);

    const workers = [startWorker(redisUrl(), ['--exit-when-idle']), startWorker(redisUrl())];
    const status = await runsStatus(redisUrl(), runId, [
      '--wait',
      '--failed-out',
      e2e.file('failed.jsonl'),
    ]);
    expect(status.code, status.stderr).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({
      api: 'mpdx',
      operation: 'preferences-create',
      total: 1201,
      succeeded: 1200,
      failed: 1,
      invalid: 1,
      unknown: 0,
      skipped: 0,
      requests: 12,
      chunks: 6,
      chunksPending: 0,
      settled: true,
    });
    expect(mpdx().preferences.size - before).toBe(1200);
    expect(duplicates()).toBe(0);
    // The idle worker exits by itself; the other stops on SIGTERM, both with 0.
    expect((await workers[0]!.done).code).toBe(0);
    workers[1]!.child.kill('SIGTERM');
    const stoppedWorker = await workers[1]!.done;
    expect(stoppedWorker.code, stoppedWorker.stderr).toBe(0);
    expect(stoppedWorker.stderr).toMatch(/stopped/);
    // No token in Redis, whatever the key.
    const client = new Redis(redisUrl());
    const dump: string[] = [];
    for (const key of await client.keys('*')) {
      dump.push(key, JSON.stringify(await client.dump(key)));
    }
    client.disconnect();
    expect(dump.join('\n')).not.toContain(TOKEN);
  }, 60_000);

  it('leaves a run to a worker that holds the token when one does not, and says why', async () => {
    const input = await preferencesFile('prefs.csv', 400);
    const before = mpdx().preferences.size;
    const enqueued = await runCli(enqueueArgs(input, redisUrl(), ['--chunk-size', '100']));
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const { runId } = JSON.parse(enqueued.stdout);
    // No MPDX_TOKEN in this worker's environment.
    const tokenless = startCli(['worker', '--redis', redisUrl(), ...SHORT_LOCKS], {
      env: { PATH: process.env.PATH ?? '' },
    });
    try {
      await waitFor(() => tokenless.stderr().includes('cannot take it'));
      const waiting = await runsStatus(redisUrl(), runId);
      expect(waiting.code, waiting.stderr).toBe(0);
      const report = JSON.parse(waiting.stdout);
      expect(report).toMatchObject({ settled: false, failed: 0, chunks: 4, chunksPending: 4 });
      expect(report.declinedBy).toHaveLength(1);
      expect(report.declinedBy[0].reason).toMatch(/MPDX_TOKEN/);
      const human = await runCli(['runs', 'status', runId, '--redis', redisUrl()]);
      expect(human.stdout).toMatch(/waiting: worker \S+ cannot take the run: .*MPDX_TOKEN/);
      // Another worker without the token, told to exit when idle: only chunks it cannot take
      // are left, so it exits, and says which run it leaves.
      const leaving = await runCli(['worker', '--redis', redisUrl(), '--exit-when-idle'], {
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(leaving.code, leaving.stderr).toBe(0);
      expect(leaving.stderr).toMatch(
        new RegExp(`run ${runId}: nothing else to do here; its chunks stay on the queue`),
      );
      expect(JSON.parse((await runsStatus(redisUrl(), runId)).stdout)).toMatchObject({
        failed: 0,
        chunksPending: 4,
      });

      const worker = startWorker(redisUrl(), ['--exit-when-idle']);
      const status = await runsStatus(redisUrl(), runId, ['--wait']);
      expect(status.code, status.stderr).toBe(0);
      const done = JSON.parse(status.stdout);
      expect(done).toMatchObject({ total: 400, succeeded: 400, failed: 0, workers: 1 });
      expect(done.declinedBy).toBeUndefined();
      expect((await worker.done).code).toBe(0);
    } finally {
      tokenless.child.kill('SIGTERM');
    }
    const stopped = await tokenless.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    const declined = stopped.stderr.match(/this worker cannot take it/g) ?? [];
    expect(declined).toHaveLength(1);
    expect(stopped.stderr).toMatch(
      new RegExp(
        `run ${runId}: this worker cannot take it \\(.*MPDX_TOKEN.*\\); its chunks are left for another worker`,
      ),
    );
    expect(mpdx().preferences.size - before).toBe(400);
    expect(duplicates()).toBe(0);
  }, 60_000);

  it('takes up the chunks of a worker killed mid-chunk: every preference created once', async () => {
    e2e.sandbox.faults.set({ latency: { fixedMs: 20 } }, { vendor: 'mpdx' });
    const input = await preferencesFile('prefs.csv', 3000);
    const before = mpdx().preferences.size;
    const enqueued = await runCli(
      enqueueArgs(input, redisUrl(), ['--chunk-size', '300', '--batch-size', '20']),
    );
    const { runId } = JSON.parse(enqueued.stdout);
    const doomed = startWorker(redisUrl(), ['--concurrency', '2']);
    await waitFor(() => mpdx().preferences.size - before >= 400);
    doomed.child.kill('SIGKILL');
    await doomed.done;
    const replacement = startWorker(redisUrl(), ['--exit-when-idle', '--concurrency', '2']);
    const status = await runsStatus(redisUrl(), runId, ['--wait']);
    e2e.sandbox.faults.set({ latency: { fixedMs: 2 } }, { vendor: 'mpdx' });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ total: 3000, succeeded: 3000, failed: 0 });
    expect(mpdx().preferences.size - before).toBe(3000);
    expect(duplicates()).toBe(0);
    expect((await replacement.done).stderr).toMatch(/attempt|chunk/);
  }, 60_000);

  it('creates 20,000 preferences exactly once with three workers, one killed and replaced', async () => {
    e2e.sandbox.faults.set({ latency: { fixedMs: 10 } }, { vendor: 'mpdx' });
    const input = await preferencesFile('prefs.csv', 20_000);
    const before = mpdx().preferences.size;
    const enqueued = await runCli(enqueueArgs(input, redisUrl(), ['--chunk-size', '1000']));
    expect(JSON.parse(enqueued.stdout)).toMatchObject({ enqueued: 20_000, invalid: 0 });
    const { runId } = JSON.parse(enqueued.stdout);
    const workers = [0, 1, 2].map(() => startWorker(redisUrl(), ['--concurrency', '2']));
    await waitFor(() => mpdx().preferences.size - before >= 5000, 30_000);
    workers[1]!.child.kill('SIGKILL');
    await workers[1]!.done;
    workers.push(startWorker(redisUrl(), ['--concurrency', '2']));
    const status = await runsStatus(redisUrl(), runId, ['--wait']);
    e2e.sandbox.faults.set({ latency: { fixedMs: 2 } }, { vendor: 'mpdx' });
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report).toMatchObject({ total: 20_000, succeeded: 20_000, failed: 0, unknown: 0 });
    expect(report.workers).toBeGreaterThanOrEqual(3);
    expect(mpdx().preferences.size - before).toBe(20_000);
    expect(duplicates()).toBe(0);
    for (const worker of [workers[0]!, workers[2]!, workers[3]!]) worker.child.kill('SIGTERM');
    for (const worker of [workers[0]!, workers[2]!, workers[3]!]) {
      expect((await worker.done).code).toBe(0);
    }
  }, 120_000);

  it('keeps a throttled account from slowing another account down', async () => {
    const throttled = await startSandbox({
      token: TOKEN,
      seed: 22,
      rateLimit: { requests: 5, perMs: 1000 },
    });
    try {
      const slowInput = await preferencesFile('slow.csv', 400, throttled);
      const quickInput = await preferencesFile('quick.csv', 1000);
      const slow = await runCli(
        enqueueArgs(
          slowInput,
          redisUrl(),
          [
            '--chunk-size',
            '100',
            '--batch-size',
            '10',
            '--rate-limit',
            '5/1000',
            '--account',
            'slow',
          ],
          throttled,
        ),
      );
      const quick = await runCli(
        enqueueArgs(quickInput, redisUrl(), ['--chunk-size', '100', '--account', 'quick']),
      );
      const worker = startWorker(redisUrl(), ['--concurrency', '3']);
      const quickStatus = await runsStatus(redisUrl(), JSON.parse(quick.stdout).runId, ['--wait']);
      const slowStatus = await runsStatus(redisUrl(), JSON.parse(slow.stdout).runId);
      expect(JSON.parse(quickStatus.stdout)).toMatchObject({ succeeded: 1000 });
      // 400 records at 5 requests of 10 a second take 8 s: the quick run did not wait for them.
      expect(JSON.parse(quickStatus.stdout).durationMs).toBeLessThan(4000);
      expect(JSON.parse(slowStatus.stdout).chunksPending).toBeGreaterThan(0);
      worker.child.kill('SIGTERM');
      expect((await worker.done).code).toBe(0);
      expect(throttled.faults.counters.rateLimited).toBeLessThanOrEqual(1);
    } finally {
      await throttled.close();
    }
  }, 60_000);

  it('says Redis is gone when it restarts mid-run, and finishes the run once it is back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-e2e-redis-aof-'));
    let persistent = await startRedisServer({ persistDir: dir });
    const { port } = persistent;
    try {
      e2e.sandbox.faults.set({ latency: { fixedMs: 20 } }, { vendor: 'mpdx' });
      const input = await preferencesFile('prefs.csv', 2000);
      const before = mpdx().preferences.size;
      const enqueued = await runCli(
        enqueueArgs(input, persistent.url, ['--chunk-size', '200', '--batch-size', '20']),
      );
      const { runId } = JSON.parse(enqueued.stdout);
      const worker = startWorker(persistent.url, ['--exit-when-idle', '--concurrency', '2']);
      await waitFor(() => mpdx().preferences.size - before >= 300);
      await persistent.kill();
      await waitFor(() => /Redis at redis:\/\/127\.0\.0\.1/.test(worker.stderr()), 10_000);
      persistent = await startRedisServer({ persistDir: dir, port });
      const status = await runsStatus(persistent.url, runId, ['--wait']);
      e2e.sandbox.faults.set({ latency: { fixedMs: 2 } }, { vendor: 'mpdx' });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ total: 2000, succeeded: 2000 });
      expect(mpdx().preferences.size - before).toBe(2000);
      expect(duplicates()).toBe(0);
      expect((await worker.done).code).toBe(0);
    } finally {
      await persistent.stop();
    }
  }, 240_000);
});
