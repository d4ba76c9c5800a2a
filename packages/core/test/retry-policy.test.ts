import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import {
  backoffDelay,
  classifyFailure,
  errorCodeOf,
  NotSentError,
  resolveRetryOptions,
} from '../src/retry-policy.js';
import { fetchFailed } from './helpers.js';

const apiError = (status: number, retryAfterMs?: number) =>
  new ApiError({ status, method: 'POST', url: 'http://127.0.0.1/x', body: {}, retryAfterMs });

describe('classifyFailure', () => {
  describe.each([
    ['ApiError 408', apiError(408), 'retry', 'http_408'],
    ['ApiError 429', apiError(429), 'retry', 'http_429'],
    ['ApiError 503', apiError(503), 'retry', 'http_503'],
    ['ApiError 500', apiError(500), 'unknown', 'http_500'],
    ['ApiError 502', apiError(502), 'unknown', 'http_502'],
    ['ApiError 504', apiError(504), 'unknown', 'http_504'],
    ['ApiError 400', apiError(400), 'fatal', 'http_400'],
    ['ApiError 401', apiError(401), 'fatal', 'http_401'],
    ['ApiError 409', apiError(409), 'fatal', 'http_409'],
    ['ApiError 422', apiError(422), 'fatal', 'http_422'],
    ['connection refused', fetchFailed('ECONNREFUSED'), 'retry', 'ECONNREFUSED'],
    ['DNS failure', fetchFailed('ENOTFOUND'), 'retry', 'ENOTFOUND'],
    ['DNS try again', fetchFailed('EAI_AGAIN'), 'retry', 'EAI_AGAIN'],
    ['connect timeout', fetchFailed('UND_ERR_CONNECT_TIMEOUT'), 'retry', 'UND_ERR_CONNECT_TIMEOUT'],
    ['connection reset', fetchFailed('ECONNRESET'), 'unknown', 'ECONNRESET'],
    ['socket closed', fetchFailed('UND_ERR_SOCKET'), 'unknown', 'UND_ERR_SOCKET'],
    [
      'headers timeout',
      fetchFailed('UND_ERR_HEADERS_TIMEOUT'),
      'unknown',
      'UND_ERR_HEADERS_TIMEOUT',
    ],
    ['body timeout', fetchFailed('UND_ERR_BODY_TIMEOUT'), 'unknown', 'UND_ERR_BODY_TIMEOUT'],
    ['broken pipe', fetchFailed('EPIPE'), 'unknown', 'EPIPE'],
    ['fetch failed without a code', new TypeError('fetch failed'), 'unknown', 'network_error'],
    ['timeout', new DOMException('timed out', 'TimeoutError'), 'unknown', 'timeout'],
    ['abort', new DOMException('aborted', 'AbortError'), 'aborted', 'aborted'],
    [
      'invalid JSON answer',
      new SyntaxError('Unexpected end of JSON input'),
      'unknown',
      'invalid_response',
    ],
    ['not sent', new NotSentError('waited too long'), 'retry', 'ERR_NOT_SENT'],
    ['programming error', new RangeError('bad'), 'fatal', 'error'],
  ])('%s', (_name, error, kind, reason) => {
    it(`is ${kind}`, () => {
      expect(classifyFailure(error)).toMatchObject({ kind, reason });
    });
  });

  it('finds codes in aggregated connection errors', () => {
    const aggregate = Object.assign(
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
      {},
    );
    const error = new TypeError('fetch failed', { cause: aggregate });
    expect(errorCodeOf(error)).toBe('ECONNREFUSED');
    expect(classifyFailure(error).kind).toBe('retry');
  });

  it('carries the retry-after of an ApiError', () => {
    expect(classifyFailure(apiError(429, 7000))).toEqual({
      kind: 'retry',
      reason: 'http_429',
      retryAfterMs: 7000,
    });
  });
});

describe('backoffDelay', () => {
  const options = resolveRetryOptions({
    minDelayMs: 100,
    maxDelayMs: 1000,
    factor: 2,
    random: () => 0.999999,
  });
  it.each([
    [1, 99],
    [2, 199],
    [3, 399],
    [4, 799],
    [5, 999],
    [9, 999],
  ])('bounds retry %i by min x factor^(n-1), capped at max', (retry, expected) => {
    expect(backoffDelay(retry, options)).toBe(expected);
  });

  it('spreads delays over the whole range (full jitter)', () => {
    const low = resolveRetryOptions({ minDelayMs: 100, random: () => 0 });
    expect(backoffDelay(3, low)).toBe(0);
  });

  it('never waits less than the vendor asked', () => {
    expect(backoffDelay(1, options, 5000)).toBe(5000);
  });
});

describe('resolveRetryOptions', () => {
  it('merges over the defaults', () => {
    expect(resolveRetryOptions({ retries: 2 })).toMatchObject({
      retries: 2,
      minDelayMs: 500,
      maxDelayMs: 30_000,
      factor: 2,
    });
  });
  it.each([
    [{ retries: 1.5 }, /retries/],
    [{ minDelayMs: Number.NaN }, /minDelayMs/],
    [{ factor: 0.5 }, /factor/],
    [{ random: 3 }, /random/],
  ])('rejects %o', (options, message) => {
    expect(() => resolveRetryOptions(options as never)).toThrow(message);
  });
});
