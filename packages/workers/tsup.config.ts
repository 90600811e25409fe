import { defineConfig } from "tsup";

export default defineConfig({
  // One output file per module, so a bundler drops the primitives an app does not import.
  entry: ["src/*.ts"],
  bundle: false,
  format: ["esm"],
  dts: true,
  clean: true,
  target: "es2022",
  sourcemap: true,
  treeshake: true,
});
