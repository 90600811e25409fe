/**
 * An event shared by every process that connects to the same Redis with the same prefix.
 *
 * Keys (see keys.ts): `<prefix>:{<name>}:meta` (kind "event", flag "1" while set — never
 * expires), `:expiry`, `:granted` (woken waiters until they clear their record), `:retired`,
 * `:line:wait` (waiters).
 */
import { checkWaitOptions } from "@syncio/core/internal";
import { TimeoutError, type WaitOptions } from "@syncio/core";
import { RedisPrimitive } from "./primitive.js";
import { scripts } from "./scripts.js";
import type { Session } from "./session.js";
import { wait } from "./waiting.js";

/** A snapshot of a {@link RedisEvent}, as every process sees it. */
export interface RedisEventStatistics {
  readonly set: boolean;
  /** Callers blocked in `wait()`, in every process. */
  readonly waiters: number;
}

/**
 * A flag that callers in any process can wait for. `set()` wakes every waiter, in every process,
 * in one script: each resolves `true` even if `clear()` follows at once. asyncio: `asyncio.Event`.
 *
 * @example
 * ```ts
 * const ready = sync.event("cache-warm");
 * await ready.wait({ timeout: 30_000 });   // in the workers
 * await ready.set();                       // in the process that warmed the cache
 * ```
 */
export class RedisEvent extends RedisPrimitive {
  /** @internal Made by `sync.event(name)`. */
  constructor(session: Session, name: string) {
    super(session, "event", name, "", ["wait"]);
  }

  /** Whether the flag is set. asyncio: `event.is_set()`. */
  async isSet(): Promise<boolean> {
    return (await this.snapshot()).flag;
  }

  /**
   * Resolves `true` once the flag is set (at once if it is). asyncio: `await event.wait()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   * Rejects with `signal.reason` on abort, `TimeoutError` on timeout, `ConnectionError` if the
   * connection drops.
   */
  wait(options?: WaitOptions): Promise<true> {
    const where = "RedisEvent.wait()";
    const aborted = checkWaitOptions(options, where);
    if (aborted !== undefined) return aborted;
    return wait<true>(
      this.session,
      {
        ref: this.ref,
        script: scripts.eventWait,
        where,
        mode: options?.timeout === 0 ? "try" : "wait",
        granted: (_payload, id, _until, inReply) => {
          // Woken by set(): clear the grant record (a woken waiter holds nothing to pass on).
          if (!inReply) void this.session.leave(this.ref, id).catch(() => {});
          return true;
        },
        busy: () => {
          throw new TimeoutError(`${where} timed out after 0 ms`);
        },
      },
      options,
    );
  }

  /** Sets the flag and wakes every waiter in every process. asyncio: `event.set()`. */
  async set(): Promise<void> {
    await this.session.run(scripts.eventSet, this.ref);
  }

  /** Clears the flag; later `wait()` calls block again. asyncio: `event.clear()`. */
  async clear(): Promise<void> {
    await this.session.run(scripts.eventClear, this.ref);
  }

  /** A frozen snapshot: `{ set, waiters }`. */
  async statistics(): Promise<RedisEventStatistics> {
    const { flag, waiting } = await this.snapshot();
    return Object.freeze({ set: flag, waiters: waiting });
  }
}
