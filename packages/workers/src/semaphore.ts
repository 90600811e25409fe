import { inspectSymbol } from "@syncio/core/internal";
import type { WaitOptions } from "@syncio/core";
import type { SemaphoreStatistics } from "@syncio/core";
import type { Acquired } from "@syncio/core";
import { adopt, checkOptions, DEFAULT_WAITERS, waitersOption, type SharedOptions } from "./options.js";
import { checkPermits, MAX_PERMITS, Permits } from "./permits.js";
import { Region, type Handle, type Kind } from "./ticket-ring.js";

/**
 * A counter of permits shared by threads, fair: waiters are served in arrival order across every
 * thread and `release()` hands a permit straight to the first one. asyncio: `asyncio.Semaphore`.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(4);
 * new Worker(url, { workerData: slots.handle });
 * // in each worker:
 * const slots = Semaphore.from(workerData);
 * await slots.run(() => fetchSomething());
 * ```
 */
export class Semaphore extends Permits {
  /**
   * @param value permits free at the start, an integer from 0 to 2³¹−1 (default 1).
   * @param options `waiters`: how many callers may wait at once, across threads (default 1024).
   * @throws TypeError if `value` is not a number; RangeError if it is not an integer in range.
   */
  constructor(value = 1, options?: SharedOptions) {
    const kind: Kind = new.target === BoundedSemaphore ? "BoundedSemaphore" : "Semaphore";
    checkPermits(`${kind}()`, value);
    const { waiters } = checkOptions(`${kind}()`, options, ["waiters"]);
    super(kind, value, kind === "BoundedSemaphore" ? value : MAX_PERMITS, waitersOption(`${kind}()`, waiters, DEFAULT_WAITERS));
  }

  /**
   * Rebuilds in this thread the Semaphore whose `handle` another thread passed on.
   * @throws TypeError if `handle` is not a Semaphore's handle.
   */
  static from(handle: Handle): Semaphore {
    return adopt(Region.open(handle, "Semaphore", "Semaphore.from()"), () => new Semaphore());
  }

  /** Permits free and not handed to a waiter. asyncio: `sem._value`. */
  get value(): number {
    return this.free;
  }

  /** Takes a permit if one is free (then nobody waits); never waits. Returns the handle, or `null`. */
  override tryAcquire(): Acquired | null {
    return super.tryAcquire();
  }

  /**
   * Waits for a permit and resolves to a handle that gives it back (also via `using`).
   * asyncio: `await sem.acquire()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   * Rejects with `signal.reason` on abort, `TimeoutError` on timeout, leaving no trace.
   */
  override acquire(options?: WaitOptions): Promise<Acquired> {
    return super.acquire(options);
  }

  /**
   * Gives a permit back, to the first waiter in any thread if any. asyncio: `sem.release()`.
   * @throws Error if that would pass 2³¹−1 free permits.
   */
  override release(): void {
    super.release();
  }

  /** A frozen snapshot: `{ value, waiters }` (waiters in every thread). */
  statistics(): SemaphoreStatistics {
    return Object.freeze({ value: this.free, waiters: this.waiting });
  }

  /** asyncio's form: `<Semaphore [unlocked, value:1]>`, `<Semaphore [locked, waiters:2]>`. */
  override toString(): string {
    const waiters = this.waiting;
    const state = this.locked() ? "locked" : `unlocked, value:${this.free}`;
    return `<${this.kindName} [${state}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** The class name in messages (explicit, so minifiers cannot change it). */
  protected get kindName(): string {
    return "Semaphore";
  }

  protected overRelease(count: number): Error {
    return new Error(`Semaphore.release() would pass ${count} free permits, the most a shared Semaphore counts`);
  }

  protected get where(): string {
    return `${this.kindName}.acquire()`;
  }
}

/**
 * A {@link Semaphore} that refuses to grow past its initial value: `release()` throws when no
 * permit is out — none held, and none handed to a waiter whose thread has not run yet.
 * asyncio: `asyncio.BoundedSemaphore`.
 *
 * @example
 * ```ts
 * const pool = new BoundedSemaphore(2);
 * pool.release(); // throws: no permit is out
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  /**
   * Rebuilds in this thread the BoundedSemaphore whose `handle` another thread passed on.
   * @throws TypeError if `handle` is not a BoundedSemaphore's handle.
   */
  static override from(handle: Handle): BoundedSemaphore {
    return adopt(Region.open(handle, "BoundedSemaphore", "BoundedSemaphore.from()"), () => new BoundedSemaphore());
  }

  /**
   * Gives a permit back. asyncio: `sem.release()`.
   * @throws Error if no permit is out.
   */
  override release(): void {
    super.release();
  }

  protected override get kindName(): string {
    return "BoundedSemaphore";
  }

  protected override overRelease(count: number): Error {
    return new Error(`BoundedSemaphore.release() called more times than acquire(): no permit is out (value ${count} of ${this.maximum})`);
  }
}
