import type { Clock } from './clock.js';

/** A request's place in {@link RequestDeadlines}; `cancel` it when the request settles. */
export interface RequestDeadline {
  /** When the request times out, on the clock's scale. */
  readonly at: number;
  /** Called once when the deadline passes; cleared by `cancel`. */
  onTimeout: (() => void) | undefined;
}

/**
 * The timeouts of every request of one bulk run, on one timer. All requests of a run share the
 * same timeout, so their deadlines come in the order the requests started and a FIFO queue holds
 * them: one sleep at a time, until the oldest live deadline, replaces a timer, an abort signal and
 * a promise per request (which cost a bulk run of small requests more CPU than its own logic).
 * A request that settles only marks its entry; the queue drops marked entries as it goes.
 */
export class RequestDeadlines {
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  #queue: RequestDeadline[] = [];
  #head = 0;
  #stop: AbortController | undefined;

  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  /** Starts the clock of one request: `onTimeout` runs when `timeoutMs` pass before `cancel`. */
  add(onTimeout: () => void): RequestDeadline {
    const deadline: RequestDeadline = { at: this.#clock.now() + this.#timeoutMs, onTimeout };
    this.#queue.push(deadline);
    if (this.#stop === undefined) void this.#watch();
    return deadline;
  }

  /** The request settled in time. */
  cancel(deadline: RequestDeadline): void {
    deadline.onTimeout = undefined;
    this.#dropSettled();
  }

  /** Ends the timer (call when the run ends, so that no sleep keeps the process alive). */
  close(): void {
    this.#stop?.abort();
    this.#stop = undefined;
    this.#queue = [];
    this.#head = 0;
  }

  // Requests settle roughly in the order they started, so settled entries gather at the head;
  // a hung request holds back at most the requests started within one timeout behind it.
  #dropSettled(): void {
    const queue = this.#queue;
    while (this.#head < queue.length && queue[this.#head]!.onTimeout === undefined) this.#head += 1;
    if (this.#head === queue.length) {
      queue.length = 0;
      this.#head = 0;
    }
  }

  async #watch(): Promise<void> {
    const stop = new AbortController();
    this.#stop = stop;
    try {
      for (;;) {
        this.#dropSettled();
        const next = this.#queue[this.#head];
        if (next === undefined) return;
        const wait = next.at - this.#clock.now();
        if (wait > 0) await this.#clock.sleep(wait, stop.signal);
        if (stop.signal.aborted) return;
        const now = this.#clock.now();
        const queue = this.#queue;
        while (this.#head < queue.length && queue[this.#head]!.at <= now) {
          const due = queue[this.#head]!;
          this.#head += 1;
          const fire = due.onTimeout;
          due.onTimeout = undefined;
          fire?.();
        }
      }
    } catch {
      // Closed while sleeping.
    } finally {
      if (this.#stop === stop) this.#stop = undefined;
    }
  }
}
