/**
 * Semaphores shared by every process that connects to the same Redis with the same prefix.
 *
 * Keys (see keys.ts): `<prefix>:{<name>}:meta` (kind "semaphore" or "boundedSemaphore", config:
 * the value, fence), `:expiry`, `:granted` (each holder's entry id → its fence), `:retired`,
 * `:line:acquire` (waiters, FIFO). Free permits = value − granted: a dead holder's permit comes
 * back when its lease runs out.
 */
import { checkInteger } from "@syncio/core/internal";
import { RedisPermits } from "./permits.js";
import type { Session } from "./session.js";

/** A snapshot of a {@link RedisSemaphore}, as every process sees it. */
export interface RedisSemaphoreStatistics {
  /** Permits free and not granted. */
  readonly value: number;
  /** Callers queued in `acquire()`, in every process. */
  readonly waiters: number;
}

/**
 * A counter of permits across processes, fair: waiters are served in arrival order and a release
 * hands the permit to the first live waiter in the same script. Each permit is a {@link Lease}
 * with a fence and a signal. asyncio: `asyncio.Semaphore` — but a release needs a held permit
 * (there is no release without acquire across processes), so the value never passes its start.
 *
 * @example
 * ```ts
 * const slots = sync.semaphore("api", 4);
 * await slots.run(async (lease) => callApi({ signal: lease.signal }));
 * ```
 */
export class RedisSemaphore extends RedisPermits {
  /** @internal Made by `sync.semaphore(name, value)`. */
  constructor(session: Session, name: string, value: number, kind = "semaphore") {
    super(session, kind, name, value);
  }

  /** The permits free now (not held, not granted). asyncio: `sem._value`. */
  async value(): Promise<number> {
    return this.permits - (await this.snapshot()).granted;
  }

  /** A frozen snapshot: `{ value, waiters }`. */
  async statistics(): Promise<RedisSemaphoreStatistics> {
    const { granted, waiting } = await this.snapshot();
    return Object.freeze({ value: this.permits - granted, waiters: waiting });
  }
}

/**
 * A {@link RedisSemaphore} under its own kind, for code ported from `asyncio.BoundedSemaphore`:
 * across processes every permit is a lease, so no semaphore can pass its bound, and `release()`
 * without a held permit rejects for both. The same name cannot be used as both kinds.
 */
export class RedisBoundedSemaphore extends RedisSemaphore {
  /** @internal Made by `sync.boundedSemaphore(name, value)`. */
  constructor(session: Session, name: string, value: number) {
    super(session, name, value, "boundedSemaphore");
  }
}

/** The value argument of a semaphore factory: an integer ≥ 1. */
export function checkValue(where: string, value: unknown): number {
  return checkInteger(where, "value", value, 1);
}
