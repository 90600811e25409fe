/**
 * @syncio/node — syncio bound to Node.js: the whole `@syncio/core` API, with Node's timers,
 * clock and `setImmediate` installed as the runtime on import.
 *
 * @example
 * ```ts
 * import { Lock, Queue, sleep } from "@syncio/node";
 * ```
 * @module @syncio/node
 */
import { setRuntime } from "@syncio/core";
import { assertNode } from "./guard.js";
import { runtime } from "./runtime.js";

assertNode();
setRuntime(runtime);

export * from "@syncio/core";
export { runtime };
