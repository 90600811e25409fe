import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  target: "es2022",
  sourcemap: true,
  // One core instance per thread, shared with the adapters: never bundle it.
  external: ["@syncio/core"],
});
