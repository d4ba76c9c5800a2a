import { describe, expect, it } from 'vitest';
import { RequestDeadlines } from '../src/request-deadlines.js';
import { runBulk } from '../src/run-bulk.js';
import { createScriptedAdapter, createTestClock } from './helpers.js';

/** Resolves once the test clock has run every timer due within `ms` from now. */
const advance = async (clock: ReturnType<typeof createTestClock>, ms: number) => {
  await clock.sleep(ms);
};

describe('RequestDeadlines', () => {
  it('times out a request that outlives the timeout, at its own deadline', async () => {
    const clock = createTestClock();
    const deadlines = new RequestDeadlines(clock, 1000);
    const start = clock.now();
    const fired: number[] = [];
    deadlines.add(() => fired.push(clock.now() - start));
    await advance(clock, 300);
    deadlines.add(() => fired.push(clock.now() - start));
    await advance(clock, 2000);
    expect(fired).toEqual([1000, 1300]);
    deadlines.close();
  });

  it('never times out a request that was cancelled', async () => {
    const clock = createTestClock();
    const deadlines = new RequestDeadlines(clock, 1000);
    const fired: string[] = [];
    const first = deadlines.add(() => fired.push('first'));
    await advance(clock, 10);
    deadlines.add(() => fired.push('second'));
    deadlines.cancel(first);
    await advance(clock, 5000);
    expect(fired).toEqual(['second']);
    deadlines.close();
  });

  it('keeps one timer for many requests and none once they settled', async () => {
    const clock = createTestClock();
    const deadlines = new RequestDeadlines(clock, 1000);
    const handles = Array.from({ length: 50 }, () => deadlines.add(() => undefined));
    expect(clock.sleeps).toEqual([1000]);
    for (const handle of handles) deadlines.cancel(handle);
    await advance(clock, 1000);
    expect(clock.pending()).toBe(0);
  });

  it('stops its timer on close', async () => {
    const clock = createTestClock();
    const deadlines = new RequestDeadlines(clock, 60_000);
    const fired: string[] = [];
    deadlines.add(() => fired.push('late'));
    expect(clock.pending()).toBe(1);
    deadlines.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending()).toBe(0);
    expect(fired).toEqual([]);
  });
});

describe('runBulk request timeouts', () => {
  it('runs one timer for the requests of a run, not one per request, and leaves none behind', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({ clock, latencyMs: 5 });
    const items = Array.from({ length: 200 }, (_, n) => ({ n }));
    const report = await runBulk(items, adapter, { clock, concurrency: 4, requestTimeoutMs: 1000 });
    expect(report).toMatchObject({ succeeded: 200, requests: 20 });
    // 20 sends of 5 ms each, and the run's one timeout timer.
    expect(clock.sleeps.filter((ms) => ms === 5)).toHaveLength(20);
    expect(clock.sleeps.filter((ms) => ms !== 5)).toEqual([1000]);
    expect(clock.pending()).toBe(0);
  });

  it('sets no timer at all when requestTimeoutMs is 0', async () => {
    const clock = createTestClock();
    const adapter = createScriptedAdapter<{ n: number }>({ clock, latencyMs: 5 });
    const items = Array.from({ length: 30 }, (_, n) => ({ n }));
    await runBulk(items, adapter, { clock, requestTimeoutMs: 0 });
    expect(clock.sleeps).toEqual([5, 5, 5]);
  });
});
