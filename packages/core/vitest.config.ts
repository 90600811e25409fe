import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

// Tests import the API as "syncio" and the virtual clock as "syncio/testing". By default they
// run against the sources; with SYNCIO_ADAPTER=node|deno|bun they run against that adapter's
// build (and the core build it shares), and SYNCIO_ADAPTER=web against core's build alone.
// test/adapter.test.ts proves which binding was loaded and which runtime really runs it.
const adapter = process.env.SYNCIO_ADAPTER;
if (adapter !== undefined && !["node", "deno", "bun", "web"].includes(adapter)) {
  throw new Error(`SYNCIO_ADAPTER must be node, deno, bun or web (or unset for the sources), got ${adapter}`);
}
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const entry = adapter === undefined ? here("./src/index.ts") : adapter === "web" ? here("./dist/index.js") : here(`../${adapter}/dist/index.js`);
const testing = adapter === undefined ? here("./src/testing.ts") : here("./dist/testing.js");

/** The runtime running this config, and the test workers it starts on the same executable. */
const host = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";

/** The suite's config for tests running on `runtime` (vitest.browser.config.ts passes "chromium"). */
export function syncioConfig(runtime: string): ViteUserConfig {
  // Vite picks the `node` export condition unless told which runtime this is.
  const conditions = [runtime === "chromium" ? "browser" : runtime, "module", "import", "default"];
  return defineConfig({
    resolve: {
      alias: [
        { find: /^syncio\/testing$/, replacement: testing },
        { find: /^syncio$/, replacement: entry },
      ],
      conditions,
    },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ["test/**/*.test.ts"],
      provide: { syncioAdapter: adapter ?? "sources", syncioHost: runtime },
      // Leak tests call globalThis.gc (Deno maps the flag onto V8 for the workers it forks; Bun has Bun.gc).
      execArgv: runtime === "node" || runtime === "deno" ? ["--expose-gc"] : [],
    },
  });
}

export default syncioConfig(host);
