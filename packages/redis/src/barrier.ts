/**
 * A barrier shared by every process that connects to the same Redis with the same prefix.
 *
 * Keys (see keys.ts): `<prefix>:{<name>}:meta` (kind "barrier", config: parties, flag "1" while
 * broken — never expires), `:expiry`, `:granted` (waiters of a round that tripped or broke, until
 * they clear their record: their index, or "x"), `:retired`, `:line:wait` (the round's waiters).
 */
import { BrokenBarrierError, TimeoutError, type BarrierState, type WaitOptions } from "@syncio/core";
import { checkWaitOptions } from "@syncio/core/internal";
import { RedisPrimitive } from "./primitive.js";
import { scripts } from "./scripts.js";
import type { Session } from "./session.js";
import { wait } from "./waiting.js";

/** A snapshot of a {@link RedisBarrier}, as every process sees it. */
export interface RedisBarrierStatistics {
  readonly parties: number;
  /** "filling" or "broken": a round drains and resets inside one script. */
  readonly state: BarrierState;
  /** Callers waiting in the current round, in every process. */
  readonly waiters: number;
}

/**
 * Lets `parties` callers, in any processes, wait for each other: the round trips when the last
 * one arrives, and each resolves to its own index in `0 … parties-1` (the last arrival gets
 * `parties-1`), unique within the round even when a waiter left it (abort, timeout, a process
 * that died). asyncio: `asyncio.Barrier`.
 *
 * @example
 * ```ts
 * const start = sync.barrier("start", 3);
 * const index = await start.wait({ timeout: 30_000 }); // in each of three processes
 * ```
 */
export class RedisBarrier extends RedisPrimitive {
  readonly #parties: number;

  /** @internal Made by `sync.barrier(name, parties)`. */
  constructor(session: Session, name: string, parties: number) {
    super(session, "barrier", name, String(parties), ["wait"]);
    this.#parties = parties;
  }

  /** How many callers make a round. asyncio: `barrier.parties`. */
  get parties(): number {
    return this.#parties;
  }

  /** Callers waiting in the current round, in every process. asyncio: `barrier.n_waiting`. */
  async nWaiting(): Promise<number> {
    return (await this.snapshot()).waiting;
  }

  /** Whether the barrier is broken (after `abort()`, until `reset()`). asyncio: `barrier.broken`. */
  async broken(): Promise<boolean> {
    return (await this.snapshot()).flag;
  }

  /**
   * Waits until `parties` callers wait, then resolves to this caller's index.
   * asyncio: `await barrier.wait()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   * Rejects with `BrokenBarrierError` if the barrier is broken, or reset or aborted meanwhile;
   * `signal.reason` / `TimeoutError` (it leaves the round, which stays intact); `ConnectionError`.
   */
  wait(options?: WaitOptions): Promise<number> {
    const where = "RedisBarrier.wait()";
    const aborted = checkWaitOptions(options, where);
    if (aborted !== undefined) return aborted;
    return wait<number>(
      this.session,
      {
        ref: this.ref,
        script: scripts.barrierWait,
        where,
        mode: options?.timeout === 0 ? "try" : "wait",
        granted: (payload, id, _until, inReply) => {
          // Woken by a trip or a break: clear the grant record (an index is nothing to pass on).
          if (!inReply) void this.session.leave(this.ref, id, scripts.release).catch(() => {});
          if (payload === "x") throw new BrokenBarrierError("RedisBarrier was reset or aborted while waiting");
          return Number(payload);
        },
        busy: () => {
          throw new TimeoutError(`${where} timed out after 0 ms`);
        },
        refused: (reply) => (reply[0] === "broken" ? new BrokenBarrierError("RedisBarrier.wait() called on a broken barrier") : undefined),
      },
      options,
    );
  }

  /**
   * Returns the barrier to an empty, filling round in every process; callers waiting in it reject
   * with `BrokenBarrierError`. Also repairs a broken barrier. asyncio: `await barrier.reset()`.
   */
  async reset(): Promise<void> {
    await this.session.run(scripts.barrierBreak, this.ref, ["reset"]);
  }

  /**
   * Breaks the barrier: callers waiting reject with `BrokenBarrierError`, and so does every
   * `wait()` in any process until `reset()`. asyncio: `await barrier.abort()`.
   */
  async abort(): Promise<void> {
    await this.session.run(scripts.barrierBreak, this.ref, ["abort"]);
  }

  /** A frozen snapshot: `{ parties, state, waiters }`. */
  async statistics(): Promise<RedisBarrierStatistics> {
    const { flag, waiting } = await this.snapshot();
    return Object.freeze({ parties: this.#parties, state: flag ? "broken" : "filling", waiters: waiting });
  }
}
