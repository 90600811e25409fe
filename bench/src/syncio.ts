/**
 * Loads syncio the way a user of each runtime would: through `@syncio/node`, `@syncio/deno` or
 * `@syncio/bun`; falls back to `@syncio/core` (web runtime) while an adapter is not built.
 * `SYNCIO_BENCH_MODULE=/path/to/dist/index.js` points a run at a scratch build instead.
 */
import { pathToFileURL } from "node:url";

export type Syncio = typeof import("@syncio/core");
export type RuntimeName = "node" | "deno" | "bun";

export function runtimeName(): RuntimeName {
  if ("Bun" in globalThis) return "bun";
  if ("Deno" in globalThis) return "deno";
  return "node";
}

export function runtimeVersion(): string {
  const name = runtimeName();
  if (name === "bun") return (globalThis as unknown as { Bun: { version: string } }).Bun.version;
  if (name === "deno") {
    const { deno, v8 } = (globalThis as unknown as { Deno: { version: { deno: string; v8: string } } }).Deno.version;
    return `${deno} (V8 ${v8})`;
  }
  return `${process.version.slice(1)} (V8 ${process.versions.v8})`;
}

export async function loadSyncio(): Promise<{ syncio: Syncio; source: string }> {
  const override = globalThis.process?.env?.SYNCIO_BENCH_MODULE;
  if (override) return { syncio: (await import(pathToFileURL(override).href)) as Syncio, source: override };
  const adapter = `@syncio/${runtimeName()}`;
  try {
    const syncio = (await import(adapter)) as Syncio;
    if (typeof syncio.Lock !== "function") throw new Error(`${adapter} exports no Lock`);
    return { syncio, source: adapter };
  } catch (error) {
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const syncio = (await import("@syncio/core")) as Syncio;
    return { syncio, source: `@syncio/core (web runtime; ${adapter} not loadable: ${why})` };
  }
}
