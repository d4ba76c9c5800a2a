/**
 * The signal for one HTTP call inside a larger piece of work (a bulk send that also uploads
 * files or waits for a background job): it aborts with `signal` (the caller's abort, the bulk
 * engine's timeout of the whole send) and on its own after `timeoutMs`, so that one hung call
 * cannot use up the time of everything around it. `0` (or less) means no timeout of its own.
 *
 * @example api.GET('/jobs/{id}', { params, signal: requestTimeoutSignal(ctx.signal, 60_000) })
 */
export function requestTimeoutSignal(signal: AbortSignal, timeoutMs: number): AbortSignal;
export function requestTimeoutSignal(
  signal: AbortSignal | undefined,
  timeoutMs: number,
): AbortSignal | undefined;
export function requestTimeoutSignal(
  signal: AbortSignal | undefined,
  timeoutMs: number,
): AbortSignal | undefined {
  if (!(timeoutMs > 0)) return signal;
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
