import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import { type PollStatus, pollUntilDone } from '../src/poll-until-done.js';
import { createTestClock, fetchFailed } from './helpers.js';

type Job = { status: string };
const job = (status: string): PollStatus<Job> => ({
  state: status === 'complete' ? 'succeeded' : status === 'failed' ? 'failed' : 'pending',
  value: { status },
});

/** A check that walks through scripted answers; an Error in the script is thrown. */
const scripted = (answers: (PollStatus<Job> | Error)[]) => {
  let at = 0;
  return async () => {
    const answer = answers[Math.min(at++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
};

describe('pollUntilDone', () => {
  it.each([
    ['succeeded', 'complete'],
    ['failed', 'failed'],
  ])('stops with %s at the terminal state', async (state, status) => {
    const clock = createTestClock();
    const result = await pollUntilDone(scripted([job('pending'), job('running'), job(status)]), {
      clock,
      random: () => 0,
    });
    expect(result).toEqual({ state, last: { status }, polls: 3, elapsedMs: 2000 });
  });

  it('checks at once, then backs off exponentially with jitter between min and max', async () => {
    const clock = createTestClock();
    await pollUntilDone(
      scripted([
        job('pending'),
        job('pending'),
        job('pending'),
        job('pending'),
        job('pending'),
        job('complete'),
      ]),
      {
        clock,
        minDelayMs: 1000,
        maxDelayMs: 5000,
        maxDelayRatio: Number.POSITIVE_INFINITY,
        random: () => 0.9999999,
      },
    );
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('caps each wait at minDelayMs plus maxDelayRatio of the time elapsed', async () => {
    const clock = createTestClock();
    await pollUntilDone(
      scripted([job('pending'), job('pending'), job('pending'), job('pending'), job('complete')]),
      { clock, minDelayMs: 1000, maxDelayMs: 60_000, maxDelayRatio: 0.5, random: () => 0.9999999 },
    );
    // Elapsed before each wait: 0, 1000, 2500, 4750; the doubling bound is 1000, 2000, 4000, 8000.
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375]);
  });

  describe.each([200, 2_000, 20_000, 200_000])('a job that settles after %i ms', (settleMs) => {
    /** Polls a job on the test clock that is complete from `settleMs` after the first check. */
    const watch = async (random: () => number, options: { maxDelayRatio?: number } = {}) => {
      const clock = createTestClock();
      const start = clock.now();
      const result = await pollUntilDone(
        async () => job(clock.now() - start >= settleMs ? 'complete' : 'running'),
        { clock, minDelayMs: 1000, maxDelayMs: 15_000, random, ...options },
      );
      return { ...result, delayMs: clock.now() - start - settleMs };
    };

    it('is seen within 10% of its duration plus minDelayMs, even with the longest jitter', async () => {
      const result = await watch(() => 0.9999999);
      expect(result.state).toBe('succeeded');
      expect(result.delayMs).toBeLessThanOrEqual(1000 + 0.1 * settleMs);
    });

    it('is read no more often than once a second', async () => {
      const result = await watch(() => 0);
      expect(result.polls).toBeLessThanOrEqual(Math.ceil(settleMs / 1000) + 1);
    });
  });

  it('reads a 20 s job fewer times than a fixed 1 s loop, with average jitter', async () => {
    const clock = createTestClock();
    const start = clock.now();
    const result = await pollUntilDone(
      async () => job(clock.now() - start >= 20_000 ? 'complete' : 'running'),
      { clock, minDelayMs: 1000, maxDelayMs: 15_000, random: () => 0.5 },
    );
    expect(result.polls).toBeLessThan(21);
    expect(clock.now() - start - 20_000).toBeLessThanOrEqual(3000);
  });

  it('lets a Retry-After exceed the elapsed-time cap', async () => {
    const clock = createTestClock();
    await pollUntilDone(scripted([{ ...job('running'), retryAfterMs: 30_000 }, job('complete')]), {
      clock,
      minDelayMs: 1000,
      random: () => 0,
    });
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('times out at maxWaitMs after a last check at the deadline', async () => {
    const clock = createTestClock();
    const result = await pollUntilDone(scripted([job('running')]), {
      clock,
      minDelayMs: 1000,
      maxDelayMs: 1000,
      maxWaitMs: 3500,
    });
    expect(result).toMatchObject({
      state: 'timeout',
      last: { status: 'running' },
      polls: 5,
      elapsedMs: 3500,
    });
    expect(clock.sleeps).toEqual([1000, 1000, 1000, 500]);
  });

  it('survives transient errors while the job runs', async () => {
    const clock = createTestClock();
    const unavailable = new ApiError({ status: 503, method: 'GET', url: '/jobs/1', body: null });
    const result = await pollUntilDone(
      scripted([
        job('running'),
        unavailable,
        fetchFailed('ECONNRESET'),
        job('running'),
        job('complete'),
      ]),
      { clock },
    );
    expect(result).toMatchObject({ state: 'succeeded', polls: 5 });
    expect(result.lastError).toBeUndefined();
  });

  it('keeps the last transient error when the wait ends while checks fail', async () => {
    const clock = createTestClock();
    const unavailable = new ApiError({ status: 503, method: 'GET', url: '/jobs/1', body: null });
    const result = await pollUntilDone(scripted([unavailable]), {
      clock,
      maxWaitMs: 2000,
      minDelayMs: 1000,
    });
    expect(result).toMatchObject({ state: 'timeout', last: undefined });
    expect(result.lastError).toBe(unavailable);
  });

  it('throws errors that are not transient', async () => {
    const clock = createTestClock();
    const notFound = new ApiError({ status: 404, method: 'GET', url: '/jobs/1', body: null });
    await expect(pollUntilDone(scripted([job('running'), notFound]), { clock })).rejects.toBe(
      notFound,
    );
  });

  it('honours the Retry-After of an error and of a status', async () => {
    const clock = createTestClock();
    const limited = new ApiError({
      status: 429,
      method: 'GET',
      url: '/jobs/1',
      body: null,
      retryAfterMs: 9000,
    });
    await pollUntilDone(
      scripted([limited, { ...job('running'), retryAfterMs: 7000 }, job('complete')]),
      {
        clock,
        minDelayMs: 100,
        maxDelayMs: 200,
        random: () => 0,
      },
    );
    expect(clock.sleeps).toEqual([9000, 7000]);
  });

  it('stops with aborted when the signal fires during a wait', async () => {
    const clock = createTestClock();
    const controller = new AbortController();
    let polls = 0;
    const result = await pollUntilDone(
      async () => {
        polls += 1;
        if (polls === 2) queueMicrotask(() => controller.abort());
        return job('running');
      },
      { clock, signal: controller.signal },
    );
    expect(result).toMatchObject({ state: 'aborted', polls: 2, last: { status: 'running' } });
  });

  it('calls onPoll after every status', async () => {
    const clock = createTestClock();
    const seen: string[] = [];
    await pollUntilDone(scripted([job('pending'), job('complete')]), {
      clock,
      onPoll: (status, ctx) => seen.push(`${ctx.poll}:${(status.value as Job).status}`),
    });
    expect(seen).toEqual(['1:pending', '2:complete']);
  });

  it.each([
    [{ minDelayMs: -1 }, /minDelayMs/],
    [{ minDelayMs: 500, maxDelayMs: 100 }, /maxDelayMs/],
    [{ maxWaitMs: Number.NaN }, /maxWaitMs/],
    [{ maxDelayRatio: -0.1 }, /maxDelayRatio/],
    [{ maxDelayRatio: Number.NaN }, /maxDelayRatio/],
  ])('rejects %o', async (options, message) => {
    await expect(pollUntilDone(scripted([job('complete')]), options)).rejects.toThrow(message);
  });
});
