/** A budget of `requests` sends in any interval of `perMs` milliseconds. */
export interface SendWindow {
  readonly requests: number;
  readonly perMs: number;
}

/**
 * The times of recent sends, kept as long as the longest window needs them. It answers, for any
 * set of windows, the earliest time the next send keeps every window within its budget: a
 * sliding-window log, exact whatever the burst or the timing.
 *
 * A send is first logged when it is let through, and held open for a safety margin beyond its
 * window: the vendor counts it when it arrives, a little later. Once its answer is back,
 * {@link SendLog.answer} moves it to that time, the latest the vendor can have counted it, and
 * the margin is no longer needed: a send that left late (a new connection, a busy event loop)
 * cannot then crowd the vendor's next window.
 */
export class SendLog {
  /** Times of answered sends (and of sends counted for other clients), oldest first. */
  #answered: number[] = [];
  #head = 0;
  /** Times of sends not answered yet, by their sequence number. */
  readonly #pending = new Map<number, number>();

  /**
   * Records a send at `at`, awaiting its answer when `seq` is given, else `count` sends counted
   * as answered (sends of other clients that the vendor's headers revealed).
   */
  add(at: number, seq?: number, count = 1): void {
    if (seq !== undefined) {
      this.#pending.set(seq, at);
      return;
    }
    for (let i = 0; i < count; i++) this.#insert(at);
  }

  /** Moves the send `seq` to `at`, when its answer came (never earlier than it was logged). */
  answer(seq: number, at: number): void {
    const sentAt = this.#pending.get(seq);
    if (sentAt === undefined) return;
    this.#pending.delete(seq);
    this.#insert(Math.max(at, sentAt));
  }

  /** Sends logged at or after `from`, answered or not. */
  countSince(from: number): number {
    let count = this.#answered.length - this.#firstAtOrAfter(from);
    for (const at of this.#pending.values()) if (at >= from) count++;
    return count;
  }

  /** Sends logged so far that are still kept. */
  get size(): number {
    return this.#answered.length - this.#head + this.#pending.size;
  }

  /**
   * The earliest time, not before `now`, at which one more send keeps every window within budget:
   * in each window, at most `requests - 1` earlier sends still counted (an answered send for
   * `perMs` after its answer, one awaiting its answer for `perMs + marginMs` after it left).
   */
  nextFreeAt(
    now: number,
    windows: readonly SendWindow[],
    marginMs: (perMs: number) => number,
  ): number {
    let at = now;
    const pending = [...this.#pending.values()].sort((a, b) => b - a);
    for (const window of windows) {
      const allowed = Math.max(0, Math.floor(window.requests) - 1);
      if (this.size <= allowed) continue;
      // The send that must leave the window before the next one may go: the (allowed + 1)-th
      // latest end of a send's count.
      const end = this.#latestEnd(allowed + 1, pending, window.perMs, marginMs(window.perMs));
      at = Math.max(at, end);
    }
    return at;
  }

  /**
   * Forgets sends older than `before`, answered or not: `before` is at least the longest window
   * and its margin ago, so they no longer count (a send whose answer never came, for example
   * because its request failed before it was sent, stops counting there too).
   */
  prune(before: number): void {
    for (const [seq, at] of this.#pending) if (at < before) this.#pending.delete(seq);
    this.#head = this.#firstAtOrAfter(before);
    if (this.#head > 1024 && this.#head * 2 > this.#answered.length) {
      this.#answered = this.#answered.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * The `rank`-th latest time a send stops counting in a window of `perMs`: answered sends end at
   * `time + perMs`, pending ones at `time + perMs + margin`. `pending` is sorted latest first and
   * small (the requests in flight), so the walk jumps over runs of answered sends by binary
   * search.
   */
  #latestEnd(rank: number, pending: readonly number[], perMs: number, margin: number): number {
    let remaining = rank;
    // Answered sends still to consider: indexes [head, top) of #answered.
    let top = this.#answered.length;
    let next = 0;
    for (;;) {
      const pendingEnd = next < pending.length ? pending[next]! + perMs + margin : undefined;
      // Answered sends that end at or after the next pending one (all of them when none is left).
      const from = pendingEnd === undefined ? this.#head : this.#firstAtOrAfter(pendingEnd - perMs);
      const count = Math.max(0, top - Math.max(from, this.#head));
      if (count >= remaining) return this.#answered[top - remaining]! + perMs;
      remaining -= count;
      top -= count;
      if (pendingEnd === undefined) return Number.NEGATIVE_INFINITY;
      remaining -= 1;
      if (remaining === 0) return pendingEnd;
      next += 1;
    }
  }

  #insert(at: number): void {
    const times = this.#answered;
    if (times.length === this.#head || times[times.length - 1]! <= at) {
      times.push(at);
      return;
    }
    times.splice(this.#firstAfter(at), 0, at);
  }

  #firstAtOrAfter(from: number): number {
    let low = this.#head;
    let high = this.#answered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#answered[mid]! < from) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #firstAfter(at: number): number {
    let low = this.#head;
    let high = this.#answered.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#answered[mid]! <= at) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
