/**
 * @syncio/bun — syncio bound to Bun: the whole `@syncio/core` API, with Bun's timers,
 * clock and `setImmediate` installed as the runtime on import.
 *
 * @example
 * ```ts
 * import { Lock, Queue, sleep } from "@syncio/bun";
 * ```
 * @module @syncio/bun
 */
import { setRuntime } from "@syncio/core";
import { assertBun } from "./guard.js";
import { runtime } from "./runtime.js";

assertBun();
setRuntime(runtime);

export * from "@syncio/core";
export { runtime };
