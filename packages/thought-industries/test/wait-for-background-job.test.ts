import type { Clock } from '@bulk-clients/core';
import { createRecordingFetch } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import {
  type BackgroundJob,
  createThoughtIndustriesClient,
  waitForBackgroundJob,
} from '../src/index.js';
import { resolveJobPollOptions } from '../src/internal.js';

const jobId = '5b1d3c2e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';

/** A clock whose sleeps return at once and move time on by what they asked for. */
function createSteppingClock() {
  let now = 0;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps };
}

function job(status: BackgroundJob['status']): BackgroundJob {
  return {
    id: jobId,
    type: 'certificate-templates-bulk-create',
    description: 'Creating certificate templates',
    createdAt: '2026-01-05T10:00:00.000Z',
    repeatable: false,
    status,
  };
}

/** A client whose job reads answer `running` until `settleMs` of the clock have passed. */
function clientWithJobSettlingAfter(settleMs: number, clock: Clock) {
  const transport = createRecordingFetch(() => ({
    status: 200,
    body: { data: { APIBackgroundJob: job(clock.now() >= settleMs ? 'complete' : 'running') } },
  }));
  const ti = createThoughtIndustriesClient({
    token: 'ti_test_example',
    baseUrl: 'https://acme.thoughtindustries.com',
    fetch: transport.fetch,
    rateLimit: false,
  });
  return { api: ti.api, requests: transport.requests };
}

describe('waitForBackgroundJob', () => {
  it.each([2_000, 20_000, 60_000])(
    'sees a job that settles after %i ms within 10% of its duration plus minDelayMs',
    async (settleMs) => {
      const { clock } = createSteppingClock();
      const { api, requests } = clientWithJobSettlingAfter(settleMs, clock);
      const result = await waitForBackgroundJob(api, job('pending'), {
        httpTimeoutMs: 0,
        clock,
        random: () => 0.9999999,
      });
      expect(result.state).toBe('succeeded');
      expect(clock.now() - settleMs).toBeLessThanOrEqual(1000 + 0.1 * settleMs);
      expect(result.polls).toBe(requests.length);
    },
  );

  it('passes maxDelayRatio on: Infinity leaves the waits to the backoff', async () => {
    const { clock, sleeps } = createSteppingClock();
    const { api } = clientWithJobSettlingAfter(60_000, clock);
    await waitForBackgroundJob(api, job('running'), {
      httpTimeoutMs: 0,
      clock,
      random: () => 0.9999999,
      maxDelayRatio: Number.POSITIVE_INFINITY,
    });
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it('throws a TypeError naming a negative maxDelayRatio', async () => {
    const { clock } = createSteppingClock();
    const { api } = clientWithJobSettlingAfter(0, clock);
    expect(() => resolveJobPollOptions({ maxDelayRatio: -1 })).toThrow(/`poll.maxDelayRatio`/);
    await expect(
      waitForBackgroundJob(api, job('running'), { httpTimeoutMs: 0, clock, maxDelayRatio: -1 }),
    ).rejects.toThrow(/`maxDelayRatio`/);
  });
});
