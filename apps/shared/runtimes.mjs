// How to run a built demo on each runtime, with the runtimes this repo pins as devDependencies.
// Shared by the demos' tests and scripts/demo.mjs. It points at the real executables, not at
// node_modules/.bin: those are shell (and, for deno, node) wrappers that do not pass a SIGINT on.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The runtimes every demo runs on, in the order they are shown. */
export const runtimes = /** @type {const} */ (["node", "deno", "bun"]);

const root = fileURLToPath(new URL("../../", import.meta.url));
const requireFromRoot = createRequire(join(root, "package.json"));

/** @param {string} name */
function packageDir(name) {
  try {
    return dirname(requireFromRoot.resolve(`${name}/package.json`));
  } catch {
    return join(root, "node_modules", name);
  }
}

/**
 * The executable of `runtime`: this node, or the deno/bun binary installed by the devDependency
 * (falling back to the one on PATH).
 * @param {"node" | "deno" | "bun"} runtime
 * @returns {string}
 */
export function runtimeExecutable(runtime) {
  const windows = process.platform === "win32";
  if (runtime === "node") return process.execPath;
  const candidate = runtime === "deno" ? join(packageDir("deno"), windows ? "deno.exe" : "deno") : join(packageDir("bun"), "bin", "bun.exe");
  return existsSync(candidate) ? candidate : runtime;
}

/**
 * The command that runs the demo app in `appDir` (its built `dist/<runtime>.js`) with `args`.
 * @param {"node" | "deno" | "bun"} runtime
 * @param {string} appDir
 * @param {readonly string[]} args
 * @returns {{ command: string, args: string[] }}
 */
export function demoCommand(runtime, appDir, args = []) {
  const entry = join(appDir, "dist", `${runtime}.js`);
  const runtimeArgs = runtime === "deno" ? ["run", "--quiet", "--no-lock", entry] : [entry];
  return { command: runtimeExecutable(runtime), args: [...runtimeArgs, ...args] };
}
