// What the `bun` and `deno` export conditions of @syncio/node resolve to: importing it fails at
// once with the name of the package to use instead.
import { assertNode } from "./guard.js";

assertNode();
throw new Error("@syncio/node was resolved for another runtime (a `bun` or `deno` export condition): import that runtime's adapter.");
