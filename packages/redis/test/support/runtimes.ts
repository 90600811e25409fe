/**
 * How to start a JavaScript file under each runtime. The real binaries, not the npm packages'
 * launchers (a shell script for bun, a node script for deno, which would leave the runtime
 * running when a test kills the launcher), and the real node even under `bun --bun` (which puts a
 * `node` that is bun first on the PATH).
 */
import { existsSync, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export type RuntimeName = "node" | "deno" | "bun";

const root = (path: string) => fileURLToPath(new URL(`../../../../node_modules/${path}`, import.meta.url));

function realNode(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "node");
    if (existsSync(candidate) && !/bun/.test(realpathSync(candidate))) return candidate;
  }
  throw new Error("no node binary on the PATH");
}

const binaries: Record<RuntimeName, () => string> = {
  node: realNode,
  deno: () => root("deno/deno"),
  bun: () => root("bun/bin/bun.exe"),
};

/** The command line that runs `file` with `args` under `runtime`. */
export function runtimeCommand(runtime: RuntimeName, file: string, args: string[]): [string, string[]] {
  const binary = binaries[runtime]();
  if (runtime === "node") return [binary, [file, ...args]];
  if (runtime === "deno") return [binary, ["run", "-A", "--no-lock", file, ...args]];
  return [binary, ["run", file, ...args]];
}

/** The runtime running this test file. */
export const host: RuntimeName = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
