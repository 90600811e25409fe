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
   * Takes the lock if it is free and nobody is queued, and returns its handle; never waits.
   * `null` when it would have to wait.
   * asyncio has no twin (it is `if not lock.locked(): await lock.acquire()` without the race).
   */
  override tryAcquire(): Acquired | null {
    return super.tryAcquire();
  }

  /**
   * Unlocks, or hands the lock to the first waiter. Releases whoever holds it (locks have no
   * owner, as in asyncio); the holder's handle then knows its acquisition is over and will not
   * release again. asyncio: `lock.release()`.
   * @throws Error if the lock is not locked.
   */
  override release(): void {
    super.release();
  }

  /**
   * Acquires the lock, runs `fn`, and releases once the promise `fn` returns settles; resolves or
   * rejects as `fn` did (async-mutex's `runExclusive`). asyncio: `async with lock: return await fn()`.
   * @throws TypeError if `fn` is not a function; TypeError / RangeError on bad options.
   *
   * @example
   * ```ts
   * const total = await lock.run(async () => await readModifyWrite(), { timeout: 1000 });
   * ```
   */
  override run<R>(fn: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    return super.run(fn, options);
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

  /** @internal A handle releases only while its acquisition is the current one. */
  override releaseHandle(grant: number): void {
    if (this.current !== grant) {
      throw new Error(`Lock: this handle's acquisition was already released by a bare Lock.release(); not releasing again (the lock is ${this.free === 0 ? "a later acquisition's now" : "unlocked"})`);
    }
    this.release();
  }

  /** @internal */
  override holds(grant: number): boolean {
    return this.current === grant;
  }

  protected get where(): string {
    return "Lock.acquire()";
  }
}
