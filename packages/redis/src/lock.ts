/**
 * A lock shared by every process that connects to the same Redis with the same prefix.
 *
 * Keys (see keys.ts): `<prefix>:{<name>}:meta` (kind "lock", fence), `:expiry`, `:granted` (the
 * holder's entry id → its fence), `:retired`, `:line:acquire` (waiters, FIFO).
 */
import { RedisPermits } from "./permits.js";
import type { Session } from "./session.js";

/** A snapshot of a {@link RedisLock}, as every process sees it. */
export interface RedisLockStatistics {
  readonly locked: boolean;
  /** Callers queued in `acquire()`, in every process. */
  readonly waiters: number;
}

/**
 * A mutual-exclusion lock across processes and machines, fair: waiters are served in the order
 * their requests reached Redis, and `release()` hands the lock to the first live waiter in the
 * same script. Held as a {@link Lease} with a fence and a signal. asyncio: `asyncio.Lock`.
 *
 * @example
 * ```ts
 * const lock = sync.lock("orders");
 * await using held = await lock.acquire({ timeout: 5_000 });
 * await db.write(order, { fence: held.fence, signal: held.signal });
 * ```
 */
export class RedisLock extends RedisPermits {
  /** @internal Made by `sync.lock(name)`. */
  constructor(session: Session, name: string) {
    super(session, "lock", name, 1);
  }

  /** A frozen snapshot: `{ locked, waiters }`. */
  async statistics(): Promise<RedisLockStatistics> {
    const { granted, waiting } = await this.snapshot();
    return Object.freeze({ locked: granted > 0, waiters: waiting });
  }
}
