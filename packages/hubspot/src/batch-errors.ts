import type { BatchItemError } from './types.js';

/**
 * Whether a batch answer is the 207 kind, with failed inputs listed in `errors`. Batch calls
 * answer 200 and 207 with the same `results`, so callers branch on this rather than the status.
 */
export function hasBatchErrors<T extends { results: unknown[] }>(
  result: T,
): result is T & { errors: BatchItemError[]; numErrors: number } {
  const errors = (result as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0;
}
