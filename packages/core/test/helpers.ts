import type {
  BatchItem,
  BulkAdapter,
  ItemResult,
  ReconcileResult,
  SendContext,
} from '../src/bulk-adapter.js';
import type { Clock } from '../src/clock.js';

/**
 * Virtual time: `sleep` registers a timer, and whenever the process is otherwise idle (a
 * macrotask later) the earliest timer fires and the clock jumps to it. Runs that would take
 * minutes of backoff finish in milliseconds, in a deterministic order.
 */
export interface TestClock extends Clock {
  /** Every delay asked for, in order. */
  readonly sleeps: number[];
  /** Timers not yet fired. */
  pending(): number;
}

export function createTestClock(start = 1_000_000): TestClock {
  let now = start;
  let seq = 0;
  let scheduled = false;
  const sleeps: number[] = [];
  const timers: { at: number; seq: number; fire(): void }[] = [];
  const advance = () => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = timers.shift();
    if (!timer) return;
    now = Math.max(now, timer.at);
    timer.fire();
    if (timers.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // Two turns of the event loop: work woken by the last timer gets to run and register its own.
    setImmediate(() => setImmediate(advance));
  };
  return {
    sleeps,
    pending: () => timers.length,
    now: () => now,
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          fire: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const at = timers.indexOf(timer);
          if (at >= 0) timers.splice(at, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
        schedule();
      });
    },
  };
}

/** `[0..9]` for contiguous indexes, `[0,2,5]` otherwise. */
export function formatIndexes(batch: readonly { index: number }[]): string {
  const indexes = batch.map((entry) => entry.index);
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  const contiguous = indexes.every((index, at) => index === (first ?? 0) + at);
  if (contiguous && first !== undefined && last !== undefined && indexes.length > 1)
    return `[${first}..${last}]`;
  return `[${indexes.join(',')}]`;
}

export interface SendCall<T> {
  batch: readonly BatchItem<T>[];
  ctx: SendContext;
  /** 1-based number of this send over the whole run. */
  call: number;
}

export interface ScriptedAdapterOptions<T, R> {
  operation?: string;
  maxBatchSize?: number;
  idempotent?: boolean;
  /** Decides each send: return results, or throw to fail the whole request. */
  script?: (call: SendCall<T>) => ItemResult<R>[] | Promise<ItemResult<R>[]>;
  reconcile?: (call: SendCall<T>) => ReconcileResult<R>[] | Promise<ReconcileResult<R>[]>;
  validate?: BulkAdapter<T, R>['validate'];
  sizeOf?: BulkAdapter<T, R>['sizeOf'];
  /** Virtual time a send takes (needs `clock`). */
  latencyMs?: number;
  clock?: Clock;
}

export interface ScriptedAdapter<T, R> extends BulkAdapter<T, R> {
  /** `SEND [0..9]`, `DONE [0..9]`, `FAIL [0..9] <reason>`, `RECONCILE [0..9]`. */
  readonly log: string[];
  /** Most sends in flight at once. */
  readonly maxInFlight: number;
  /** Items that were sent, with how many times. */
  readonly sentCount: Map<number, number>;
}

/** Every item succeeds with `{ id: index }`. */
export function succeedAll<T>(call: SendCall<T>): ItemResult<{ id: number }>[] {
  return call.batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
}

/** A fake vendor operation that records what it was sent and answers as scripted. */
export function createScriptedAdapter<T, R = { id: number }>(
  options: ScriptedAdapterOptions<T, R> = {},
): ScriptedAdapter<T, R> {
  const log: string[] = [];
  const sentCount = new Map<number, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const script = options.script ?? (succeedAll as unknown as NonNullable<typeof options.script>);
  const adapter: ScriptedAdapter<T, R> = {
    operation: options.operation ?? 'test.items.bulkWrite',
    maxBatchSize: options.maxBatchSize ?? 10,
    idempotent: options.idempotent ?? true,
    log,
    get maxInFlight() {
      return maxInFlight;
    },
    sentCount,
    async send(batch, ctx) {
      const call = ++calls;
      const range = formatIndexes(batch);
      log.push(`SEND ${range}`);
      for (const entry of batch) sentCount.set(entry.index, (sentCount.get(entry.index) ?? 0) + 1);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (options.latencyMs !== undefined && options.clock) {
          await options.clock.sleep(options.latencyMs, ctx.signal);
        }
        const results = await script({ batch, ctx, call });
        log.push(`DONE ${range}`);
        return results;
      } catch (error) {
        log.push(`FAIL ${range} ${reasonOf(error)}`);
        throw error;
      } finally {
        inFlight -= 1;
      }
    },
  };
  if (options.validate) adapter.validate = options.validate;
  if (options.sizeOf) adapter.sizeOf = options.sizeOf;
  if (options.reconcile) {
    const reconcile = options.reconcile;
    adapter.reconcile = async (batch, ctx) => {
      log.push(`RECONCILE ${formatIndexes(batch)}`);
      return reconcile({ batch, ctx, call: ++calls });
    };
  }
  return adapter;
}

function reasonOf(error: unknown): string {
  if (error && typeof error === 'object') {
    const record = error as {
      status?: unknown;
      code?: unknown;
      name?: unknown;
      cause?: { code?: unknown };
    };
    if (typeof record.status === 'number') return String(record.status);
    if (typeof record.cause?.code === 'string') return record.cause.code;
    if (typeof record.code === 'string') return record.code;
    if (typeof record.name === 'string') return record.name;
  }
  return String(error);
}

/** `count` items `{ n }` as a generator, counting how many were pulled. */
export function countingItems(count: number): {
  items: Iterable<{ n: number }>;
  pulled: () => number;
} {
  let pulled = 0;
  function* generate() {
    for (let n = 0; n < count; n++) {
      pulled += 1;
      yield { n };
    }
  }
  return { items: generate(), pulled: () => pulled };
}

/** The accounting invariant every report must satisfy. */
export function accounted(report: {
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
}): boolean {
  return report.succeeded + report.failed + report.unknown + report.skipped === report.total;
}

/** A network error shaped like undici's: `TypeError('fetch failed')` with a coded cause. */
export function fetchFailed(code: string): TypeError {
  const cause = Object.assign(new Error(`connect ${code}`), { code });
  return new TypeError('fetch failed', { cause });
}

/** An `ApiError` for `status`, as `unwrap` would throw it. */
export { ApiError } from '../src/api-error.js';
