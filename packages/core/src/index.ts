/**
 * @syncio/core — Python asyncio's synchronization primitives for TypeScript.
 * @module @syncio/core
 */
export { Acquired } from "./acquired.js";
export { Barrier, type BarrierState, type BarrierStatistics } from "./barrier.js";
export { Condition, type ConditionStatistics } from "./condition.js";
export { BrokenBarrierError, QueueEmpty, QueueFull, QueueShutDown, TimeoutError } from "./errors.js";
export { Event, type EventStatistics } from "./event.js";
export { LifoQueue } from "./lifo-queue.js";
export { Lock, type LockStatistics } from "./lock.js";
export { defaultCompare, PriorityQueue, type Compare } from "./priority-queue.js";
export { Queue, type QueueStatistics } from "./queue.js";
export { getRuntime, MAX_TIMER_DELAY, messageChannelMacrotask, setRuntime, webRuntime, type Runtime } from "./runtime.js";
export { BoundedSemaphore, Semaphore, type SemaphoreStatistics } from "./semaphore.js";
export { sleep, timeout, type SleepOptions } from "./time.js";
export type { WaitOptions } from "./waiter-queue.js";
