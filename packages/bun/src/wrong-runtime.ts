// What the `deno` and `node` export conditions of @syncio/bun resolve to: importing it fails at
// once with the name of the package to use instead.
import { assertBun } from "./guard.js";

assertBun();
throw new Error("@syncio/bun was resolved for another runtime (a `deno` or `node` export condition): import that runtime's adapter.");
