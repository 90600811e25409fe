/**
 * Barrier's words:
 *
 *   FIELD+0  PARTIES  callers that make a round
 *   FIELD+1  BROKEN   1 after abort(), until reset()
 *   line 0            the round's waiters; the trip grants each its index (VALUE ≥ 0) in ticket
 *                     order, reset() and abort() grant RESET / ABORTED
 */
import { BrokenBarrierError, type BarrierStatistics } from "@syncio/core";
import { checkInteger, checkWaitOptions, inspectSymbol, timedOut } from "@syncio/core/internal";
import type { WaitOptions } from "@syncio/core";
import { adopt, adopted, checkOptions, DEFAULT_WAITERS, linesFull, waitersOption, type SharedOptions } from "./options.js";
import { FIELD, Region, type Handle, type Line } from "./ticket-ring.js";
import { TicketWait, type TicketHooks } from "./wait.js";

const PARTIES = FIELD;
const BROKEN = FIELD + 1;
const RESET = -1;
const ABORTED = -2;

const indexOrBroken: TicketHooks<number> = {
  granted(value) {
    if (value === RESET) throw new BrokenBarrierError("Barrier was reset while waiting");
    if (value === ABORTED) throw new BrokenBarrierError("Barrier was aborted while waiting");
    return value;
  },
};

/**
 * Lets `parties` callers, in any threads, wait for each other: the round trips when the last one
 * arrives, and each resolves to its own index in `0 … parties-1` in arrival order (the last
 * arrival gets `parties-1`), unique within a round even when a waiter left it by abort or timeout.
 * asyncio: `asyncio.Barrier`.
 *
 * @example
 * ```ts
 * const start = new Barrier(4);
 * for (let i = 0; i < 3; i++) new Worker(url, { workerData: start.handle });
 * await start.wait(); // here and in each worker: Barrier.from(workerData).wait()
 * ```
 */
export class Barrier {
  readonly #region: Region;
  readonly #words: Int32Array;
  readonly #waiters: Line;

  /**
   * @param parties how many callers make a round, an integer ≥ 1.
   * @param options `waiters`: how many callers may wait at once, across threads (default 1024; at least `parties` − 1 are needed).
   * @throws TypeError if `parties` is not a number; RangeError if it is not an integer ≥ 1.
   */
  constructor(parties: number, options?: SharedOptions) {
    const region = adopted();
    if (region !== undefined) {
      this.#region = region;
    } else {
      checkInteger("Barrier()", "parties", parties, 1);
      const { waiters } = checkOptions("Barrier()", options, ["waiters"]);
      const slots = Math.max(parties - 1, waitersOption("Barrier()", waiters, DEFAULT_WAITERS));
      this.#region = Region.create({ kind: "Barrier", slots, lines: [false] });
      this.#region.words[PARTIES] = parties;
    }
    this.#words = this.#region.words;
    this.#waiters = this.#region.lines[0]!;
  }

  /**
   * Rebuilds in this thread the Barrier whose `handle` another thread passed on.
   * @throws TypeError if `handle` is not a Barrier's handle.
   */
  static from(handle: Handle): Barrier {
    return adopt(Region.open(handle, "Barrier", "Barrier.from()"), () => new Barrier(1));
  }

  /** The plain object to pass to another thread, where `Barrier.from(handle)` rebuilds it. */
  get handle(): Handle {
    return { kind: "Barrier", buffer: this.#region.buffer };
  }

  /** How many callers make a round. asyncio: `barrier.parties`. */
  get parties(): number {
    return this.#words[PARTIES]!;
  }

  /** Callers waiting in the current round, in every thread. asyncio: `barrier.n_waiting`. */
  get nWaiting(): number {
    return this.#waiters.live;
  }

  /** Whether the barrier is broken (after `abort()`, until `reset()`). asyncio: `barrier.broken`. */
  get broken(): boolean {
    return Atomics.load(this.#words, BROKEN) === 1;
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
    const region = this.#region;
    const words = this.#words;
    let ticket: number | undefined;
    region.enter();
    try {
      if (words[BROKEN] === 1) return Promise.reject(new BrokenBarrierError("Barrier.wait() called on a broken Barrier"));
      // The last party: everyone queued gets its index in arrival order, this caller the next one.
      if (this.#waiters.live + 1 === words[PARTIES]) return Promise.resolve(this.#waiters.grantAll((index) => index));
      if (options?.timeout === 0) return timedOut("Barrier.wait()", 0);
      ticket = this.#waiters.enqueue();
    } finally {
      region.leave();
    }
    if (ticket === undefined) return linesFull("Barrier.wait()", "Barrier", region.slots);
    return TicketWait.wait(this.#waiters, ticket, indexOrBroken, options, "Barrier.wait()");
  }

  /**
   * Returns the barrier to its empty, filling state; callers waiting in it reject with
   * `BrokenBarrierError`. Also repairs a broken barrier. asyncio: `await barrier.reset()`.
   */
  reset(): void {
    this.#region.enter();
    try {
      this.#waiters.grantAll(() => RESET);
      Atomics.store(this.#words, BROKEN, 0);
    } finally {
      this.#region.leave();
    }
  }

  /**
   * Breaks the barrier: callers waiting reject with `BrokenBarrierError`, and so will every
   * `wait()` until `reset()`. asyncio: `await barrier.abort()`.
   */
  abort(): void {
    this.#region.enter();
    try {
      Atomics.store(this.#words, BROKEN, 1);
      this.#waiters.grantAll(() => ABORTED);
    } finally {
      this.#region.leave();
    }
  }

  /** A frozen snapshot: `{ parties, state, waiters }`; "draining" and "resetting" never outlast the call that trips or resets. */
  statistics(): BarrierStatistics {
    return Object.freeze({ parties: this.parties, state: this.broken ? "broken" : "filling", waiters: this.#waiters.live });
  }

  /** asyncio's form: `<Barrier [filling, waiters:2/3]>`, `<Barrier [broken]>`. */
  toString(): string {
    if (this.broken) return "<Barrier [broken]>";
    return `<Barrier [filling, waiters:${this.#waiters.live}/${this.parties}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
