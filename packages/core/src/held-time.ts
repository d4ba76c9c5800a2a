import type { Clock } from './clock.js';

/**
 * Wall-clock time during which a condition held: the union of its intervals, never a sum over
 * the parties that waited (ten requests held back together for 1 s count 1 s, not 10 s).
 */
export class HeldTime {
  readonly #clock: Clock;
  #since: number | undefined;
  #totalMs = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Records whether the condition holds from now on; call it whenever it may have changed. */
  set(held: boolean): void {
    if (held && this.#since === undefined) this.#since = this.#clock.now();
    else if (!held && this.#since !== undefined) {
      this.#totalMs += this.#clock.now() - this.#since;
      this.#since = undefined;
    }
  }

  /** Milliseconds the condition held so far, the current interval included. */
  get ms(): number {
    return this.#totalMs + (this.#since === undefined ? 0 : this.#clock.now() - this.#since);
  }
}
