/**
 * @syncio/workers — Python asyncio's synchronization primitives across worker threads: state in
 * a SharedArrayBuffer, waiting with `Atomics.waitAsync`, strict FIFO and direct hand-off across
 * threads, `{ signal, timeout }` on every blocking call. Pass `x.handle` to another thread and
 * rebuild the primitive there with `Kind.from(handle)`.
 *
 * @example
 * ```ts
 * import { Lock } from "@syncio/workers";
 * const lock = new Lock();
 * new Worker(url, { workerData: { lock: lock.handle } });
 * // in the worker:
 * const shared = Lock.from(workerData.lock);
 * await using _ = await shared.acquire({ timeout: 1_000 });
 * ```
 * @module @syncio/workers
 */
export { Barrier } from "./barrier.js";
export type { Codec, CodecOption } from "./codec.js";
export { Condition, type ConditionHandle } from "./condition.js";
export { Event } from "./event.js";
export { LifoQueue } from "./lifo-queue.js";
export { Lock } from "./lock.js";
export type { SharedOptions } from "./options.js";
export { PriorityQueue, type PriorityFromOptions } from "./priority-queue.js";
export { Queue, type FromOptions, type QueueKind, type QueueOptions } from "./queue.js";
export { BoundedSemaphore, Semaphore } from "./semaphore.js";
export type { Handle, Kind } from "./ticket-ring.js";
export { Acquired, BrokenBarrierError, QueueEmpty, QueueFull, QueueShutDown, TimeoutError } from "@syncio/core";
