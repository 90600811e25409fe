import { inspectSymbol } from "./acquired.js";
import { BrokenBarrierError, checkInteger } from "./errors.js";
import { checkWaitOptions, timedOut, WaiterQueue, type WaitOptions } from "./waiter-queue.js";

/** Where a {@link Barrier} is in its cycle (asyncio's `_BarrierState` values). */
export type BarrierState = "filling" | "draining" | "resetting" | "broken";

/** A snapshot of a {@link Barrier}. */
export interface BarrierStatistics {
  readonly parties: number;
  readonly state: BarrierState;
  /** Callers blocked in `wait()` in the current round. */
  readonly waiters: number;
}

/**
 * Lets `parties` callers wait for each other: the round trips when the last one arrives, and
 * each resolves to its own index in `0 … parties-1` (the last arrival gets `parties-1`). Indices
 * are unique within a round even when a waiter left it by abort or timeout (asyncio can hand out
 * a duplicate, gh-155233). Hand-off is synchronous, so a round drains at once: "draining" and
 * "resetting" last only inside the call that trips or resets. asyncio: `asyncio.Barrier`.
 *
 * @example
 * ```ts
 * const start = new Barrier(3);
 * const index = await start.wait(); // in each of three tasks
 * ```
 */
export class Barrier {
  readonly #parties: number;
  #state: BarrierState = "filling";
  /** The current round's waiters in arrival order; their index is their position at the trip. */
  readonly #waiters = new WaiterQueue<number>();

  /**
   * @param parties how many callers make a round, an integer ≥ 1.
   * @throws TypeError if `parties` is not a number; RangeError if it is not an integer ≥ 1.
   */
  constructor(parties: number) {
    this.#parties = checkInteger("Barrier()", "parties", parties, 1);
  }

  /** How many callers make a round. asyncio: `barrier.parties`. */
  get parties(): number {
    return this.#parties;
  }

  /** Callers waiting in the current round. asyncio: `barrier.n_waiting`. */
  get nWaiting(): number {
    return this.#waiters.size;
  }

  /** Whether the barrier is broken (after `abort()`, until `reset()`). asyncio: `barrier.broken`. */
  get broken(): boolean {
    return this.#state === "broken";
  }

  /**
   * Waits until `parties` callers are waiting, then resolves to this caller's index.
   * asyncio: `await barrier.wait()`.
   * Rejects with `BrokenBarrierError` if the barrier is broken, reset or aborted meanwhile.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  wait(options?: WaitOptions): Promise<number> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, "Barrier.wait()");
      if (aborted !== undefined) return aborted;
    }
    if (this.#state === "broken") return Promise.reject(new BrokenBarrierError("Barrier.wait() called on a broken Barrier"));
    if (this.#waiters.size + 1 === this.#parties) return Promise.resolve(this.#trip());
    if (options?.timeout === 0) return timedOut("Barrier.wait()", 0);
    return this.#waiters.wait(options, "Barrier.wait()");
  }

  /**
   * Returns the barrier to its empty, filling state; callers waiting in it reject with
   * `BrokenBarrierError`. Also repairs a broken barrier. asyncio: `await barrier.reset()`.
   */
  reset(): void {
    if (this.#waiters.size > 0) {
      this.#state = "resetting";
      this.#waiters.rejectAll(() => new BrokenBarrierError("Barrier was reset while waiting"));
    }
    this.#state = "filling";
  }

  /**
   * Breaks the barrier: callers waiting reject with `BrokenBarrierError`, and so will every
   * `wait()` until `reset()`. asyncio: `await barrier.abort()`.
   */
  abort(): void {
    this.#state = "broken";
    this.#waiters.rejectAll(() => new BrokenBarrierError("Barrier was aborted while waiting"));
  }

  /** A frozen snapshot: `{ parties, state, waiters }`. */
  statistics(): BarrierStatistics {
    return Object.freeze({ parties: this.#parties, state: this.#state, waiters: this.#waiters.size });
  }

  /** asyncio's form: `<Barrier [filling, waiters:2/3]>`, `<Barrier [broken]>`. */
  toString(): string {
    if (this.#state === "broken") return "<Barrier [broken]>";
    return `<Barrier [${this.#state}, waiters:${this.#waiters.size}/${this.#parties}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** The last party arrived: everyone queued gets its index, in arrival order; returns the caller's. */
  #trip(): number {
    this.#state = "draining";
    let index = 0;
    for (let waiter = this.#waiters.shift(); waiter !== null; waiter = this.#waiters.shift()) waiter.resolve(index++);
    this.#state = "filling";
    return index;
  }
}
