/**
 * @syncio/deno — syncio bound to Deno: the whole `@syncio/core` API, with Deno's timers,
 * clock and `setImmediate` installed as the runtime on import.
 *
 * @example
 * ```ts
 * import { Lock, Queue, sleep } from "@syncio/deno";
 * ```
 * @module @syncio/deno
 */
import { setRuntime } from "@syncio/core";
import { assertDeno } from "./guard.js";
import { runtime } from "./runtime.js";

assertDeno();
setRuntime(runtime);

export * from "@syncio/core";
export { runtime };
