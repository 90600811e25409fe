import { defineConfig } from "tsup";

// Three programs: `suite` runs inside each runtime, `main` (node) spawns them and writes the report,
// `profile` (node) shows where one case's time and allocations go.
// Libraries stay external so each runtime resolves syncio through its own export condition.
export default defineConfig({
  entry: ["src/suite.ts", "src/main.ts", "src/profile.ts", "src/workers/suite.ts"],
  format: ["esm"],
  clean: true,
  target: "es2022",
  sourcemap: true,
  skipNodeModulesBundle: true,
});
