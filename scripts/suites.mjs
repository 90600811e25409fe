// The suites `pnpm test` runs, in order. kind "vitest": a vitest CLI that accepts appended
// reporter arguments (counted per test); kind "check": a command counted as one pass or fail.
// stress: also run by `pnpm test:stress`; stressOnly: only then.
export const suites = [
  { name: "core · source (node)", kind: "vitest", cwd: "packages/core", command: ["pnpm", "exec", "vitest", "run"], timeoutSeconds: 600 },
];
