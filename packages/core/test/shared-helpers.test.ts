import { describe, expect, it } from 'vitest';
import { requestTimeoutSignal } from '../src/request-timeout-signal.js';
import { isUuid } from '../src/uuid.js';

describe('requestTimeoutSignal', () => {
  it('returns the given signal when there is no timeout of its own', () => {
    const controller = new AbortController();
    expect(requestTimeoutSignal(controller.signal, 0)).toBe(controller.signal);
    expect(requestTimeoutSignal(undefined, 0)).toBeUndefined();
  });

  it('aborts with the given signal', () => {
    const controller = new AbortController();
    const signal = requestTimeoutSignal(controller.signal, 60_000);
    expect(signal.aborted).toBe(false);
    controller.abort(new Error('stop'));
    expect(signal.aborted).toBe(true);
  });

  it('aborts on its own once the timeout passes', async () => {
    const controller = new AbortController();
    const signal = requestTimeoutSignal(controller.signal, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe('TimeoutError');
    expect(controller.signal.aborted).toBe(false);
  });
});

describe.each([
  ['0b6a3c1e-8f0e-4c5e-9a61-2f4c7d9e1a00', true],
  ['0B6A3C1E-8F0E-4C5E-9A61-2F4C7D9E1A00', true],
  ['00000000-0000-0000-0000-000000000000', true],
  ['0b6a3c1e8f0e4c5e9a612f4c7d9e1a00', false],
  ['0b6a3c1e-8f0e-4c5e-9a61-2f4c7d9e1a0', false],
  [' 0b6a3c1e-8f0e-4c5e-9a61-2f4c7d9e1a00', false],
  [42, false],
  [undefined, false],
])('isUuid(%j)', (value, expected) => {
  it(`is ${expected}`, () => {
    expect(isUuid(value)).toBe(expected);
  });
});
