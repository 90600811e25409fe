import { inspectSymbol } from "@syncio/core/internal";
import type { WaitOptions } from "@syncio/core";
import type { LockStatistics } from "@syncio/core";
import type { Acquired } from "@syncio/core";
import { adopt, checkOptions, DEFAULT_WAITERS, waitersOption, type SharedOptions } from "./options.js";
import { Permits } from "./permits.js";
import { Region, type Handle } from "./ticket-ring.js";

/**
 * A mutual-exclusion lock shared by threads: waiters get it in arrival order across every thread,
 * and `release()` hands it straight to the first one, so no thread can barge in. Waiting never
 * blocks a thread's event loop. asyncio: `asyncio.Lock`.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * new Worker(url, { workerData: lock.handle });
 * // in the worker:
 * const lock = Lock.from(workerData);
 * await using _held = await lock.acquire({ timeout: 1_000 });
 * ```
 */
export class Lock extends Permits {
  /**
   * @param options `waiters`: how many callers may wait at once, across threads (default 1024).
   * @throws TypeError / RangeError on bad options.
   */
  constructor(options?: SharedOptions) {
    const { waiters } = checkOptions("Lock()", options, ["waiters"]);
    super("Lock", 1, 1, waitersOption("Lock()", waiters, DEFAULT_WAITERS));
  }

  /**
   * Rebuilds in this thread the Lock whose `handle` another thread passed on.
   * @throws TypeError if `handle` is not a Lock's handle.
   */
  static from(handle: Handle): Lock {
    return adopt(Region.open(handle, "Lock", "Lock.from()"), () => new Lock());
  }

  /**
   * Takes the lock if it is free and nobody waits; never waits. Returns the handle, or `null`.
   * asyncio has no twin (it is `if not lock.locked(): await lock.acquire()` without the race).
   */
  override tryAcquire(): Acquired | null {
    return super.tryAcquire();
  }

  /**
   * Waits for the lock and resolves to a handle that releases it (also via `using`).
   * asyncio: `await lock.acquire()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   * Rejects with `signal.reason` on abort, `TimeoutError` on timeout, leaving no trace.
   */
  override acquire(options?: WaitOptions): Promise<Acquired> {
    return super.acquire(options);
  }

  /**
   * Unlocks, or hands the lock to the first waiter in any thread. asyncio: `lock.release()`.
   * @throws Error if the lock is not locked.
   */
  override release(): void {
    super.release();
  }

  /** A frozen snapshot: `{ locked, waiters }` (waiters in every thread). */
  statistics(): LockStatistics {
    return Object.freeze({ locked: this.locked(), waiters: this.waiting });
  }

  /** asyncio's form: `<Lock [locked, waiters:1]>`. */
  override toString(): string {
    const waiters = this.waiting;
    return `<Lock [${this.locked() ? "locked" : "unlocked"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  protected overRelease(): Error {
    return new Error("Lock.release() called on an unlocked Lock");
  }

  protected get where(): string {
    return "Lock.acquire()";
  }
}
