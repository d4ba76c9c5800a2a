import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { readJsonLines, runCli, useSandbox } from './e2e-helpers.js';

const e2e = useSandbox('rate-limits', { seed: 7 });
const { file } = e2e;
afterEach(() => {
  e2e.sandbox.faults.set({ rateLimit: null, dailyLimit: null }, { vendor: 'hubspot' });
  e2e.sandbox.faults.reset();
});

/**
 * `hubspot tickets-update` of `input` with `--base-url` and no progress bar, but no
 * `--rate-limit`: the CLI's default budget applies unless `extra` says otherwise.
 */
const update = (input: string, ...extra: string[]) => [
  'hubspot',
  'tickets-update',
  '--base-url',
  e2e.sandbox.url,
  '--no-progress',
  '--input',
  input,
  ...extra,
];

async function ticketsFile(count: number): Promise<string> {
  const rows = Array.from({ length: count }, (_, i) => `${i + 1},Budget ${i + 1}`);
  const path = file('tickets.csv');
  await writeFile(path, `id,subject\n${rows.join('\n')}\n`);
  return path;
}

describe('the daily budget', () => {
  it('stops at once when it is spent, lists what was not sent, and resumes (exit 1)', async () => {
    const dailyLimit = 6;
    e2e.sandbox.faults.set({ dailyLimit }, { vendor: 'hubspot' });
    const input = await ticketsFile(2000);
    const args = update(
      input,
      '--concurrency',
      '4',
      '--json',
      '--journal',
      file('journal.jsonl'),
      '--failed-out',
      file('failed.jsonl'),
    );
    const startedAt = Date.now();
    const result = await runCli(args);
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.dailyStop).toBe(true);
    expect(report.succeeded + report.failed + report.unknown + report.skipped).toBe(report.total);
    expect(report.total).toBe(2000);
    expect(report.succeeded).toBe(dailyLimit * 100);
    expect(report.skipped).toBe(2000 - dailyLimit * 100);
    expect(report.rateLimit).toMatchObject({ source: 'default' });
    // Sent after the budget was spent: no more than the requests that were already on their way.
    expect(e2e.sandbox.faults.counters.afterDailyLimit).toBeLessThanOrEqual(4);
    expect(result.stderr).toMatch(/daily request limit/);
    expect(result.stderr).toMatch(/--resume/);
    const failed = await readJsonLines(file('failed.jsonl'));
    expect(failed).toHaveLength(report.skipped);
    expect(failed.every((entry) => entry.state === 'skipped')).toBe(true);

    // The next day: the budget is back and --resume sends only what was not written.
    e2e.sandbox.faults.set({ dailyLimit: null }, { vendor: 'hubspot' });
    const resumed = await runCli([...args, '--resume']);
    expect(resumed.code).toBe(0);
    const again = JSON.parse(resumed.stdout);
    expect(again).toMatchObject({ total: 2000, succeeded: 2000, skipped: 0, dailyStop: false });
    expect(again.requests).toBe(Math.ceil((2000 - dailyLimit * 100) / 100));
  });

  it('keeps --daily-reserve requests unspent', async () => {
    e2e.sandbox.faults.set({ dailyLimit: 3 }, { vendor: 'hubspot' });
    const input = await ticketsFile(500);
    // The first answer says 2 requests are left: at the reserve of 2, nothing more goes out.
    const result = await runCli(
      update(input, '--concurrency', '1', '--daily-reserve', '2', '--json'),
    );
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ dailyStop: true, succeeded: 100, skipped: 400 });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/kept in reserve/);
    expect(e2e.sandbox.faults.counters.afterDailyLimit).toBe(0);
  });

  it('exits 2 when the budget was spent before anything was written', async () => {
    e2e.sandbox.faults.set({ dailyLimit: 1 }, { vendor: 'hubspot' });
    const input = await ticketsFile(300);
    const args = update(input, '--json');
    const first = await runCli(args);
    expect(JSON.parse(first.stdout)).toMatchObject({ dailyStop: true, succeeded: 100 });
    expect(first.code).toBe(1);
    // Those sent before the first answer said so met the spent budget too.
    const refusedBefore = e2e.sandbox.faults.counters.afterDailyLimit;
    expect(refusedBefore).toBeLessThanOrEqual(4);
    // The same day: HubSpot refuses the first request with policy DAILY, nothing is written.
    const second = await runCli([...args, '--concurrency', '1']);
    expect(JSON.parse(second.stdout)).toMatchObject({
      dailyStop: true,
      succeeded: 0,
      skipped: 300,
      throttled: 0,
    });
    expect(second.code).toBe(2);
    expect(e2e.sandbox.faults.counters.afterDailyLimit - refusedBefore).toBe(1);
  });
});

describe('the budget in force', () => {
  it('is learned from the headers when none is given, and shown in the report', async () => {
    e2e.sandbox.faults.set(
      { rateLimit: { requests: 190, perMs: 10_000, mode: 'rolling' } },
      { vendor: 'hubspot' },
    );
    const input = await ticketsFile(1000);
    const result = await runCli(update(input, '--json'));
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.rateLimit).toEqual({ requests: 190, perMs: 10_000, source: 'learned' });
    expect(report.dailyStop).toBe(false);
    expect(e2e.sandbox.faults.counters.rateLimited).toBe(0);
    expect(result.stderr).toMatch(/rate limit\s+190 per 10\.0 s \(learned from headers\)/);
  });

  it('stays at the configured bound when the headers allow more', async () => {
    e2e.sandbox.faults.set(
      { rateLimit: { requests: 190, perMs: 10_000, mode: 'rolling' } },
      { vendor: 'hubspot' },
    );
    const input = await ticketsFile(300);
    const result = await runCli(update(input, '--rate-limit', '10/1000', '--json'));
    // 10 per second is below the 19 per second the headers allow: the configured bound holds.
    expect(JSON.parse(result.stdout).rateLimit).toEqual({
      requests: 10,
      perMs: 1000,
      source: 'configured',
    });
  });
});
