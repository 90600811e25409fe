import { defineConfig } from "tsup";

export default defineConfig({
  // One output file per module, so a bundler can drop the primitives an app does not import.
  entry: ["src/*.ts"],
  bundle: false,
  format: ["esm"],
  // The declarations name Symbol.dispose and Disposable: make them type-check for users whose own
  // `lib` lacks esnext.disposable (with skipLibCheck off). A directive must open the file.
  dts: { banner: '/// <reference lib="esnext.disposable" preserve="true" />' },
  clean: true,
  target: "es2022",
  sourcemap: true,
  treeshake: true,
});
