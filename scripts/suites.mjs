// The suites `pnpm test` runs, in order. kind "vitest": a vitest CLI that accepts appended
// reporter arguments (counted per test); kind "check": a command counted as one pass or fail.
// stressOnly: run only by `pnpm test:stress` (which sets SYNCIO_STRESS=1: 100× the schedules).
const core = (runtime, timeoutSeconds) => ({
  name: `core · ${runtime}`,
  kind: "vitest",
  cwd: "packages/core",
  command: ["pnpm", "run", `test:${runtime === "chromium" ? "browser" : runtime}`],
  timeoutSeconds,
});
const stress = (runtime) => ({
  name: `stress · ${runtime}`,
  kind: "vitest",
  cwd: "packages/core",
  command: ["pnpm", "run", `test:${runtime}`, "test/stress"],
  timeoutSeconds: 600,
  stressOnly: true,
});
const vitestIn = (name, cwd, timeoutSeconds) => ({ name, kind: "vitest", cwd, command: ["pnpm", "exec", "vitest", "run"], timeoutSeconds });
// @syncio/redis against a real redis-server it starts itself (it fails, saying how to install
// redis-server, when there is none), under each runtime; children on all three runtimes either way.
const redis = (runtime) => ({ name: `redis · ${runtime}`, kind: "vitest", cwd: "packages/redis", command: ["pnpm", "run", `test:${runtime}`], timeoutSeconds: 600 });
// scripts/release is no workspace package (pnpm exec would not run there): vitest runs from the root.
const release = (name, files, timeoutSeconds) => ({ name, kind: "vitest", command: ["pnpm", "exec", "vitest", "run", "--root", "scripts/release", ...files], timeoutSeconds });
// @syncio/workers: every suite with its waiters in real threads, on each runtime and in Chromium
// (cross-origin isolated); the node run also spawns each runtime for the process-lifetime tests.
const workers = (runtime, timeoutSeconds) => ({
  name: `workers · ${runtime}`,
  kind: "vitest",
  cwd: "packages/workers",
  command: ["pnpm", "run", `test:${runtime === "chromium" ? "browser" : runtime}`],
  timeoutSeconds,
});
const workersStress = (runtime) => ({
  name: `workers stress · ${runtime}`,
  kind: "vitest",
  cwd: "packages/workers",
  command: ["pnpm", "run", `test:${runtime}`, "test/stress"],
  timeoutSeconds: 600,
  stressOnly: true,
});

export const suites = [
  core("node", 600),
  core("deno", 600),
  core("bun", 600),
  core("chromium", 900),
  workers("node", 300),
  workers("deno", 300),
  workers("bun", 300),
  workers("chromium", 600),
  vitestIn("adapter · @syncio/node", "packages/node", 300),
  vitestIn("adapter · @syncio/deno", "packages/deno", 300),
  vitestIn("adapter · @syncio/bun", "packages/bun", 300),
  redis("node"),
  redis("deno"),
  redis("bun"),
  vitestIn("demo · lock-demo (3 runtimes)", "apps/lock-demo", 300),
  vitestIn("demo · news-demo (3 runtimes)", "apps/news-demo", 300),
  { name: "packages · pack/lint/smoke/jsr", kind: "check", command: ["node", "scripts/check-packages.mjs"], timeoutSeconds: 900 },
  release("release · workflows, config", ["workflows", "release-config"], 300),
  release("release · rehearsal (npm, JSR)", ["rehearsal"], 900),
  { name: "core · size budget", kind: "check", command: ["pnpm", "exec", "size-limit"], timeoutSeconds: 120 },
  { name: "docs · typedoc, no warnings", kind: "check", command: ["pnpm", "exec", "typedoc"], timeoutSeconds: 300 },
  // Every bench case once at tiny counts on each runtime: results checked, no case under its floor.
  { name: "bench · quick (3 runtimes)", kind: "check", command: ["pnpm", "--filter", "@syncio/bench", "bench", "--quick", "--no-python"], timeoutSeconds: 600 },
  stress("node"),
  stress("deno"),
  stress("bun"),
  workersStress("node"),
  workersStress("deno"),
  workersStress("bun"),
];
