import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The tests run against the build (`pnpm build` first; `pnpm test` does), as users and the child
// processes load it: under Bun the `bun` entry, which also takes Bun's RedisClient.
const host = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
const entry = fileURLToPath(new URL(host === "bun" ? "./dist/index.bun.js" : "./dist/index.js", import.meta.url));
const conditions = [host, "module", "import", "default"];

export default defineConfig({
  resolve: { alias: [{ find: /^@syncio\/redis$/, replacement: entry }], conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ["test/**/*.test.ts"],
    // One file at a time: the fault and fairness tests measure real time on a 2-core machine.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    provide: { host },
  },
});
