/** A budget of `requests` sends in any interval of `perMs` milliseconds. */
export interface SendWindow {
  readonly requests: number;
  readonly perMs: number;
}

/**
 * The times of recent sends, oldest first, kept as long as the longest window needs them. It
 * answers, for any set of windows, the earliest time the next send keeps every window within its
 * budget: a sliding-window log, exact whatever the burst or the timing.
 */
export class SendLog {
  #times: number[] = [];
  #head = 0;

  /** Records a send at `at`. Times must not go backwards; a smaller one is recorded as the last. */
  add(at: number, count = 1): void {
    const last = this.#times.length > this.#head ? this.#times[this.#times.length - 1]! : at;
    const time = Math.max(at, last);
    for (let i = 0; i < count; i++) this.#times.push(time);
  }

  /** Sends recorded at or after `from`. */
  countSince(from: number): number {
    return this.#times.length - this.#firstAtOrAfter(from);
  }

  /** Sends recorded so far that are still kept. */
  get size(): number {
    return this.#times.length - this.#head;
  }

  /**
   * The earliest time, not before `now`, at which one more send keeps every window within budget:
   * within each window's `perMs + marginMs`, at most `requests - 1` earlier sends.
   */
  nextFreeAt(
    now: number,
    windows: readonly SendWindow[],
    marginMs: (perMs: number) => number,
  ): number {
    let at = now;
    for (const window of windows) {
      const span = window.perMs + marginMs(window.perMs);
      const kept = this.#times.length - this.#head;
      const allowed = Math.max(0, Math.floor(window.requests) - 1);
      if (kept <= allowed) continue;
      // The send that must leave the window before the next one may go.
      const blocking = this.#times[this.#times.length - 1 - allowed]!;
      at = Math.max(at, blocking + span);
    }
    return at;
  }

  /** Forgets sends older than `before`. */
  prune(before: number): void {
    this.#head = this.#firstAtOrAfter(before);
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  #firstAtOrAfter(from: number): number {
    let low = this.#head;
    let high = this.#times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#times[mid]! < from) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
