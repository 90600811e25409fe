/**
 * Event's words:
 *
 *   FIELD+0  SET    1 while the flag is set (then nobody waits)
 *   line 0          the waiters; set() grants them all (VALUE 1)
 */
import { checkWaitOptions, inspectSymbol, timedOut } from "@syncio/core/internal";
import type { WaitOptions } from "@syncio/core";
import type { EventStatistics } from "@syncio/core";
import { adopt, adopted, checkOptions, DEFAULT_WAITERS, linesFull, waitersOption, type SharedOptions } from "./options.js";
import { FIELD, Region, type Handle, type Line } from "./ticket-ring.js";
import { TicketWait, type TicketHooks } from "./wait.js";

const SET = FIELD;
const woken: TicketHooks<true> = { granted: () => true };

/**
 * A flag that threads can wait for. `set()` wakes every waiter in every thread; they resolve
 * `true` even if `clear()` follows at once. asyncio: `asyncio.Event`.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * new Worker(url, { workerData: ready.handle });
 * // in the worker:
 * await Event.from(workerData).wait();
 * ```
 */
export class Event {
  readonly #region: Region;
  readonly #words: Int32Array;
  readonly #waiters: Line;

  /**
   * @param options `waiters`: how many callers may wait at once, across threads (default 1024).
   * @throws TypeError / RangeError on bad options.
   */
  constructor(options?: SharedOptions) {
    const region = adopted();
    const { waiters } = checkOptions("Event()", options, ["waiters"]);
    this.#region = region ?? Region.create({ kind: "Event", slots: waitersOption("Event()", waiters, DEFAULT_WAITERS), lines: [false] });
    this.#words = this.#region.words;
    this.#waiters = this.#region.lines[0]!;
  }

  /**
   * Rebuilds in this thread the Event whose `handle` another thread passed on.
   * @throws TypeError if `handle` is not an Event's handle.
   */
  static from(handle: Handle): Event {
    return adopt(Region.open(handle, "Event", "Event.from()"), () => new Event());
  }

  /** The plain object to pass to another thread, where `Event.from(handle)` rebuilds it. */
  get handle(): Handle {
    return { kind: "Event", buffer: this.#region.buffer };
  }

  /** Whether the flag is set. asyncio: `event.is_set()`. */
  isSet(): boolean {
    return Atomics.load(this.#words, SET) === 1;
  }

  /**
   * Resolves `true` once the flag is set (at once if it is). asyncio: `await event.wait()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  wait(options?: WaitOptions): Promise<true> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, "Event.wait()");
      if (aborted !== undefined) return aborted;
    }
    if (Atomics.load(this.#words, SET) === 1) return Promise.resolve(true);
    if (options?.timeout === 0) return timedOut("Event.wait()", 0);
    const region = this.#region;
    let ticket: number | undefined;
    region.enter();
    try {
      if (this.#words[SET] === 1) return Promise.resolve(true);
      ticket = this.#waiters.enqueue();
    } finally {
      region.leave();
    }
    if (ticket === undefined) return linesFull("Event.wait()", "Event", region.slots);
    return TicketWait.wait(this.#waiters, ticket, woken, options, "Event.wait()");
  }

  /** Sets the flag and wakes every waiter, in every thread. asyncio: `event.set()`. */
  set(): void {
    if (Atomics.load(this.#words, SET) === 1) return;
    this.#region.enter();
    try {
      Atomics.store(this.#words, SET, 1);
      this.#waiters.grantAll(() => 1);
    } finally {
      this.#region.leave();
    }
  }

  /** Clears the flag; later `wait()` calls block again. asyncio: `event.clear()`. */
  clear(): void {
    Atomics.store(this.#words, SET, 0);
  }

  /** A frozen snapshot: `{ set, waiters }` (waiters in every thread). */
  statistics(): EventStatistics {
    return Object.freeze({ set: this.isSet(), waiters: this.#waiters.live });
  }

  /** asyncio's form: `<Event [unset, waiters:2]>`, `<Event [set]>`. */
  toString(): string {
    const waiters = this.#waiters.live;
    return `<Event [${this.isSet() ? "set" : "unset"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
