import { writeFile } from 'node:fs/promises';
import { startRedisServer, type TestRedisServer } from '@bulk-clients/redis/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, TOKEN, useSandbox } from './e2e-helpers.js';

const e2e = useSandbox('redis-budget', { seed: 11 });
let redis: TestRedisServer;
beforeAll(async () => {
  redis = await startRedisServer({ password: 'redis-pass-7f3a9c1e' });
});
afterAll(() => redis?.stop());

const redisUrl = () => `redis://:redis-pass-7f3a9c1e@127.0.0.1:${redis.port}`;

async function ticketsFile(name: string, first: number, count: number): Promise<string> {
  const rows = Array.from({ length: count }, (_, i) => `${first + i},Shared ${first + i}`);
  const path = e2e.file(name);
  await writeFile(path, `id,subject\n${rows.join('\n')}\n`);
  return path;
}

describe('--redis', () => {
  it('shares one budget between four processes: the full budget each, and no 429', async () => {
    const { sandbox } = e2e;
    sandbox.faults.reset();
    sandbox.faults.set(
      { rateLimit: { requests: 50, perMs: 1000, mode: 'rolling' } },
      { vendor: 'hubspot' },
    );
    const inputs = await Promise.all(
      [0, 1, 2, 3].map((n) => ticketsFile(`tickets-${n}.csv`, 1 + n * 500, 500)),
    );
    const startedAt = Date.now();
    const runs = inputs.map((input) =>
      startCli([
        'hubspot',
        'tickets-update',
        '--base-url',
        sandbox.url,
        '--input',
        input,
        '--batch-size',
        '10',
        '--concurrency',
        '4',
        '--rate-limit',
        '50/1000',
        '--redis',
        redisUrl(),
        '--no-progress',
        '--json',
      ]),
    );
    const results = await Promise.all(runs.map((run) => run.done));
    const elapsedMs = Date.now() - startedAt;
    for (const result of results) {
      expect(result.stderr).toBe(result.stderr.replace('redis-pass-7f3a9c1e', ''));
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        total: 500,
        succeeded: 500,
        rateLimit: { requests: 50, perMs: 1000, source: 'configured', shared: true },
      });
    }
    // 200 requests at 50 per rolling second: at least 3 whole windows after the first 50.
    expect(elapsedMs).toBeGreaterThanOrEqual(3000);
    expect(sandbox.faults.counters.rateLimited).toBeLessThanOrEqual(2);
    const writes = sandbox.state.hubspot!.writeCounts;
    for (let id = 1; id <= 2000; id++) expect(writes.get(String(id))).toBe(1);
    sandbox.faults.set({ rateLimit: null }, { vendor: 'hubspot' });
  });

  it('names a Redis it cannot reach without its password, before sending anything (exit 2)', async () => {
    const input = await ticketsFile('one.csv', 1, 1);
    const result = await runCli([
      'hubspot',
      'tickets-update',
      ...e2e.flags(),
      '--input',
      input,
      '--redis',
      'redis://:not-the-password-42@127.0.0.1:1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--redis: Cannot connect to Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(result.stderr).not.toContain('not-the-password-42');
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('takes the URL from BULK_CLIENTS_REDIS_URL and refuses --account without Redis', async () => {
    const input = await ticketsFile('two.csv', 1, 2);
    const args = ['hubspot', 'tickets-update', ...e2e.flags(), '--input', input, '--json'];
    const refused = await runCli([...args, '--account', 'acme']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--account needs --redis URL/);
    const { cliEnv } = await import('./e2e-helpers.js');
    const result = await runCli([...args, '--account', 'acme', '--redis-prefix', 'e2e'], {
      env: cliEnv({ BULK_CLIENTS_REDIS_URL: redisUrl() }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ succeeded: 2 });
  });
});
