/**
 * @syncio/redis — asyncio's Lock, Semaphore, BoundedSemaphore, Event, Condition, Barrier and
 * queues across processes and machines, on Redis: a FIFO waiter queue in Redis, direct hand-off, leases renewed by the
 * connection, fencing tokens, and an AbortSignal and timeout on every wait.
 *
 * @example
 * ```ts
 * import { connect } from "@syncio/redis";
 * const sync = await connect("redis://127.0.0.1:6379", { prefix: "app" });
 * await using held = await sync.lock("orders").acquire({ timeout: 5_000 });
 * held.fence;  // bigint, strictly increasing across every grant of this lock
 * held.signal; // aborts with LeaseLostError once the lease is lost
 * ```
 * @module @syncio/redis
 */
import { ioredis } from "./clients/ioredis.js";
import { nodeRedis } from "./clients/node-redis.js";
import { connectWith, type ConnectOptions, type ConnectTarget, type RedisSync } from "./connect.js";

export { RedisSync, type ConnectOptions, type ConnectTarget } from "./connect.js";
export { ConnectionError, LeaseLostError } from "./errors.js";
export { RedisBarrier, type RedisBarrierStatistics } from "./barrier.js";
export { RedisCondition, type RedisConditionStatistics } from "./condition.js";
export { RedisEvent, type RedisEventStatistics } from "./event.js";
export { LeasedItem, RedisLifoQueue, RedisPriorityQueue, RedisQueue, type Codec, type RedisPriorityQueueOptions, type RedisQueueOptions, type RedisQueueStatistics } from "./queue.js";
export { Lease } from "./lease.js";
export { RedisLock, type RedisLockStatistics } from "./lock.js";
export { RedisBoundedSemaphore, RedisSemaphore, type RedisSemaphoreStatistics } from "./semaphore.js";
export { BrokenBarrierError, QueueEmpty, QueueFull, QueueShutDown, TimeoutError, type WaitOptions } from "@syncio/core";

/**
 * Connects to Redis and resolves to the factories of the shared primitives.
 *
 * `target` is a `redis://` / `rediss://` URL (connected with node-redis, this package's one
 * dependency, and closed by `close()`), or a client you connected: node-redis v5+, ioredis, or
 * Bun's `RedisClient` (under Bun: the `bun` export condition loads its adapter). Redis ≥ 6.2.
 * One subscriber connection and one heartbeat serve every primitive of the connection.
 * @throws TypeError / RangeError at once for a bad target or options.
 * Rejects with a {@link ConnectionError} (the client's error as `cause`) when Redis cannot be reached.
 *
 * @example
 * ```ts
 * const sync = await connect("redis://127.0.0.1:6379", { prefix: "app", lease: 10_000 });
 * const lock = sync.lock("orders");
 * ```
 */
export function connect(target: ConnectTarget, options?: ConnectOptions): Promise<RedisSync> {
  return connectWith([nodeRedis, ioredis], target, options);
}
