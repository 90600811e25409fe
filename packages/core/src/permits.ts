/** The shared machinery of Lock and Semaphore: a count of free permits and a waiter queue. */
import { newHandle, type Acquired, type Grantor } from "./acquired.js";
import { typeError } from "./errors.js";
import { checkWaitOptions, timedOut, WaiterQueue, type WaitOptions } from "./waiter-queue.js";

/** @internal Base of {@link Lock} and {@link Semaphore}; not exported. */
export abstract class Permits implements Grantor {
  /** Free permits not reserved for anyone; while anyone waits it is 0 (hand-off is direct). */
  protected free: number;
  protected readonly waiters: WaiterQueue<Acquired> = new WaiterQueue<Acquired>();
  /** The number of the acquisition in force, for a Lock (its handle's); 0 while unlocked. */
  protected current = 0;
  /** The last acquisition number handed out; numbers stay small integers and wrap after 2³⁰−1. */
  #grants = 0;

  protected constructor(free: number) {
    this.free = free;
  }

  /** Whether `acquire()` would have to wait. */
  locked(): boolean {
    return this.free === 0;
  }

  /**
   * Takes a permit if one is free and nobody is queued, and returns its handle; never waits.
   * `null` when it would have to wait (so `if (x.tryAcquire())` reads as before).
   * asyncio has no twin (it is `if not x.locked(): await x.acquire()` without the race).
   */
  tryAcquire(): Acquired | null {
    if (this.free === 0) return null;
    this.free--;
    return newHandle(this, this.#grant());
  }

  /** See the subclasses. */
  acquire(options?: WaitOptions): Promise<Acquired> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, this.where);
      if (aborted !== undefined) return aborted;
    }
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(newHandle(this, this.#grant()));
    }
    if (options?.timeout === 0) return timedOut(this.where, 0);
    return this.waiters.wait(options, this.where);
  }

  /** See the subclasses. */
  release(): void {
    this.checkRelease();
    const waiter = this.waiters.shift();
    // The permit goes straight to the first waiter: no newcomer can take it in between.
    if (waiter !== null) waiter.resolve(newHandle(this, this.#grant()));
    else {
      this.free++;
      this.current = 0;
    }
  }

  /**
   * Acquires, runs `fn`, and releases once the promise it returns settles, whatever its outcome;
   * resolves or rejects as `fn` did. The safe form where `using` is not available, or where a
   * `return fn()` without `await` inside a `using` block would release too early.
   * asyncio: `async with x: return await fn()`.
   * @throws TypeError if `fn` is not a function; TypeError / RangeError on bad options.
   */
  run<R>(fn: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    if (typeof fn !== "function") throw typeError(this.where.replace("acquire", "run"), "fn", "a function", fn);
    return runHolding(this.acquire(options), fn);
  }

  /** @internal */
  releaseHandle(_grant: number): void {
    this.release();
  }

  /** @internal */
  holds(_grant: number): boolean {
    return true;
  }

  /** @internal A Condition's wait() gives its caller's acquisition back the lock it took again. */
  static restoreGrant(permits: Permits, grant: number): void {
    permits.current = grant;
  }

  /** @internal The number of the acquisition in force. */
  static grantOf(permits: Permits): number {
    return permits.current;
  }

  /** Throws, changing nothing, if `release()` is misuse. */
  protected abstract checkRelease(): void;

  /** `Name.acquire()`, for messages. */
  protected abstract get where(): string;

  /** Numbers a new acquisition and makes it the one in force. */
  #grant(): number {
    const grant = this.#grants === 0x3fffffff ? 1 : this.#grants + 1;
    this.#grants = grant;
    return (this.current = grant);
  }
}

/** Runs `fn` once `acquiring` resolves, and releases that handle when fn's promise settles. */
export async function runHolding<R>(acquiring: Promise<Acquired>, fn: () => R | PromiseLike<R>): Promise<Awaited<R>> {
  const handle = await acquiring;
  try {
    return await fn();
  } finally {
    handle.release();
  }
}
