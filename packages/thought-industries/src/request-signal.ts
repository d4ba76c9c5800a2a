/**
 * The signal for one HTTP call inside a bulk send: it aborts with the send (caller's abort, the
 * engine's timeout) and on its own after `timeoutMs`, so that one hung call cannot use up the
 * time of a whole send that also waits for a background job. `0` means no timeout of its own.
 */
export function requestSignal(
  signal: AbortSignal | undefined,
  timeoutMs: number,
): AbortSignal | undefined {
  if (timeoutMs <= 0) return signal;
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
