// What the `bun` and `node` export conditions of @syncio/deno resolve to: importing it fails at
// once with the name of the package to use instead.
import { assertDeno } from "./guard.js";

assertDeno();
throw new Error("@syncio/deno was resolved for another runtime (a `bun` or `node` export condition): import that runtime's adapter.");
