import { fileURLToPath } from "node:url";
import { defineConfig, type ViteUserConfig } from "vitest/config";

// The suites run against the package's build (`@syncio/workers` → dist/index.js), the same code the
// test threads (test/support/thread.js) load, on whichever runtime runs vitest: node, deno or bun.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The runtime running this config, and the test workers it starts on the same executable. */
const host = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";

/** The suite's config for `runtime` (vitest.browser.config.ts passes "chromium"). */
export function workersConfig(runtime: string): ViteUserConfig {
  const conditions = [runtime === "chromium" ? "browser" : runtime, "module", "import", "default"];
  return defineConfig({
    resolve: {
      alias: [{ find: /^@syncio\/workers$/, replacement: here("./dist/index.js") }],
      conditions,
    },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ["test/**/*.test.ts"],
      // Files named *.node.test.ts spawn every runtime themselves: they run once, under node.
      exclude: runtime === "node" ? [] : ["test/**/*.node.test.ts"],
      provide: { workersHost: runtime },
      // Every file starts its own threads: two files at a time keep a 2-core machine responsive.
      maxWorkers: 2,
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}

export default workersConfig(host);
