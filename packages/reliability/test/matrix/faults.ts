/** The faults of the matrix, each applied on its own at the operation's vendor scope. */
import type { FaultCounters } from '@bulk-clients/sandbox';
import type { MatrixFault } from './types.js';

const serverErrors = (c: FaultCounters) =>
  c.errors[500] + c.errors[502] + c.errors[503] + c.errors[504];

export const matrixFaults: readonly MatrixFault[] = [
  { name: 'none', settings: () => ({}), injected: () => 0, lostAnswers: false },
  {
    name: '429 bursts, Retry-After and rate-limit headers',
    settings: (op) => ({ rateLimit: { ...op.burst } }),
    injected: (c) => c.rateLimited,
    lostAnswers: false,
    avoidable: true,
  },
  {
    name: '429 bursts, no Retry-After, no headers',
    settings: (op) => ({ rateLimit: { ...op.burst, retryAfter: false, headers: false } }),
    injected: (c) => c.rateLimited,
    lostAnswers: false,
  },
  {
    name: '20% 500/502/503/504',
    settings: () => ({ errors: { rate: 0.2 } }),
    injected: serverErrors,
    lostAnswers: false,
  },
  {
    name: '5% resets before the body is read',
    settings: () => ({ resetBeforeBody: 0.05 }),
    injected: (c) => c.resetsBeforeBody,
    lostAnswers: false,
  },
  {
    name: '5% resets after the handler ran',
    settings: () => ({ resetAfterHandler: 0.05 }),
    injected: (c) => c.resetsAfterHandler,
    lostAnswers: true,
  },
  {
    name: '2% truncated JSON (cut, complete response)',
    settings: () => ({ malformedBody: { rate: 0.02, mode: 'cut' } }),
    injected: (c) => c.malformedBodies,
    lostAnswers: true,
  },
  {
    name: '2% truncated JSON (socket closed midway)',
    settings: () => ({ malformedBody: { rate: 0.02, mode: 'abort' } }),
    injected: (c) => c.malformedBodies,
    lostAnswers: true,
  },
  {
    // The server waits before handling; a client that gave up has still sent a request the
    // server then applies: the hardest lost answer.
    name: 'latency spikes 0-250 ms, 200 ms timeout',
    settings: () => ({ latency: { fixedMs: 0, jitterMs: 250 } }),
    injected: (c) => c.delayed,
    timeoutMs: 200,
    lostAnswers: true,
  },
  {
    name: 'slow background jobs (400 ms)',
    settings: () => ({ jobs: { durationMs: 400 } }),
    // Nothing to count: every job of the cell is slow.
    injected: () => Number.NaN,
    jobsOnly: true,
    lostAnswers: false,
  },
  {
    name: '10% failing background jobs',
    settings: () => ({ jobs: { failureRate: 0.1 } }),
    injected: (c) => c.jobsFailed,
    jobsOnly: true,
    lostAnswers: false,
  },
  {
    // Faults meet in real outages: a lost answer followed by a failing retry is where records
    // get written yet reported failed.
    name: 'all at once (5xx, resets, cut bodies, spikes, failing jobs)',
    settings: () => ({
      errors: { rate: 0.1 },
      resetBeforeBody: 0.03,
      resetAfterHandler: 0.03,
      malformedBody: { rate: 0.02, mode: 'abort' },
      latency: { fixedMs: 0, jitterMs: 250 },
      jobs: { failureRate: 0.1 },
    }),
    injected: (c) =>
      serverErrors(c) +
      c.resetsBeforeBody +
      c.resetsAfterHandler +
      c.malformedBodies +
      c.jobsFailed,
    timeoutMs: 200,
    lostAnswers: true,
  },
];
