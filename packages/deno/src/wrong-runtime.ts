// What the `bun` and `node` export conditions of @syncio/deno resolve to: importing it fails at
// once with the name of the package to use instead.
import { assertDeno } from "./guard.js";

assertDeno();
throw new Error("@syncio/deno was resolved for another runtime (a `bun` or `node` export condition): import that runtime's adapter.");

// The same names as index.js, so that a named or namespace import links and reaches the throw
// above (a module exporting nothing fails to link first, with the engine's "export not found").
export * from "@syncio/core";
export { runtime } from "./runtime.js";
