import { describe, expect, it } from 'vitest';
import { pickRunBulkOptions } from '../src/pass-run-bulk-options.js';
import { RateLimiter } from '../src/rate-limiter.js';

describe('pickRunBulkOptions', () => {
  it('copies the engine options that are set and leaves the rest behind', () => {
    const onItem = () => {};
    const picked = pickRunBulkOptions({
      concurrency: 2,
      onItem,
      runId: undefined,
      idProperty: 'external_ref',
    } as Record<string, unknown>);
    expect(picked).toEqual({ concurrency: 2, onItem });
  });

  it('never passes a limiter: the vendor client owns it', () => {
    const limiter = new RateLimiter({ requests: 1, perMs: 1000 });
    const options = { limiter, acquireTokens: true } as Record<string, unknown>;
    expect(pickRunBulkOptions(options)).toEqual({});
  });

  it('throws a TypeError for options that are not an object', () => {
    expect(() => pickRunBulkOptions(null as never)).toThrow(TypeError);
  });
});
