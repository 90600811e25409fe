/** The shared machinery of RedisLock, RedisSemaphore and RedisBoundedSemaphore: permits held as leases. */
import { checkWaitOptions, typeError } from "@syncio/core/internal";
import { TimeoutError, type WaitOptions } from "@syncio/core";
import { Holding, Lease } from "./lease.js";
import { RedisPrimitive } from "./primitive.js";
import { scripts } from "./scripts.js";
import type { Session } from "./session.js";
import { wait, type WaitPlan } from "./waiting.js";

/** @internal Base of the Redis lock and semaphores; not exported. */
export abstract class RedisPermits extends RedisPrimitive {
  /** @internal */
  protected readonly permits: number;

  /** @internal */
  protected constructor(session: Session, kind: string, name: string, permits: number) {
    super(session, kind, name, String(permits), ["acquire"]);
    this.permits = permits;
  }

  /**
   * Waits for a permit, in arrival order across every process, and resolves to a {@link Lease}.
   * No polling: the holder's release grants it to the first live waiter in the same script, and
   * a pub/sub message wakes it.
   * @throws TypeError / RangeError on bad options (synchronously).
   * Rejects with `signal.reason` on abort, `TimeoutError` on timeout, `ConnectionError` if the
   * connection drops; its entry then leaves Redis, and a grant that reached it passes on.
   */
  acquire(options?: WaitOptions): Promise<Lease> {
    const where = `${this.constructor.name}.acquire()`;
    const aborted = checkWaitOptions(options, where);
    if (aborted !== undefined) return aborted;
    const timeout = options?.timeout;
    return wait(this.session, this.#plan(where, timeout === 0 ? "try" : "wait", () => {
      throw new TimeoutError(`${where} timed out after 0 ms`);
    }), options);
  }

  /**
   * Takes a permit if one is free and nobody waits in any process; never waits. Resolves to the
   * lease, or `null`.
   */
  tryAcquire(): Promise<Lease | null> {
    return wait<Lease | null>(this.session, this.#plan(`${this.constructor.name}.tryAcquire()`, "try", () => null), undefined);
  }

  /**
   * Releases a lease this connection holds on this primitive (the oldest), never another
   * process's. Rejects with an `Error` if this connection holds none.
   */
  release(): Promise<void> {
    const holding = this.heldHere();
    if (holding !== undefined) return holding.release(true);
    return Promise.reject(new Error(`${this.constructor.name}.release(): this connection holds no lease on ${JSON.stringify(this.name)}`));
  }

  /** @internal The oldest lease this connection holds on it, if any. */
  heldHere(): Holding | undefined {
    for (const entry of this.session.entriesOf(this.ref)) {
      if (entry instanceof Holding && entry.state === "held") return entry;
    }
    return undefined;
  }

  /**
   * Acquires (with the usual options), calls `fn(lease)`, and releases once its promise settles;
   * resolves or rejects with `fn`'s outcome (async-mutex's `runExclusive`). Pass `lease.signal`
   * and `lease.fence` on to the work it guards.
   */
  run<R>(fn: (lease: Lease) => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    if (typeof fn !== "function") throw typeError(`${this.constructor.name}.run()`, "fn", "a function", fn);
    return this.#run(fn, this.acquire(options));
  }

  async #run<R>(fn: (lease: Lease) => R | PromiseLike<R>, acquiring: Promise<Lease>): Promise<Awaited<R>> {
    const lease = await acquiring;
    try {
      return await fn(lease);
    } finally {
      // A release that cannot reach Redis is retried later and the lease expires anyway: fn's outcome wins.
      await lease.release().catch(() => {});
    }
  }

  /** Whether `acquire()` would have to wait: every permit is held or granted. */
  async locked(): Promise<boolean> {
    return (await this.snapshot()).granted >= this.permits;
  }

  #plan<T>(where: string, mode: "wait" | "try", busy: () => T): WaitPlan<Lease | T> {
    const strict = this.ref.kind === "lock";
    return {
      ref: this.ref,
      script: scripts.acquire,
      where,
      mode,
      granted: (payload, id, confirmedUntil) => new Lease(new Holding(this.session, this.ref, this.name, id, BigInt(payload), confirmedUntil, strict)),
      busy,
    };
  }
}
