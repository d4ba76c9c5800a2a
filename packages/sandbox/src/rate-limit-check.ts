import type { RateLimiter } from './rate-limiter.js';
import type { RateLimitPolicy, RateLimitState } from './types.js';

/** One limit that applies to a request. */
export interface LimitSlot {
  policy: RateLimitPolicy;
  limiter: RateLimiter;
}

/**
 * Checks every limit that applies to a request. The request counts against all of them only
 * when all let it through, so a refusal by one limit never spends another's budget. Of several
 * refusing limits the one with the longest wait is named: waiting that long satisfies them all.
 */
export function checkLimits(slots: readonly LimitSlot[], now: number): RateLimitState {
  const state: RateLimitState = {};
  const peeked = slots.map((slot) => ({ slot, decision: slot.limiter.peek(now) }));
  let refused: (typeof peeked)[number] | undefined;
  for (const entry of peeked) {
    if (entry.decision.allowed) continue;
    if (!refused || entry.decision.info.retryAfterMs > refused.decision.info.retryAfterMs) {
      refused = entry;
    }
  }
  if (refused) {
    for (const { slot, decision } of peeked) state[slot.policy] = decision.info;
    state.refusedBy = refused.slot.policy;
    return state;
  }
  for (const slot of slots) state[slot.policy] = slot.limiter.take(now).info;
  return state;
}
