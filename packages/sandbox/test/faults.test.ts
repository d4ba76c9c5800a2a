import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox, SandboxOptions } from '../src/index.js';
import { createFakeClock } from './fixtures/fake-clock.js';
import { auth, jsonAuth, startWidgets } from './fixtures/start-widgets.js';
import type { WidgetsState } from './fixtures/widgets-simulator.js';

const BATCH = 'POST /widgets/v1/batch/update';
let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions = {}) {
  sandbox = await startWidgets(options);
  return sandbox;
}

function update(s: Sandbox, id = '1', color = 'green') {
  return fetch(`${s.url}/widgets/v1/batch/update`, {
    method: 'POST',
    headers: jsonAuth,
    body: JSON.stringify({ inputs: [{ id, properties: { color } }] }),
  });
}

function read(s: Sandbox, id = '1') {
  return fetch(`${s.url}/widgets/v1/items/${id}`, { headers: auth });
}

async function statuses(s: Sandbox, count: number): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await read(s);
    await response.arrayBuffer();
    result.push(response.status);
  }
  return result;
}

describe('latency', () => {
  it('waits the fixed latency plus seeded jitter on the injected clock', async () => {
    const clock = createFakeClock();
    const s = await start({ clock, latencyMs: { fixedMs: 100, jitterMs: 50 } });
    await statuses(s, 5);
    expect(clock.sleeps).toHaveLength(5);
    for (const ms of clock.sleeps) {
      expect(ms).toBeGreaterThanOrEqual(100);
      expect(ms).toBeLessThan(150);
    }
    expect(new Set(clock.sleeps).size).toBeGreaterThan(1);
    expect(s.faults.counters).toMatchObject({ delayed: 5 });
  });

  it('draws the same jitter for the same seed', async () => {
    const runs: number[][] = [];
    for (const seed of [7, 7, 8]) {
      const clock = createFakeClock();
      const s = await start({ clock, seed, latencyMs: { jitterMs: 1000 } });
      await statuses(s, 4);
      runs.push(clock.sleeps);
      await s.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
  });

  it('delays for real with the system clock', async () => {
    const s = await start({ latencyMs: 5 });
    const started = performance.now();
    await (await read(s)).arrayBuffer();
    expect(performance.now() - started).toBeGreaterThanOrEqual(4);
  });
});

describe('rate limit', () => {
  it('lets a burst through, then answers 429 with Retry-After and vendor headers', async () => {
    const clock = createFakeClock();
    const s = await start({ clock, rateLimit: { requests: 3, perMs: 3000 } });
    expect(await statuses(s, 4)).toEqual([200, 200, 200, 429]);
    const response = await read(s);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('x-widgets-ratelimit-max')).toBe('3');
    expect(response.headers.get('x-widgets-ratelimit-remaining')).toBe('0');
    expect(await response.json()).toEqual({ status: 'error', message: 'Rate limit exceeded' });
    expect(s.faults.counters.rateLimited).toBe(2);
  });

  it('refills tokens as the clock moves', async () => {
    const clock = createFakeClock();
    const s = await start({ clock, rateLimit: { requests: 2, perMs: 1000 } });
    expect(await statuses(s, 3)).toEqual([200, 200, 429]);
    clock.advance(500);
    expect(await statuses(s, 2)).toEqual([200, 429]);
    clock.advance(1000);
    expect(await statuses(s, 3)).toEqual([200, 200, 429]);
  });

  it('can omit Retry-After and the vendor headers', async () => {
    const s = await start({ clock: createFakeClock() });
    s.faults.set({ rateLimit: { requests: 1, perMs: 60_000, retryAfter: false, headers: false } });
    await statuses(s, 1);
    const response = await read(s);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    expect(response.headers.get('x-widgets-ratelimit-max')).toBeNull();
  });

  it('rounds Retry-After up to whole seconds', async () => {
    const s = await start({ clock: createFakeClock() });
    s.faults.set({ rateLimit: { requests: 1, perMs: 2500 } });
    await statuses(s, 1);
    expect((await read(s)).headers.get('retry-after')).toBe('3');
  });
});

describe('error rate', () => {
  it.each([500, 502, 503, 504] as const)('answers %i in the vendor shape', async (status) => {
    const s = await start();
    s.faults.set({ errors: { rate: 1, statuses: [status] } });
    const response = await update(s);
    expect(response.status).toBe(status);
    expect((await response.json()).status).toBe('error');
    expect((s.state.widgets as WidgetsState).writes).toBe(0);
    expect(s.faults.counters.errors[status]).toBe(1);
  });

  it('sends Retry-After with a 503', async () => {
    const s = await start();
    s.faults.set({ errors: { rate: 1, statuses: [503] } });
    expect((await read(s)).headers.get('retry-after')).toBe('1');
  });

  it('hits about the given share of requests, the same ones for the same seed', async () => {
    const runs: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const s = await start({ seed: 'errors', errorRate: 0.3 });
      runs.push(await statuses(s, 100));
      await s.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    const failed = runs[0]?.filter((status) => status >= 500).length ?? 0;
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
  });
});

describe('scopes', () => {
  it('applies a route fault only to that route', async () => {
    const s = await start();
    s.faults.set({ errors: { rate: 1, statuses: [502] } }, { route: BATCH });
    expect((await update(s)).status).toBe(502);
    expect((await read(s)).status).toBe(200);
  });

  it('lets a narrower scope switch a fault off with null', async () => {
    const s = await start();
    s.faults.set({ errors: { rate: 1 } }, { vendor: 'widgets' });
    s.faults.set({ errors: null }, { route: 'get /widgets/v1/items/{id}' });
    expect((await read(s)).status).toBe(200);
    expect((await update(s)).status).toBeGreaterThanOrEqual(500);
  });

  it('keeps a rate-limit bucket per route when the limit is set per route', async () => {
    const s = await start({ clock: createFakeClock() });
    s.faults.set({ rateLimit: { requests: 1, perMs: 60_000 } }, { route: BATCH });
    expect((await update(s)).status).toBe(200);
    expect((await update(s)).status).toBe(429);
    expect(await statuses(s, 3)).toEqual([200, 200, 200]);
  });

  it('reset() returns to the start options and zeroes counters', async () => {
    const s = await start({ errorRate: 1, errorStatuses: [504] });
    s.faults.set({ errors: null });
    expect((await read(s)).status).toBe(200);
    s.faults.reset();
    expect(s.faults.counters.errors[504]).toBe(0);
    expect((await read(s)).status).toBe(504);
  });

  it.each([
    [{ errors: { rate: 1.5 } }, 'errors.rate'],
    [{ latency: { fixedMs: -1 } }, 'latency.fixedMs'],
    [{ rateLimit: { requests: 0, perMs: 10 } }, 'rateLimit.requests'],
    [{ errors: { rate: 1, statuses: [404] } }, 'errors.statuses'],
    [{ resetAfterHandler: 2 }, 'resetAfterHandler'],
    [{ explode: true }, 'explode'],
  ])('throws a TypeError naming the bad setting in %j', async (settings, name) => {
    const s = await start();
    expect(() => s.faults.set(settings as never)).toThrow(TypeError);
    expect(() => s.faults.set(settings as never)).toThrow(name);
  });

  it('rejects a route scope that is not METHOD /path', async () => {
    const s = await start();
    expect(() => s.faults.set({ latency: null }, { route: '/widgets' })).toThrow(/scope\.route/);
  });
});

describe('connection resets', () => {
  it('resets before the body is read: nothing changes', async () => {
    const s = await start();
    s.faults.set({ resetBeforeBody: 1 }, { route: BATCH });
    await expect(update(s, '9', 'black')).rejects.toThrow();
    expect((s.state.widgets as WidgetsState).widgets.get('9')?.properties.color).not.toBe('black');
    expect(s.faults.counters.resetsBeforeBody).toBe(1);
  });

  it('resets after the handler ran: the write happened, the answer never came', async () => {
    const s = await start();
    s.faults.set({ resetAfterHandler: 1 }, { route: BATCH });
    await expect(update(s, '9', 'black')).rejects.toThrow();
    const widgets = s.state.widgets as WidgetsState;
    expect(widgets.widgets.get('9')?.properties.color).toBe('black');
    expect(widgets.writes).toBe(1);
    expect(s.faults.counters.resetsAfterHandler).toBe(1);
  });
});

describe('malformed bodies', () => {
  it('cuts a 2xx JSON body in half with a matching length', async () => {
    const s = await start();
    s.faults.set({ malformedBody: { rate: 1 } });
    const response = await read(s);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"id":"1"')).toBe(true);
    expect(s.faults.counters.malformedBodies).toBe(1);
  });

  it('leaves error bodies intact', async () => {
    const s = await start();
    s.faults.set({ malformedBody: { rate: 1 } });
    const response = await read(s, '999');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: 'error', message: 'Widget not found' });
    expect(s.faults.counters.malformedBodies).toBe(0);
  });

  it('aborts mid-body in abort mode', async () => {
    const s = await start();
    s.faults.set({ malformedBody: { rate: 1, mode: 'abort' } });
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`${s.url}/widgets/v1/items/1`, { headers: auth }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve('complete'));
        res.on('error', () => resolve('aborted'));
        res.on('aborted', () => resolve('aborted'));
      });
      req.on('error', () => resolve('aborted'));
      req.end();
    });
    expect(outcome).toBe('aborted');
  });
});

describe('background jobs', () => {
  async function startJob(s: Sandbox) {
    const response = await fetch(`${s.url}/widgets/v1/jobs`, { method: 'POST', headers: auth });
    return (await response.json()).id as string;
  }
  async function jobStatus(s: Sandbox, id: string) {
    const response = await fetch(`${s.url}/widgets/v1/jobs/${id}`, { headers: auth });
    return (await response.json()).status as string;
  }

  it('settles after jobMs on the injected clock', async () => {
    const clock = createFakeClock();
    const s = await start({ clock, jobMs: 5000 });
    const id = await startJob(s);
    clock.advance(4999);
    expect(await jobStatus(s, id)).toBe('running');
    clock.advance(1);
    expect(await jobStatus(s, id)).toBe('complete');
  });

  it('makes jobs slow and failing by fault, per route', async () => {
    const clock = createFakeClock();
    const s = await start({ clock, jobMs: 10 });
    s.faults.set(
      { jobs: { durationMs: 60_000, failureRate: 1 } },
      { route: 'POST /widgets/v1/jobs' },
    );
    const id = await startJob(s);
    clock.advance(59_999);
    expect(await jobStatus(s, id)).toBe('running');
    clock.advance(1);
    expect(await jobStatus(s, id)).toBe('failed');
    expect(s.faults.counters.jobsFailed).toBe(1);
  });

  it('makes jobs slow and failing by fault, per vendor', async () => {
    const clock = createFakeClock();
    const s = await start({ clock, jobMs: 10 });
    s.faults.set({ jobs: { durationMs: 60_000, failureRate: 1 } }, { vendor: 'widgets' });
    const id = await startJob(s);
    clock.advance(59_999);
    expect(await jobStatus(s, id)).toBe('running');
    clock.advance(1);
    expect(await jobStatus(s, id)).toBe('failed');
    expect(s.faults.counters.jobsFailed).toBe(1);
  });

  it('speeds jobs up with timeScale', async () => {
    const clock = createFakeClock();
    const s = await start({ clock, jobMs: 10_000, timeScale: 100 });
    const id = await startJob(s);
    clock.advance(100);
    expect(await jobStatus(s, id)).toBe('complete');
  });
});
