// The suites `pnpm test` runs, in order. kind "vitest": a vitest CLI that accepts appended
// reporter arguments (counted per test); kind "check": a command counted as one pass or fail.
// stress: also run by `pnpm test:stress`; stressOnly: only then.
export const suites = [
  { name: "core · source (node)", kind: "vitest", cwd: "packages/core", command: ["pnpm", "exec", "vitest", "run"], timeoutSeconds: 600 },
  { name: "packages · pack/lint/smoke/jsr", kind: "check", command: ["node", "scripts/check-packages.mjs"], timeoutSeconds: 900 },
  { name: "core · size budget", kind: "check", command: ["pnpm", "exec", "size-limit"], timeoutSeconds: 120 },
  { name: "docs · typedoc, no warnings", kind: "check", command: ["pnpm", "exec", "typedoc"], timeoutSeconds: 300 },
];
