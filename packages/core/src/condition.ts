import { type Acquired, inspectSymbol } from "./acquired.js";
import { checkInteger, TimeoutError, typeError } from "./errors.js";
import { Lock } from "./lock.js";
import { Permits, runHolding } from "./permits.js";
import type { Timer } from "./runtime.js";
import { waitUntil } from "./wait-until.js";
import { arm, checkWaitOptions, timedOut, unwatchSignal, Waiter, WaiterQueue, type Cancellable, type WaitOptions } from "./waiter-queue.js";

/** A snapshot of a {@link Condition}. */
export interface ConditionStatistics {
  readonly locked: boolean;
  /** Callers in `wait()` not yet notified (not those queued on the lock). */
  readonly waiters: number;
}

/**
 * A lock plus a way to wait for a notification while not holding it. `wait()` releases the
 * lock, waits, and always holds the lock again when it settles, also when it rejects.
 * asyncio: `asyncio.Condition`.
 *
 * @example
 * ```ts
 * const changed = new Condition();
 * {
 *   using _held = await changed.acquire();
 *   await changed.waitFor(() => items.length > 0); // not `() => items.shift()`: a falsy item (0, "") would be skipped
 *   const item = items.shift()!;
 * }
 * ```
 */
export class Condition {
  readonly #lock: Lock;
  /** Callers in wait() not yet notified, in arrival order. */
  readonly #waiters = new WaiterQueue<void>();

  /**
   * @param lock the lock to use (default: a new one); several conditions may share one.
   * @throws TypeError if `lock` is not a {@link Lock}.
   */
  constructor(lock?: Lock) {
    if (lock !== undefined && !(lock instanceof Lock)) throw typeError("Condition()", "lock", "a Lock or undefined", lock);
    this.#lock = lock ?? new Lock();
  }

  /** Whether the underlying lock is held. asyncio: `cond.locked()`. */
  locked(): boolean {
    return this.#lock.locked();
  }

  /** Acquires the underlying lock; see {@link Lock.acquire}. asyncio: `await cond.acquire()`. */
  acquire(options?: WaitOptions): Promise<Acquired> {
    checkWaitOptions(options, "Condition.acquire()")?.catch(() => {});
    // The lock's handle releases the lock, which is what releasing the condition means.
    const acquiring = this.#lock.acquire(options);
    const timeout = options?.timeout;
    if (timeout === undefined || timeout === Infinity) return acquiring;
    // Name this call, not the lock's, in a timeout (a signal's own reason passes unchanged).
    return acquiring.catch((error: unknown) => {
      const fromSignal = options?.signal?.aborted === true && error === options.signal.reason;
      throw error instanceof TimeoutError && !fromSignal ? new TimeoutError(`Condition.acquire() timed out after ${timeout} ms`) : error;
    });
  }

  /**
   * Acquires the underlying lock, runs `fn` (which may `wait()`), and releases once the promise
   * `fn` returns settles; resolves or rejects as `fn` did. asyncio: `async with cond: return await fn()`.
   * @throws TypeError if `fn` is not a function; TypeError / RangeError on bad options.
   *
   * @example
   * ```ts
   * const item = await changed.run(async () => {
   *   await changed.waitFor(() => items.length > 0);
   *   return items.shift()!;
   * });
   * ```
   */
  run<R>(fn: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    if (typeof fn !== "function") throw typeError("Condition.run()", "fn", "a function", fn);
    return runHolding(this.acquire(options), fn);
  }

  /**
   * Releases the underlying lock. asyncio: `cond.release()`.
   * @throws Error if it is not locked.
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Releases the lock, waits for a notification, takes the lock back, and resolves `true`.
   * On abort or timeout it also takes the lock back before rejecting; a notification it had
   * already received then passes to the next waiter. asyncio: `await cond.wait()`.
   * @throws Error if the lock is not held; TypeError / RangeError on bad options.
   */
  wait(options?: WaitOptions): Promise<true> {
    const aborted = checkWaitOptions(options, "Condition.wait()");
    if (!this.#lock.locked()) throw new Error("Condition.wait() called without holding the lock");
    if (aborted !== undefined) return aborted;
    return this.#wait(options, "Condition.wait()", options?.timeout);
  }

  /**
   * Waits until `predicate()` returns a truthy value and resolves to it; checks it first, and
   * after each notification, always with the lock held. The timeout covers the whole call.
   * asyncio: `await cond.wait_for(predicate)`.
   * @throws Error if the lock is not held; TypeError if `predicate` is not a function.
   */
  waitFor<R>(predicate: () => R, options?: WaitOptions): Promise<Exclude<R, false | 0 | "" | null | undefined | 0n>> {
    if (typeof predicate !== "function") throw typeError("Condition.waitFor()", "predicate", "a function", predicate);
    const aborted = checkWaitOptions(options, "Condition.waitFor()");
    if (!this.#lock.locked()) throw new Error("Condition.waitFor() called without holding the lock");
    if (aborted !== undefined) return aborted;
    return waitUntil(predicate, options, (left) => this.#wait(left, "Condition.waitFor()", options?.timeout));
  }

  /**
   * Wakes up to `n` waiters, first come first served; each takes the lock back in turn.
   * asyncio: `cond.notify(n)`.
   * @throws Error if the lock is not held; TypeError / RangeError if `n` is not an integer ≥ 0.
   */
  notify(n = 1): void {
    checkInteger("Condition.notify()", "n", n, 0);
    if (!this.#lock.locked()) throw new Error("Condition.notify() called without holding the lock");
    this.#notify(n);
  }

  /**
   * Wakes every waiter. asyncio: `cond.notify_all()`.
   * @throws Error if the lock is not held.
   */
  notifyAll(): void {
    if (!this.#lock.locked()) throw new Error("Condition.notifyAll() called without holding the lock");
    this.#notify(this.#waiters.size);
  }

  /** A frozen snapshot: `{ locked, waiters }`. */
  statistics(): ConditionStatistics {
    return Object.freeze({ locked: this.#lock.locked(), waiters: this.#waiters.size });
  }

  /** asyncio's form: `<Condition [locked, waiters:1]>`. */
  toString(): string {
    const waiters = this.#waiters.size;
    return `<Condition [${this.#lock.locked() ? "locked" : "unlocked"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** wait() once its checks passed; `shownTimeout` is the timeout named in a TimeoutError. */
  #wait(options: WaitOptions | undefined, where: string, shownTimeout: number | undefined): Promise<true> {
    if (options?.timeout === 0) return timedOut(where, shownTimeout ?? 0);
    return new Promise<true>((resolve, reject) => {
      new ConditionWait(this.#lock, this.#waiters, options, where, shownTimeout, resolve, reject, () => this.#notify(1));
    });
  }

  #notify(n: number): void {
    for (let i = 0; i < n && this.#waiters.resolveFirst(undefined); i++);
  }
}

/**
 * One `Condition.wait()` call: queued for a notification, then queued on the lock. Its signal
 * and timer stay armed until it settles, since it may not settle without the lock.
 */
class ConditionWait implements Cancellable {
  signalPrev: Cancellable | null = null;
  signalNext: Cancellable | null = null;
  timer: Timer | undefined = undefined;
  readonly #lock: Lock;
  readonly #signal: AbortSignal | undefined;
  readonly #waiter: Waiter<void>;
  readonly #resolve: (value: true) => void;
  readonly #reject: (reason: unknown) => void;
  readonly #passNotificationOn: () => void;
  /** The number of the caller's acquisition, which holds the lock again when wait() settles. */
  readonly #grant: number;
  #notified = false;
  #failed = false;
  #reason: unknown = undefined;

  constructor(
    lock: Lock,
    waiters: WaiterQueue<void>,
    options: WaitOptions | undefined,
    where: string,
    shownTimeout: number | undefined,
    resolve: (value: true) => void,
    reject: (reason: unknown) => void,
    passNotificationOn: () => void,
  ) {
    this.#lock = lock;
    this.#signal = options?.signal;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#passNotificationOn = passNotificationOn;
    this.#waiter = new Waiter<void>(undefined);
    this.#waiter.resolve = () => {
      this.#notified = true;
      this.#relock();
    };
    waiters.push(this.#waiter);
    if (options !== undefined) arm(this, options, where, shownTimeout);
    this.#grant = Permits.grantOf(lock);
    lock.release();
  }

  cancel(reason: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#reason = reason;
    this.#disarm();
    const queue = this.#waiter.queue;
    if (queue !== null) {
      queue.remove(this.#waiter);
      this.#relock();
    } else if (this.#notified) {
      // Notified, then called off while queued on the lock: the notification must not be lost.
      this.#passNotificationOn();
    }
  }

  #relock(): void {
    this.#lock.acquire().then(() => {
      Permits.restoreGrant(this.#lock, this.#grant);
      this.#disarm();
      if (this.#failed) this.#reject(this.#reason);
      else this.#resolve(true);
    });
  }

  #disarm(): void {
    if (this.#signal !== undefined) unwatchSignal(this.#signal, this);
    this.timer?.cancel();
  }
}
