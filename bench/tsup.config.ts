import { defineConfig } from "tsup";

// Two programs: `suite` runs inside each runtime, `main` (node) spawns them and writes the report.
// Libraries stay external so each runtime resolves syncio through its own export condition.
export default defineConfig({
  entry: ["src/suite.ts", "src/main.ts", "src/workers/suite.ts"],
  format: ["esm"],
  clean: true,
  target: "es2022",
  sourcemap: true,
  skipNodeModulesBundle: true,
});
