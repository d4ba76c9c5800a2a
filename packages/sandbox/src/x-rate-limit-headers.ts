/**
 * The common `X-RateLimit-Limit`, `-Remaining` and `-Reset` (Unix seconds) headers that Thought
 * Industries documents and that VEC (Laravel) and MPDX are modelled with. They describe one
 * limit: the one that refused the request, else the main window, else the day's budget.
 */
import type { RateLimitInfo, RateLimitState } from './types.js';

export function headlineLimit(state: RateLimitState): RateLimitInfo | undefined {
  return (state.refusedBy && state[state.refusedBy]) ?? state.window ?? state.daily;
}

export function xRateLimitHeaders(state: RateLimitState): Record<string, string> {
  const info = headlineLimit(state);
  if (!info) return {};
  return {
    'X-RateLimit-Limit': String(info.limit),
    'X-RateLimit-Remaining': String(Math.max(0, info.remaining)),
    'X-RateLimit-Reset': String(Math.ceil(info.resetAt / 1000)),
  };
}
