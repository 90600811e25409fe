/**
 * A condition shared by every process that connects to the same Redis with the same prefix.
 *
 * Keys (see keys.ts): a condition is a line of its lock, under the lock's hash tag:
 * `<prefix>:{<lock>}:line:cond:<name>` (waiters not yet notified, FIFO), beside the lock's own
 * `meta`, `expiry`, `granted`, `retired` and `line:acquire`. `wait()` releases the lock and queues
 * on that line in one script; `notify()` moves waiters onto the lock's acquire line, where the
 * lock's release grants each of them the lock: the same pending `wait()` then resolves holding it.
 */
import { getRuntime, type WaitOptions } from "@syncio/core";
import { arm, checkInteger, checkWaitOptions, timedOut, typeError, unwatchSignal, type Cancellable, type Timer } from "@syncio/core/internal";
import { monotonic } from "./clock.js";
import { ConnectionError, LeaseLostError } from "./errors.js";
import { Holding, type Lease } from "./lease.js";
import type { RedisLock } from "./lock.js";
import { RedisPrimitive } from "./primitive.js";
import { scripts, type Script } from "./scripts.js";
import type { Entry, PrimitiveRef, Reply, Session } from "./session.js";

/** A snapshot of a {@link RedisCondition}, as every process sees it. */
export interface RedisConditionStatistics {
  readonly locked: boolean;
  /** Callers in `wait()` not yet notified, in every process (not those queued on the lock). */
  readonly waiters: number;
}

/**
 * A Redis lock plus a way to wait, in any process, for a notification while not holding it.
 * `wait()` releases the lock and queues in one script (no notification is lost in between), and
 * always holds the lock again when it settles, also when it rejects (abort, timeout); a
 * notification given to a waiter that then rejects passes on. asyncio: `asyncio.Condition`.
 *
 * @example
 * ```ts
 * const changed = sync.condition("inventory");
 * await changed.run(async () => {
 *   await changed.waitFor(async () => (await stock.count()) > 0);
 *   await stock.take();
 * });
 * ```
 */
export class RedisCondition extends RedisPrimitive {
  readonly #lock: RedisLock;
  readonly #lockRef: PrimitiveRef;

  /** @internal Made by `sync.condition(name, lock)`. */
  constructor(session: Session, name: string, lock: RedisLock) {
    super(session, "lock", name, "1", ["acquire", `cond:${name}`], [], lock.name);
    this.#lock = lock;
    // What a wait() that took the lock back holds: the lock's own keys.
    this.#lockRef = { keys: this.ref.keys.slice(0, 5), kind: "lock", config: "1", label: `RedisLock ${JSON.stringify(lock.name)}` };
  }

  /** The lock under the condition. */
  get lock(): RedisLock {
    return this.#lock;
  }

  /** Whether the lock is held (by any process). asyncio: `cond.locked()`. */
  locked(): Promise<boolean> {
    return this.#lock.locked();
  }

  /** Acquires the lock; see {@link RedisLock.acquire}. asyncio: `await cond.acquire()`. */
  acquire(options?: WaitOptions): Promise<Lease> {
    return this.#lock.acquire(options);
  }

  /** Releases this connection's lease on the lock; see {@link RedisLock.release}. asyncio: `cond.release()`. */
  release(): Promise<void> {
    return this.#lock.release();
  }

  /**
   * Acquires the lock, runs `fn(lease)` (which may `wait()`), and releases once its promise
   * settles. asyncio: `async with cond: return await fn()`.
   */
  run<R>(fn: (lease: Lease) => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    if (typeof fn !== "function") throw typeError("RedisCondition.run()", "fn", "a function", fn);
    return this.#lock.run(fn, options);
  }

  /**
   * Releases the lock, waits for a notification from any process, takes the lock back (the lease
   * gets a new `fence` and `signal`), and resolves `true`. On abort or timeout it also takes the
   * lock back before rejecting; a notification it had received then passes on.
   * asyncio: `await cond.wait()`.
   * @throws Error if this connection does not hold the lock; TypeError / RangeError on bad options.
   * Rejects with `LeaseLostError` if the lease was lost meanwhile, `ConnectionError` if the
   * connection drops (then it cannot take the lock back).
   */
  wait(options?: WaitOptions): Promise<true> {
    const aborted = checkWaitOptions(options, "RedisCondition.wait()");
    const holder = this.#holder("wait");
    if (aborted !== undefined) return aborted;
    return this.#wait(holder, options, "RedisCondition.wait()", options?.timeout);
  }

  /**
   * Waits until `predicate()` returns a truthy value (or a promise of one) and resolves to it;
   * checks it first, and after each notification, always with the lock held. The timeout covers
   * the whole call. asyncio: `await cond.wait_for(predicate)`.
   * @throws Error if this connection does not hold the lock; TypeError if `predicate` is not a function.
   */
  waitFor<R>(predicate: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Exclude<Awaited<R>, false | 0 | "" | null | undefined | 0n>> {
    if (typeof predicate !== "function") throw typeError("RedisCondition.waitFor()", "predicate", "a function", predicate);
    const aborted = checkWaitOptions(options, "RedisCondition.waitFor()");
    this.#holder("waitFor");
    if (aborted !== undefined) return aborted;
    const timeout = options?.timeout;
    const deadline = timeout === undefined || timeout === Infinity ? undefined : getRuntime().now() + timeout;
    const run = async () => {
      let result = await predicate();
      while (!result) {
        const left = deadline === undefined ? undefined : Math.max(0, deadline - getRuntime().now());
        await this.#wait(this.#holder("waitFor"), left === undefined ? options : { signal: options?.signal, timeout: left }, "RedisCondition.waitFor()", timeout);
        result = await predicate();
      }
      return result as Exclude<Awaited<R>, false | 0 | "" | null | undefined | 0n>;
    };
    return run();
  }

  /**
   * Wakes up to `n` waiters, in any process, first come first served; each takes the lock back
   * in turn once it is released. asyncio: `cond.notify(n)`.
   * @throws Error if this connection does not hold the lock; TypeError / RangeError if `n` is not an integer ≥ 0.
   */
  notify(n = 1): Promise<void> {
    checkInteger("RedisCondition.notify()", "n", n, 0);
    return this.#notify(this.#holder("notify"), n);
  }

  /**
   * Wakes every waiter. asyncio: `cond.notify_all()`.
   * @throws Error if this connection does not hold the lock.
   */
  notifyAll(): Promise<void> {
    return this.#notify(this.#holder("notifyAll"), 2 ** 31);
  }

  /** A frozen snapshot: `{ locked, waiters }`. */
  async statistics(): Promise<RedisConditionStatistics> {
    const reply = await this.session.run(scripts.conditionStatistics, this.ref);
    return Object.freeze({ locked: Number(reply[1]) > 0, waiters: Number(reply[2]) });
  }

  /** This connection's lease on the lock; throws (synchronously) when it holds none. */
  #holder(method: string): Holding {
    const holding = this.#lock.heldHere();
    if (holding === undefined) throw new Error(`RedisCondition.${method}() called without holding the lock (this connection holds no lease on ${JSON.stringify(this.#lock.name)})`);
    return holding;
  }

  async #notify(holder: Holding, n: number): Promise<void> {
    if (n === 0) return;
    const reply = await this.session.run(scripts.conditionNotify, this.ref, [holder.id, String(n)]);
    if (reply[0] === "notheld") {
      holder.lost();
      throw new LeaseLostError(`${this.ref.label}: notify() found the lease on the lock lost`);
    }
  }

  #wait(holder: Holding, options: WaitOptions | undefined, where: string, shownTimeout: number | undefined): Promise<true> {
    if (options?.timeout === 0) return timedOut(where, shownTimeout ?? 0);
    return new Promise<true>((resolve, reject) => {
      new ConditionWait(this.session, this.ref, this.#lockRef, this.#lock.name, holder, where, resolve, reject).start(options, shownTimeout);
    });
  }
}

/**
 * One `wait()`: queued on the condition's line, then (notified) on the lock's acquire line, until
 * the lock is granted to it. Its signal and timer stay armed until then: on abort or timeout it
 * moves to (or stays on) the acquire line and rejects once it holds the lock.
 */
class ConditionWait implements Entry, Cancellable {
  id: string;
  readonly ref: PrimitiveRef;
  readonly waiting = true;
  signalPrev: Cancellable | null = null;
  signalNext: Cancellable | null = null;
  timer: Timer | undefined = undefined;
  readonly #session: Session;
  readonly #lockRef: PrimitiveRef;
  readonly #lockName: string;
  readonly #holder: Holding;
  readonly #where: string;
  readonly #resolve: (value: true) => void;
  readonly #reject: (reason: unknown) => void;
  #signal: AbortSignal | undefined;
  #settled = false;
  /** Set on abort or timeout: rejected with it once the lock is held again. */
  #failed = false;
  #reason: unknown = undefined;
  #answered = false;
  #confirmedUntil = 0;
  #releaseHold: (() => void) | undefined;

  constructor(session: Session, ref: PrimitiveRef, lockRef: PrimitiveRef, lockName: string, holder: Holding, where: string, resolve: (value: true) => void, reject: (reason: unknown) => void) {
    this.#session = session;
    this.ref = ref;
    this.#lockRef = lockRef;
    this.#lockName = lockName;
    this.#holder = holder;
    this.#where = where;
    this.#resolve = resolve;
    this.#reject = reject;
    this.id = session.nextId();
  }

  start(options: WaitOptions | undefined, shownTimeout: number | undefined): void {
    if (options !== undefined) {
      this.#signal = options.signal;
      arm(this, options, this.#where, shownTimeout);
    }
    // Registered first: a grant's message can overtake the script's reply.
    this.#session.register(this);
    this.#send(scripts.conditionWait, [this.#holder.id, this.id]);
  }

  granted(payload: string): void {
    if (this.#settled) return;
    this.#settle();
    // The lock is held again, under this entry's id: the caller's lease carries on with it.
    const holding = new Holding(this.#session, this.#lockRef, this.#lockName, this.id, BigInt(payload), this.#confirmedUntil, true);
    this.#holder.successor = holding;
    if (this.#failed) this.#reject(this.#reason);
    else this.#resolve(true);
  }

  confirmed(until: number): void {
    this.#confirmedUntil = until;
  }

  /** Dropped from Redis while this process could not renew it: take the lock back as a fresh acquire (a spurious wake-up). */
  lost(): void {
    if (this.#settled || !this.#answered) return;
    this.#requeue();
  }

  disconnected(cause: unknown): void {
    if (this.#settled) return;
    this.#settle();
    void this.#session.leave(this.ref, this.id);
    const why = this.#session.closing ? "the connection was closed" : "the connection to Redis was lost";
    this.#reject(new ConnectionError(`${this.#where}: ${why} while it waited; the lock is not held`, { cause }));
  }

  /** Abort or timeout: it still takes the lock back first, passing a notification it got on. */
  cancel(reason: unknown): void {
    if (this.#settled || this.#failed) return;
    this.#failed = true;
    this.#reason = reason;
    this.#disarm();
    if (this.#answered) this.#send(scripts.conditionCancel, [this.id]);
  }

  #send(script: Script, args: string[]): void {
    const id = this.id;
    const sentAt = monotonic();
    this.#session.run(script, this.ref, args).then(
      (reply) => this.#replied(id, reply, sentAt),
      (error: unknown) => {
        if (this.#settled || id !== this.id) return;
        this.#settle();
        if (error instanceof ConnectionError) void this.#session.leave(this.ref, id);
        this.#reject(error);
      },
    );
  }

  #replied(id: string, reply: Reply, sentAt: number): void {
    if (this.#settled || id !== this.id) return;
    const first = !this.#answered;
    this.#answered = true;
    this.#confirmedUntil = Math.max(this.#confirmedUntil, sentAt + this.#session.lease);
    if (first && reply[0] !== "notheld" && reply[0] !== "gone") this.#holder.handOver();
    switch (reply[0]) {
      case "waiting":
        this.#releaseHold ??= this.#session.holdWhileWaiting();
        // Cancelled before the queueing script answered: move on to the lock now.
        if (first && this.#failed) this.#send(scripts.conditionCancel, [this.id]);
        return this.#session.recheckAt(this.ref, Number(reply[1]));
      case "granted":
        return this.granted(String(reply[1]));
      case "requeued":
      case "passed":
        return;
      case "gone":
        // Reaped meanwhile (the process was paused): take the lock back as a fresh acquire.
        if (!first) return this.#requeue();
        break;
      case "notheld":
        this.#holder.lost();
        this.#settle();
        return this.#reject(new LeaseLostError(`${this.#where}: this connection's lease on the lock was lost before it could wait`));
    }
    this.#settle();
    this.#reject(new Error(`${this.#where}: unexpected reply from Redis: ${JSON.stringify(reply)}`));
  }

  #requeue(): void {
    this.#session.unregister(this);
    this.id = this.#session.nextId();
    this.#session.register(this);
    this.#send(scripts.acquire, [this.id, "wait"]);
  }

  #disarm(): void {
    if (this.#signal !== undefined) unwatchSignal(this.#signal, this);
    this.timer?.cancel();
  }

  #settle(): void {
    this.#settled = true;
    this.#session.unregister(this);
    this.#disarm();
    this.#releaseHold?.();
  }
}
