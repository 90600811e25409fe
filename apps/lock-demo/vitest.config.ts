import { defineConfig } from "vitest/config";

// The tests spawn the built demo on node, deno and bun; globalSetup rebuilds it first.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["../shared/build-for-tests.ts"],
    testTimeout: 30_000,
  },
});
