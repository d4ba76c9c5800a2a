/**
 * A counting semaphore: at most `limit` tasks run at once, the others wait in arrival order.
 * Shared by every batch of a bulk run, so that uploads stay bounded whatever the concurrency.
 */
export class ConcurrencyLimit {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * Runs `task` once a slot is free. A task whose `signal` aborted while it waited is not run:
   * it rejects with `signal.reason` when its turn comes. Waiters add no abort listener, so a
   * batch of hundreds of uploads does not pile listeners on one signal; tasks in flight see the
   * abort through their own requests and free their slots at once.
   */
  async run<X>(task: () => Promise<X>, signal?: AbortSignal): Promise<X> {
    // A finishing task hands its slot straight to the next waiter, so none can slip in between.
    if (this.#active < this.#limit) this.#active += 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      if (signal?.aborted) throw signal.reason;
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }
}
