// What the `bun` and `deno` export conditions of @syncio/node resolve to: importing it fails at
// once with the name of the package to use instead.
import { assertNode } from "./guard.js";

assertNode();
throw new Error("@syncio/node was resolved for another runtime (a `bun` or `deno` export condition): import that runtime's adapter.");

// The same names as index.js, so that a named or namespace import links and reaches the throw
// above (a module exporting nothing fails to link first, with the engine's "export not found").
export * from "@syncio/core";
export { runtime } from "./runtime.js";
