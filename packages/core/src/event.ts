import { inspectSymbol } from "./acquired.js";
import { checkWaitOptions, RESOLVED_TRUE, timedOut, WaiterQueue, type WaitOptions } from "./waiter-queue.js";

/** A snapshot of an {@link Event}. */
export interface EventStatistics {
  readonly set: boolean;
  /** Callers blocked in `wait()`. */
  readonly waiters: number;
}

/**
 * A flag that callers can wait for. `set()` wakes every waiter at once; they resolve `true`
 * even if `clear()` follows immediately. asyncio: `asyncio.Event`.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * setTimeout(() => ready.set(), 10);
 * await ready.wait();
 * ```
 */
export class Event {
  /** Whether the flag is set; while it is, nobody waits. */
  #set = false;
  readonly #waiters = new WaiterQueue<true>();

  /** Whether the flag is set. asyncio: `event.is_set()`. */
  isSet(): boolean {
    return this.#set;
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
    if (this.#set) return RESOLVED_TRUE;
    if (options?.timeout === 0) return timedOut("Event.wait()", 0);
    return this.#waiters.wait(options, "Event.wait()");
  }

  /** Sets the flag and wakes every waiter. asyncio: `event.set()`. */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    this.#waiters.resolveAll(true);
  }

  /** Clears the flag; later `wait()` calls block again. asyncio: `event.clear()`. */
  clear(): void {
    this.#set = false;
  }

  /** A frozen snapshot: `{ set, waiters }`. */
  statistics(): EventStatistics {
    return Object.freeze({ set: this.#set, waiters: this.#waiters.size });
  }

  /** asyncio's form: `<Event [unset, waiters:2]>`. */
  toString(): string {
    const waiters = this.#waiters.size;
    return `<Event [${this.#set ? "set" : "unset"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}
