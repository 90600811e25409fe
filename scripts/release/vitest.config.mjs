// The release checks (`node scripts/test.mjs --only release`): the workflows, the release
// configuration, and the release rehearsal in a scratch clone. One file at a time: the
// rehearsal installs, builds and runs a registry, and the machine has two cores.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["*.test.mjs"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
