import type { Redact } from '../redact.js';
import { formatCount, formatDuration } from './format.js';
import { formatBudget, type ReportedBudget } from './summary.js';
import type { TextStream } from './text-stream.js';

/** Where a run stands; the bulk engine's counters map onto it. */
export interface ProgressSnapshot {
  /** Records settled so far (succeeded, failed, unknown or skipped). */
  done: number;
  /** All records, when known in advance (it enables the percentage and the ETA). */
  total?: number | undefined;
  failed: number;
  unknown?: number | undefined;
  /** Responses that asked us to slow down (429 and the like). */
  throttled?: number | undefined;
  /** Time spent waiting because of them. */
  throttledMs?: number | undefined;
  /** The rate limit in force and where it came from. */
  budget?: ReportedBudget | undefined;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Where to draw; progress never goes to stdout, which belongs to `--json`. */
  stream: TextStream;
  /** Every line passes through it. */
  redact: Redact;
  /** `false` (from `--no-progress`) prints nothing at all. @default true */
  enabled?: boolean;
  /** Milliseconds, monotonic; inject a fake in tests. @default performance.now */
  now?: () => number;
  /** Words in front of each line, e.g. `hubspot tickets-update`. @default '' */
  label?: string;
  /** Least time between two plain lines when the stream is not a terminal. @default 5000 */
  lineIntervalMs?: number;
  /** Least time between two redraws of the bar on a terminal. @default 100 */
  redrawIntervalMs?: number;
  /**
   * On a terminal, the bar is also redrawn this often without any `update` (elapsed time, rate
   * and ETA move on while the run waits, e.g. held back by throttling). The timer is unref'd: it
   * never keeps the process alive. `0` turns it off.
   * @default 1000
   */
  tickMs?: number;
}

/** A progress display; call `update` as often as you like, it redraws only when due. */
export interface Progress {
  update(snapshot: ProgressSnapshot): void;
  /** Draws the final state and ends the line. Later calls do nothing. */
  finish(snapshot?: ProgressSnapshot): void;
}

const BAR_WIDTH = 24;

/**
 * A progress renderer for stderr: a bar redrawn in place on a terminal (count, rate, ETA,
 * failures, throttling), plain lines at most every `lineIntervalMs` otherwise (logs stay
 * readable), nothing with `enabled: false`.
 */
export function createProgress(options: ProgressOptions): Progress {
  const { stream, redact } = options;
  if (!stream || typeof stream.write !== 'function') {
    throw new TypeError('Expected `stream` to be a writable stream');
  }
  if (typeof redact !== 'function') throw new TypeError('Expected `redact` to be a function');
  if (options.enabled === false) return { update() {}, finish() {} };
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const interval = tty ? (options.redrawIntervalMs ?? 100) : (options.lineIntervalMs ?? 5000);
  const label = options.label ? `${options.label}: ` : '';
  const startedAt = now();
  let lastDrawAt = Number.NEGATIVE_INFINITY;
  let last: ProgressSnapshot = { done: 0, failed: 0 };
  let lastDrawn: ProgressSnapshot | undefined;
  let finished = false;

  const draw = (snapshot: ProgressSnapshot, at: number, final: boolean): void => {
    lastDrawAt = at;
    lastDrawn = snapshot;
    const text = describe(snapshot, at - startedAt, tty);
    if (tty) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(redact(`\r\x1b[K${(label + text).slice(0, width)}${final ? '\n' : ''}`));
    } else {
      stream.write(redact(`${label}${text}\n`));
    }
  };

  const tickMs = options.tickMs ?? 1000;
  let timer: ReturnType<typeof setInterval> | undefined;
  const startTicking = (): void => {
    if (!tty || tickMs <= 0 || timer !== undefined) return;
    timer = setInterval(() => {
      const at = now();
      if (at - lastDrawAt >= tickMs) draw(last, at, false);
    }, tickMs);
    timer.unref?.();
  };

  return {
    update(snapshot) {
      if (finished) return;
      last = snapshot;
      startTicking();
      const at = now();
      if (at - lastDrawAt >= interval) draw(snapshot, at, false);
    },
    finish(snapshot) {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearInterval(timer);
      const final = snapshot ?? last;
      // In a log, a line that says what the previous one said is noise: a short run would print
      // its only progress line twice.
      if (!tty && lastDrawn !== undefined && sameCounts(lastDrawn, final)) return;
      draw(final, now(), true);
    },
  };
}

function sameCounts(a: ProgressSnapshot, b: ProgressSnapshot): boolean {
  return (
    a.done === b.done &&
    a.total === b.total &&
    a.failed === b.failed &&
    (a.unknown ?? 0) === (b.unknown ?? 0) &&
    (a.throttled ?? 0) === (b.throttled ?? 0)
  );
}

function describe(snapshot: ProgressSnapshot, elapsedMs: number, bar: boolean): string {
  const { done, total, failed } = snapshot;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const parts: string[] = [];
  const known = total !== undefined && total > 0;
  const fraction = known ? Math.min(1, done / total) : undefined;
  if (bar && fraction !== undefined) {
    const filled = Math.round(fraction * BAR_WIDTH);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`);
  }
  parts.push(
    known
      ? `${formatCount(done)}/${formatCount(total)} (${Math.floor((fraction ?? 0) * 100)}%)`
      : `${formatCount(done)} records`,
  );
  parts.push(`${formatCount(rate)}/s`);
  if (known && done < total) {
    parts.push(rate > 0 ? `ETA ${formatDuration(((total - done) / rate) * 1000)}` : 'ETA ?');
  }
  parts.push(`${formatCount(failed)} failed`);
  if (snapshot.unknown) parts.push(`${formatCount(snapshot.unknown)} unknown`);
  if (snapshot.throttled) {
    parts.push(
      `throttled ${formatCount(snapshot.throttled)}x (${formatDuration(snapshot.throttledMs ?? 0)})`,
    );
  }
  if (snapshot.budget) parts.push(`limit ${formatBudget(snapshot.budget)}`);
  return parts.join('  ');
}
