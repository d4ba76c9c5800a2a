import type { ItemError } from './bulk-adapter.js';

/**
 * What happened to one input item:
 * - `succeeded`: the vendor applied it;
 * - `failed`: the vendor refused it for good (or kept refusing until retries ran out);
 * - `unknown`: it may or may not have been applied (the answer was lost, and the operation could
 *   not be safely re-sent or read back);
 * - `skipped`: the run stopped before it was applied: safe to send again.
 */
export type OutcomeStatus = 'succeeded' | 'failed' | 'unknown' | 'skipped';

/** The outcome of one input item. */
export interface ItemOutcome<T, R> {
  /** 0-based position in the input. */
  index: number;
  item: T;
  status: OutcomeStatus;
  /** What the vendor returned for the item, when it succeeded in this run. */
  value?: R | undefined;
  /** Why it failed, or why its outcome is unknown or it was skipped. */
  error?: ItemError | undefined;
  /** Requests that carried this item in this run (0 when it failed validation or was resumed). */
  attempts: number;
  /** `true` when an earlier run of the same journal had already settled it. */
  resumed?: boolean | undefined;
}

/** A snapshot of a run in progress. */
export interface BulkProgress {
  /** Items read from the input so far. */
  total: number;
  /** Items settled: `succeeded + failed + unknown + skipped`. */
  done: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  /** Items in requests that have not answered yet. */
  inFlight: number;
  /** Requests sent so far. */
  requests: number;
  /** Settled items per second since the start. */
  rate: number;
  /**
   * Wall-clock milliseconds during which the run was held back: a 429's backoff was running, or
   * the rate limiter (`limiter`) had requests waiting while this run had a request under way (its
   * own token, or one of its polls, waits there). Overlapping waits count once, so it never
   * exceeds the elapsed time; time the limiter held other clients while this run had nothing
   * under way is not counted.
   */
  throttledMs: number;
  elapsedMs: number;
}

/** The result of {@link runBulk}: every input item is counted exactly once. */
export interface BulkReport<T, R> {
  operation: string;
  /** Id of the run; the same across resumes of one journal. */
  runId: string;
  /** Items read from the input. After an abort, the rest of the input is not read. */
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  /** Of the above, items settled by an earlier run of the same journal (not sent again). */
  resumed: number;
  /** Requests sent (first attempts, retries and re-sends). */
  requests: number;
  /** Requests that were retries of a failed request. */
  retries: number;
  /** 429 answers received. */
  throttled: number;
  /**
   * Wall-clock milliseconds during which the run was held back: a 429's backoff was running, or
   * the rate limiter (`limiter`) had requests waiting while this run had a request under way (its
   * own token, or one of its polls, waits there). Overlapping waits count once, so it never
   * exceeds the elapsed time; time the limiter held other clients while this run had nothing
   * under way is not counted.
   */
  throttledMs: number;
  durationMs: number;
  /** Whether the caller's signal stopped the run. */
  aborted: boolean;
  /**
   * Whether the run stopped because the vendor's daily request budget was spent (or down to the
   * limiter's `dailyReserve`): the items not sent are `skipped` with code `daily_limit`.
   */
  dailyStop: boolean;
  /** Every outcome, ordered by index, when `collect` is set. */
  outcomes?: ItemOutcome<T, R>[] | undefined;
}

/** Thrown by {@link runBulk} when reading the input throws; carries the report so far. */
export class BulkInputError<T = unknown, R = unknown> extends Error {
  override readonly name = 'BulkInputError';
  readonly code = 'input_failed';
  constructor(
    message: string,
    readonly report: BulkReport<T, R>,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}
