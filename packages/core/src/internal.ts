/**
 * @syncio/core/internal — the machinery the other @syncio packages (`@syncio/redis`,
 * `@syncio/workers`) share with the core, so every package has one cancellation model: the
 * waiter queue, option checks, signal watching, timers, process holds and argument errors.
 * Not public API: it changes in any release (the @syncio packages are versioned together).
 * @module @syncio/core/internal
 * @internal
 */
export { inspectSymbol, newHandle, type Grantor } from "./acquired.js";
export { iterateItems, iterateTasks } from "./queue-iteration.js";
export { waitUntil } from "./wait-until.js";
export { checkInteger, describeValue, rangeError, typeError } from "./errors.js";
export { holdProcess, Timer } from "./runtime.js";
export {
  arm,
  checkWaitOptions,
  isAbortSignal,
  KEEP_ALIVE_WHILE_WATCHED,
  timedOut,
  unwatchSignal,
  Waiter,
  WaiterQueue,
  watchSignal,
  type Cancellable,
} from "./waiter-queue.js";
