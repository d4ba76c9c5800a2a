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
        random: () => 0.9999999,
      },
    );
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 5000, 5000]);
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
  ])('rejects %o', async (options, message) => {
    await expect(pollUntilDone(scripted([job('complete')]), options)).rejects.toThrow(message);
  });
});
