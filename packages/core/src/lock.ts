import { Acquired, inspectSymbol } from "./acquired.js";
import { Permits } from "./permits.js";
import type { WaitOptions } from "./waiter-queue.js";

/** A snapshot of a {@link Lock}. */
export interface LockStatistics {
  readonly locked: boolean;
  /** Callers queued in `acquire()`. */
  readonly waiters: number;
}

/**
 * A mutual-exclusion lock, fair: waiters get it in arrival order, and `release()` hands it
 * straight to the first one, so a newcomer can never barge in. asyncio: `asyncio.Lock`.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * using _held = await lock.acquire();   // or: await lock.acquire(); try { … } finally { lock.release(); }
 * ```
 */
export class Lock extends Permits {
  constructor() {
    super(1);
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
   * Unlocks, or hands the lock to the first waiter. asyncio: `lock.release()`.
   * @throws Error if the lock is not locked.
   */
  override release(): void {
    super.release();
  }

  /** A frozen snapshot: `{ locked, waiters }`. */
  statistics(): LockStatistics {
    return Object.freeze({ locked: this.locked(), waiters: this.waiters.size });
  }

  /** asyncio's form: `<Lock [locked, waiters:1]>`. */
  override toString(): string {
    const waiters = this.waiters.size;
    return `<Lock [${this.locked() ? "locked" : "unlocked"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  protected checkRelease(): void {
    if (this.free !== 0) throw new Error("Lock.release() called on an unlocked Lock");
  }

  protected get where(): string {
    return "Lock.acquire()";
  }
}
