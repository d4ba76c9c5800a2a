import { afterEach, describe, expect, it } from 'vitest';
import {
  createHubSpotSimulator,
  createMpdxSimulator,
  createThoughtIndustriesSimulator,
  createVecSimulator,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../src/index.js';
import { createFakeClock } from './fixtures/fake-clock.js';

// Each vendor's rate limits as its documentation describes them, over HTTP on a fake clock.

const TOKEN = 'sandbox-token';
const TICKET = '/crm/v3/objects/tickets/1';
const UPDATE = '/crm/v3/objects/tickets/batch/update';
const TI_JOB = '/incoming/v2/jobs/33333333-3333-4333-8333-333333333333';
const VEC_LIST = '/business/certificate-vault';
const MPDX_TYPES = '/api/v2/notification_types';
let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions) {
  const clock = createFakeClock();
  sandbox = await startSandbox({
    clock,
    validateResponses: 'record',
    simulators: [
      (ctx, o) => createHubSpotSimulator(ctx, { ...o, tickets: 10 }),
      createThoughtIndustriesSimulator,
      createVecSimulator,
      createMpdxSimulator,
    ],
    ...options,
  });
  const s = sandbox;
  const get = async (path: string) => {
    const response = await fetch(`${s.url}${path}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
  };
  const statuses = async (path: string, count: number) => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await get(path)).status);
    return seen;
  };
  return { sandbox: s, clock, get, statuses };
}

function rateLimitHeaders(headers: Headers): Record<string, string> {
  const found: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (/ratelimit/.test(name)) found[name] = value;
  });
  return found;
}

const times = (count: number, status: number) => Array.from({ length: count }, () => status);

describe('defaults per vendor', () => {
  it('HubSpot counts a rolling window: a budget spent at once stays spent for the whole window', async () => {
    const { clock, statuses } = await start({ rateLimit: { requests: 10, perMs: 10_000 } });
    expect(await statuses(TICKET, 11)).toEqual([...times(10, 200), 429]);
    // A bucket would have refilled five tokens by now; the rolling window holds all ten.
    clock.advance(5000);
    expect(await statuses(TICKET, 1)).toEqual([429]);
    clock.advance(5000);
    expect(await statuses(TICKET, 11)).toEqual([...times(10, 200), 429]);
  });

  it('Thought Industries lets a burst of a sixth of the budget through, then the refill rate', async () => {
    const { clock, get, statuses } = await start({ rateLimit: { requests: 120, perMs: 60_000 } });
    expect(await statuses(TI_JOB, 21)).toEqual([...times(20, 404), 429]);
    clock.advance(500);
    expect(await statuses(TI_JOB, 2)).toEqual([404, 429]);
    const limited = await get(TI_JOB);
    expect(limited.body).toMatchObject({ error: 'rate_limit_exceeded', retryAfter: 1 });
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('120');
  });

  it('Thought Industries reports its limit on every response, not only on 429s', async () => {
    const { clock, get } = await start({ rateLimit: { requests: 120, perMs: 60_000 } });
    const answer = await get(TI_JOB);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('x-ratelimit-limit')).toBe('120');
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('19');
    // The bucket is full again 500 ms after the one token was spent.
    expect(answer.headers.get('x-ratelimit-reset')).toBe(
      String(Math.ceil((clock.now() + 500) / 1000)),
    );
    expect(answer.headers.get('retry-after')).toBeNull();
  });

  it.each([
    ['vec', VEC_LIST, 200],
    ['mpdx', MPDX_TYPES, 200],
  ])(
    '%s counts fixed windows aligned to the clock and reports them on 429s only',
    async (_vendor, path, ok) => {
      const { clock, get, statuses } = await start({ rateLimit: { requests: 3, perMs: 60_000 } });
      // The fake clock starts on a whole minute: move to 10 s before the next boundary.
      clock.advance(50_000);
      const first = await get(path);
      expect(first.status).toBe(ok);
      expect(first.headers.get('x-ratelimit-limit')).toBeNull();
      expect(await statuses(path, 3)).toEqual([ok, ok, 429]);
      const limited = await get(path);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-ratelimit-reset')).toBe(String((clock.now() + 10_000) / 1000));
      expect(limited.headers.get('retry-after')).toBe('10');
      clock.advance(10_000);
      // A new window: the whole budget again, right after the boundary.
      expect(await statuses(path, 4)).toEqual([ok, ok, ok, 429]);
    },
  );

  it('an explicit mode overrides the vendor default', async () => {
    const { clock, statuses } = await start({
      rateLimit: { requests: 10, perMs: 10_000, mode: 'bucket' },
    });
    expect(await statuses(TICKET, 11)).toEqual([...times(10, 200), 429]);
    clock.advance(5000);
    expect(await statuses(TICKET, 6)).toEqual([...times(5, 200), 429]);
  });
});

describe('HubSpot', () => {
  it('sends its rate-limit headers on every answer and a 429 naming the rolling window', async () => {
    const { sandbox, get } = await start({
      rateLimit: { requests: 2, perMs: 10_000, secondly: 5 },
      dailyLimit: 1000,
    });
    const ok = await get(TICKET);
    expect(ok.status).toBe(200);
    expect(rateLimitHeaders(ok.headers)).toEqual({
      'x-hubspot-ratelimit-max': '2',
      'x-hubspot-ratelimit-remaining': '1',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-secondly': '5',
      'x-hubspot-ratelimit-secondly-remaining': '4',
      'x-hubspot-ratelimit-daily': '1000',
      'x-hubspot-ratelimit-daily-remaining': '999',
    });
    await get(TICKET);
    const limited = await get(TICKET);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.any(String),
      policyName: 'TEN_SECONDLY_ROLLING',
      requestId: expect.any(String),
    });
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    // A refused request spends nothing: the daily budget still counts two.
    expect(limited.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('998');
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(sandbox.violations).toEqual([]);
  });

  it('sends Retry-After only when the fault asks for it', async () => {
    const { get } = await start({ rateLimit: { requests: 1, perMs: 10_000, retryAfter: true } });
    await get(TICKET);
    expect((await get(TICKET)).headers.get('retry-after')).toBe('10');
  });

  it('refuses beyond the secondly limit with policy SECONDLY', async () => {
    const { clock, sandbox, get, statuses } = await start({
      rateLimit: { requests: 100, perMs: 10_000, secondly: 2 },
    });
    expect(await statuses(TICKET, 2)).toEqual([200, 200]);
    const limited = await get(TICKET);
    expect(limited.body).toMatchObject({ policyName: 'SECONDLY' });
    expect(limited.headers.get('x-hubspot-ratelimit-secondly-remaining')).toBe('0');
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('98');
    clock.advance(1000);
    expect(await statuses(TICKET, 1)).toEqual([200]);
    expect(sandbox.faults.counters.rateLimitedBy).toEqual({ window: 0, secondly: 1, daily: 0 });
  });

  it('stops every request once the daily budget is spent, until the day turns', async () => {
    const { clock, sandbox, get, statuses } = await start({
      rateLimit: { requests: 100, perMs: 10_000 },
      dailyLimit: 3,
    });
    expect(await statuses(TICKET, 3)).toEqual([200, 200, 200]);
    for (const wait of [0, 10_000, 3_600_000]) {
      clock.advance(wait);
      const refused = await get(TICKET);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({
        policyName: 'DAILY',
        message: 'You have reached your daily limit.',
      });
      expect(refused.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    }
    expect(sandbox.faults.counters).toMatchObject({
      rateLimited: 3,
      rateLimitedBy: { window: 0, secondly: 0, daily: 3 },
      afterDailyLimit: 3,
      accepted: 3,
    });
    // Midnight UTC on the sandbox clock starts a new day.
    clock.advance(Date.UTC(2026, 0, 2) - clock.now());
    const nextDay = await get(TICKET);
    expect(nextDay.status).toBe(200);
    expect(nextDay.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('2');
  });

  it('never lets a refused write reach the handler', async () => {
    const { sandbox } = await start({ dailyLimit: 1 });
    const write = () =>
      fetch(`${sandbox.url}${UPDATE}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: [{ id: '1', properties: { subject: 'Once' } }] }),
      });
    expect((await write()).status).toBe(200);
    const refused = await write();
    expect(refused.status).toBe(429);
    // Only the daily headers: no window limit is configured.
    expect(refused.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    expect(refused.headers.get('x-hubspot-ratelimit-daily')).toBe('1');
    expect(sandbox.state.hubspot?.writeCounts.get('1')).toBe(1);
    expect(sandbox.state.hubspot?.requestsToday).toBe(1);
  });

  it('starts a fresh day after faults.reset()', async () => {
    const { sandbox, statuses } = await start({ dailyLimit: 2 });
    expect(await statuses(TICKET, 3)).toEqual([200, 200, 429]);
    sandbox.faults.reset();
    expect(sandbox.faults.counters.afterDailyLimit).toBe(0);
    expect(await statuses(TICKET, 3)).toEqual([200, 200, 429]);
  });
});

describe('a daily budget for the other vendors', () => {
  it.each([
    ['thought-industries', TI_JOB, 404, { error: 'rate_limit_exceeded' }],
    ['vec', VEC_LIST, 200, { message: 'Too Many Attempts.' }],
    ['mpdx', MPDX_TYPES, 200, { errors: [expect.objectContaining({ status: '429' })] }],
  ])('%s answers 429 in its own shape once the day is spent', async (_vendor, path, ok, body) => {
    const { sandbox, get, statuses } = await start({ dailyLimit: 2 });
    expect(await statuses(path, 2)).toEqual([ok, ok]);
    const refused = await get(path);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject(body);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('2');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 0, 2) / 1000));
    expect(sandbox.faults.counters.rateLimitedBy.daily).toBe(1);
    expect(sandbox.violations).toEqual([]);
  });

  it('keeps one daily budget per vendor under a global limit', async () => {
    const { statuses } = await start({ dailyLimit: 1 });
    expect(await statuses(TICKET, 2)).toEqual([200, 429]);
    expect(await statuses(MPDX_TYPES, 2)).toEqual([200, 429]);
  });
});

describe('options', () => {
  it.each([
    [{ rateLimit: { requests: 10, perMs: 1000, mode: 'leaky' } }, 'rateLimit.mode'],
    [{ rateLimit: { requests: 1.5, perMs: 1000 } }, 'rateLimit.requests'],
    [{ rateLimit: { requests: 10, perMs: 1000, burst: 0 } }, 'rateLimit.burst'],
    [{ rateLimit: { requests: 10, perMs: 1000, secondly: -1 } }, 'rateLimit.secondly'],
    [{ dailyLimit: 0 }, 'dailyLimit'],
  ])('refuses %j naming %s', async (options, name) => {
    await expect(startSandbox(options as SandboxOptions)).rejects.toThrow(TypeError);
    await expect(startSandbox(options as SandboxOptions)).rejects.toThrow(name);
  });
});
