import type { RunBulkOptions } from './run-bulk-options.js';

/**
 * The `runBulk` options a vendor bulk operation hands to the engine as they are: all but
 * `limiter` and `acquireTokens`, which belong to the vendor's client (its own rate limiter).
 */
export const RUN_BULK_OPTION_KEYS = [
  'batchSize',
  'maxBatchBytes',
  'concurrency',
  'retry',
  'maxResends',
  'requestTimeoutMs',
  'signal',
  'abortMode',
  'journal',
  'runId',
  'collect',
  'onItem',
  'onDrop',
  'onProgress',
  'clock',
] as const satisfies readonly (keyof RunBulkOptions<unknown, unknown>)[];

/** One of {@link RUN_BULK_OPTION_KEYS}. */
export type RunBulkOptionKey = (typeof RUN_BULK_OPTION_KEYS)[number];

/**
 * The engine options of a vendor bulk operation, for its options interface to extend. `Own`
 * names the ones the operation documents itself (its `batchSize`, a `requestTimeoutMs` with
 * another default...), which are left out here.
 *
 * @example
 * interface BulkCreateOptions extends AdapterOptions, PassedRunBulkOptions<Input, Output, 'batchSize'> {}
 */
export type PassedRunBulkOptions<T, R, Own extends RunBulkOptionKey = never> = Pick<
  RunBulkOptions<T, R>,
  Exclude<RunBulkOptionKey, Own>
>;

/**
 * Copies the engine options out of a vendor operation's options (see
 * {@link RUN_BULK_OPTION_KEYS}); options left `undefined` and the operation's own options stay
 * behind. The caller then adds its client's `limiter`.
 *
 * @example
 * return runBulk(items, adapter, { ...pickRunBulkOptions(options), limiter: rateLimiterOf(api) });
 */
export function pickRunBulkOptions<T, R>(
  options: Partial<Record<RunBulkOptionKey, unknown>>,
): RunBulkOptions<T, R> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const picked: Record<string, unknown> = {};
  for (const key of RUN_BULK_OPTION_KEYS) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked as RunBulkOptions<T, R>;
}
