import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import the API as "syncio" and the virtual clock as "syncio/testing". By default they
// run against the sources; with SYNCIO_ADAPTER=node|deno|bun they run against that adapter's
// build (and the core build it shares), and SYNCIO_ADAPTER=web against core's build alone.
const adapter = process.env.SYNCIO_ADAPTER;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const entry = adapter === undefined ? here("./src/index.ts") : adapter === "web" ? here("./dist/index.js") : here(`../${adapter}/dist/index.js`);
const testing = adapter === undefined ? here("./src/testing.ts") : here("./dist/testing.js");

export default defineConfig({
  resolve: {
    alias: [
      { find: /^syncio\/testing$/, replacement: testing },
      { find: /^syncio$/, replacement: entry },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
  },
});
