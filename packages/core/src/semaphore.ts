import { Acquired, inspectSymbol } from "./acquired.js";
import { checkInteger } from "./errors.js";
import { Permits } from "./permits.js";
import type { WaitOptions } from "./waiter-queue.js";

/** A snapshot of a {@link Semaphore}. */
export interface SemaphoreStatistics {
  /** Permits free and not reserved for a waiter. */
  readonly value: number;
  /** Callers queued in `acquire()`. */
  readonly waiters: number;
}

/**
 * A counter of permits, fair: waiters are served in arrival order and `release()` hands a
 * permit straight to the first one. asyncio: `asyncio.Semaphore`.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(4);
 * using _slot = await slots.acquire();
 * ```
 */
export class Semaphore extends Permits {
  /**
   * @param value permits free at the start, an integer ≥ 0 (default 1).
   * @throws TypeError if `value` is not a number; RangeError if it is not an integer ≥ 0.
   */
  constructor(value = 1) {
    super(checkInteger(new.target.name + "()", "value", value, 0));
  }

  /** Permits free and not reserved for a waiter. asyncio: `sem._value`. */
  get value(): number {
    return this.free;
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
   * Takes a permit if one is free and nobody is queued, and returns its handle; never waits.
   * `null` when it would have to wait. asyncio has no twin.
   */
  override tryAcquire(): Acquired | null {
    return super.tryAcquire();
  }

  /** Gives a permit back, to the first waiter if any. asyncio: `sem.release()`. */
  override release(): void {
    super.release();
  }

  /**
   * Acquires a permit, runs `fn`, and gives the permit back once the promise `fn` returns
   * settles; resolves or rejects as `fn` did (p-limit's `limit(fn)`).
   * asyncio: `async with sem: return await fn()`.
   * @throws TypeError if `fn` is not a function; TypeError / RangeError on bad options.
   *
   * @example
   * ```ts
   * const pages = await Promise.all(urls.map((url) => slots.run(() => fetch(url))));
   * ```
   */
  override run<R>(fn: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    return super.run(fn, options);
  }

  /** A frozen snapshot: `{ value, waiters }`. */
  statistics(): SemaphoreStatistics {
    return Object.freeze({ value: this.free, waiters: this.waiters.size });
  }

  /** asyncio's form: `<Semaphore [unlocked, value:1]>`, `<Semaphore [locked, waiters:2]>`. */
  override toString(): string {
    const waiters = this.waiters.size;
    const state = this.locked() ? "locked" : `unlocked, value:${this.free}`;
    return `<${this.constructor.name} [${state}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  protected checkRelease(): void {}

  protected get where(): string {
    return `${this.constructor.name}.acquire()`;
  }
}

/**
 * A {@link Semaphore} that refuses to grow past its initial value: `release()` throws when no
 * permit is out — none held, and none handed to a waiter whose code has not run yet
 * (asyncio's `BoundedSemaphore` misses that last case). asyncio: `asyncio.BoundedSemaphore`.
 *
 * @example
 * ```ts
 * const pool = new BoundedSemaphore(2);
 * pool.release(); // throws: no permit is out
 * ```
 */
export class BoundedSemaphore extends Semaphore {
  /** The initial value, which `value` can never exceed. */
  readonly #bound: number;

  /** @param value permits at the start and the most there can ever be, an integer ≥ 0 (default 1). */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /**
   * Gives a permit back. asyncio: `sem.release()`.
   * @throws Error if no permit is out.
   */
  override release(): void {
    super.release();
  }

  protected override checkRelease(): void {
    if (this.free >= this.#bound) throw new Error(`BoundedSemaphore.release() called more times than acquire(): no permit is out (value ${this.free} of ${this.#bound})`);
  }

  /** @internal Past the bound, a handle's permit must have gone back through a bare release(). */
  override releaseHandle(grant: number): void {
    if (this.free >= this.#bound) {
      throw new Error(`BoundedSemaphore: this handle's permit was already given back by a bare release(): no permit is out (value ${this.free} of ${this.#bound}); not releasing again`);
    }
    super.releaseHandle(grant);
  }
}
