import { defineConfig } from "tsup";

export default defineConfig({
  // wrong-runtime.js is what the other runtimes' export conditions resolve to.
  entry: ["src/index.ts", "src/wrong-runtime.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  clean: true,
  target: "es2022",
  sourcemap: true,
  // One core instance for every adapter: never bundle it.
  external: ["@syncio/core"],
});
