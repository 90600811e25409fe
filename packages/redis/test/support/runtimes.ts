/** How to start a JavaScript file under each runtime, from this package's directory. */
import { fileURLToPath } from "node:url";

export type RuntimeName = "node" | "deno" | "bun";

const bin = (name: string) => fileURLToPath(new URL(`../../../../node_modules/.bin/${name}`, import.meta.url));

/** The command line that runs `file` with `args` under `runtime`. */
export function runtimeCommand(runtime: RuntimeName, file: string, args: string[]): [string, string[]] {
  if (runtime === "node") return ["node", [file, ...args]];
  if (runtime === "deno") return [bin("deno"), ["run", "-A", "--no-lock", file, ...args]];
  return [bin("bun"), ["run", file, ...args]];
}

/** The runtime running this test file. */
export const host: RuntimeName = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
