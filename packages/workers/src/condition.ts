/**
 * Condition's words: none of its own. Its lock is a {@link Lock} with its own buffer (several
 * conditions may share one), and its one line holds the callers in `wait()` not yet notified.
 *
 *   line 0   the waiters for a notification; notify() grants them in order (VALUE 1)
 */
import { TimeoutError, type ConditionStatistics, type WaitOptions } from "@syncio/core";
import { arm, checkInteger, checkWaitOptions, inspectSymbol, timedOut, typeError, unwatchSignal, waitUntil, type Cancellable, type Timer } from "@syncio/core/internal";
import type { Acquired } from "@syncio/core";
import { Lock } from "./lock.js";
import { adopt, adopted, checkOptions, DEFAULT_WAITERS, linesFull, waitersOption, type SharedOptions } from "./options.js";
import { Region, type Handle, type Line } from "./ticket-ring.js";
import { SlotWatch } from "./wait.js";

/** A Condition's handle: its own buffer and its lock's handle. */
export interface ConditionHandle extends Handle {
  readonly kind: "Condition";
  readonly lock: Handle;
}

/**
 * A lock plus a way to wait for a notification while not holding it, shared by threads. `wait()`
 * releases the lock, waits, and always holds the lock again when it settles, also when it rejects.
 * asyncio: `asyncio.Condition`.
 *
 * @example
 * ```ts
 * const changed = new Condition();
 * new Worker(url, { workerData: changed.handle });
 * // in the worker:
 * const changed = Condition.from(workerData);
 * await changed.run(() => changed.waitFor(() => Atomics.load(flags, 0) === 1));
 * ```
 */
export class Condition {
  readonly #region: Region;
  readonly #lock: Lock;
  /** Callers in wait() not yet notified, in arrival order, across threads. */
  readonly #waiters: Line;

  /**
   * @param lock the shared {@link Lock} to use (default: a new one); several conditions may share one.
   * @param options `waiters`: how many callers may wait at once, across threads (default 1024).
   * @throws TypeError if `lock` is not a Lock of @syncio/workers; TypeError / RangeError on bad options.
   */
  constructor(lock?: Lock, options?: SharedOptions) {
    const region = adopted();
    if (lock !== undefined && !(lock instanceof Lock)) throw typeError("Condition()", "lock", "a Lock of @syncio/workers or undefined", lock);
    const { waiters } = checkOptions("Condition()", options, ["waiters"]);
    this.#region = region ?? Region.create({ kind: "Condition", slots: waitersOption("Condition()", waiters, DEFAULT_WAITERS), lines: [false] });
    this.#lock = lock ?? new Lock();
    this.#waiters = this.#region.lines[0]!;
  }

  /**
   * Rebuilds in this thread the Condition (and its lock) whose `handle` another thread passed on.
   * @throws TypeError if `handle` is not a Condition's handle.
   */
  static from(handle: ConditionHandle): Condition {
    const region = Region.open(handle, "Condition", "Condition.from()");
    const lock = Lock.from((handle as Partial<ConditionHandle>).lock as Handle);
    return adopt(region, () => new Condition(lock));
  }

  /** The plain object to pass to another thread, where `Condition.from(handle)` rebuilds it. */
  get handle(): ConditionHandle {
    return { kind: "Condition", buffer: this.#region.buffer, lock: this.#lock.handle };
  }

  /** Whether the underlying lock is held. asyncio: `cond.locked()`. */
  locked(): boolean {
    return this.#lock.locked();
  }

  /** Acquires the underlying lock; see {@link Lock.acquire}. asyncio: `await cond.acquire()`. */
  acquire(options?: WaitOptions): Promise<Acquired> {
    checkWaitOptions(options, "Condition.acquire()")?.catch(() => {});
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
   * Releases the underlying lock. asyncio: `cond.release()`.
   * @throws Error if it is not locked.
   */
  release(): void {
    this.#lock.release();
  }

  /**
   * Acquires the lock, runs `fn`, and releases once the promise it returns settles.
   * @throws TypeError if `fn` is not a function; TypeError / RangeError on bad options.
   */
  run<R>(fn: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    if (typeof fn !== "function") throw typeError("Condition.run()", "fn", "a function", fn);
    return this.acquire(options).then(async (held): Promise<Awaited<R>> => {
      try {
        return (await fn()) as Awaited<R>;
      } finally {
        held.release();
      }
    });
  }

  /**
   * Releases the lock, waits for a notification from any thread, takes the lock back, and
   * resolves `true`. On abort or timeout it also takes the lock back before rejecting; a
   * notification it had already received then passes to the next waiter. asyncio: `await cond.wait()`.
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
   * Wakes up to `n` waiters, first come first served across threads; each takes the lock back in
   * turn. asyncio: `cond.notify(n)`.
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
    this.#notify(Infinity);
  }

  /** A frozen snapshot: `{ locked, waiters }` (waiters for a notification, in every thread). */
  statistics(): ConditionStatistics {
    return Object.freeze({ locked: this.#lock.locked(), waiters: this.#waiters.live });
  }

  /** asyncio's form: `<Condition [locked, waiters:1]>`. */
  toString(): string {
    const waiters = this.#waiters.live;
    return `<Condition [${this.#lock.locked() ? "locked" : "unlocked"}${waiters > 0 ? `, waiters:${waiters}` : ""}]>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** wait() once its checks passed; `shownTimeout` is the timeout named in a TimeoutError. */
  #wait(options: WaitOptions | undefined, where: string, shownTimeout: number | undefined): Promise<true> {
    if (options?.timeout === 0) return timedOut(where, shownTimeout ?? 0);
    const region = this.#region;
    let ticket: number | undefined;
    region.enter();
    try {
      ticket = this.#waiters.enqueue();
    } finally {
      region.leave();
    }
    if (ticket === undefined) return linesFull(where, "Condition", region.slots);
    const queued = ticket;
    return new Promise<true>((resolve, reject) => {
      new ConditionWait(this.#lock, this.#waiters, queued, options, where, shownTimeout, resolve, reject, () => this.#notify(1));
    });
  }

  #notify(n: number): void {
    this.#region.enter();
    try {
      for (let i = 0; i < n && this.#waiters.grantFirst(1); i++);
    } finally {
      this.#region.leave();
    }
  }
}

/**
 * One `Condition.wait()` call: a ticket in the notification line, then a wait on the lock. Its
 * signal and timer stay armed until it settles, since it may not settle without the lock.
 */
class ConditionWait implements Cancellable {
  signalPrev: Cancellable | null = null;
  signalNext: Cancellable | null = null;
  timer: Timer | undefined = undefined;
  readonly #lock: Lock;
  readonly #line: Line;
  readonly #ticket: number;
  readonly #signal: AbortSignal | undefined;
  readonly #watch: SlotWatch;
  readonly #resolve: (value: true) => void;
  readonly #reject: (reason: unknown) => void;
  readonly #passNotificationOn: () => void;
  #notified = false;
  #failed = false;
  #reason: unknown = undefined;

  constructor(
    lock: Lock,
    line: Line,
    ticket: number,
    options: WaitOptions | undefined,
    where: string,
    shownTimeout: number | undefined,
    resolve: (value: true) => void,
    reject: (reason: unknown) => void,
    passNotificationOn: () => void,
  ) {
    this.#lock = lock;
    this.#line = line;
    this.#ticket = ticket;
    this.#signal = options?.signal;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#passNotificationOn = passNotificationOn;
    this.#watch = new SlotWatch(line.region.words, line.stateWord(ticket), line.pendingState(ticket), () => this.#takeNotification());
    if (options !== undefined) arm(this, options, where, shownTimeout);
    lock.release();
    this.#watch.start();
  }

  cancel(reason: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#reason = reason;
    this.#disarm();
    if (this.#notified) {
      // Notified, then called off while queued on the lock: the notification must not be lost.
      this.#passNotificationOn();
      return;
    }
    const region = this.#line.region;
    region.enter();
    let withdrawn: boolean;
    try {
      withdrawn = this.#line.withdraw(this.#ticket);
    } finally {
      region.leave();
    }
    if (withdrawn) {
      this.#watch.stop();
      this.#relock();
    } else {
      // Notified in another thread before this thread saw it: take it, then pass it on.
      this.#takeNotification();
    }
  }

  /** The slot was granted: the notification is this call's; take the lock back. */
  #takeNotification(): void {
    if (this.#notified || !this.#line.isGranted(this.#ticket)) return;
    this.#watch.stop();
    this.#line.consume(this.#ticket);
    this.#notified = true;
    if (this.#failed) this.#passNotificationOn();
    this.#relock();
  }

  #relock(): void {
    this.#lock.acquire().then(() => {
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
