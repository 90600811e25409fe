import type { Host } from "./host.js";

/** The part of Deno's namespace the demos use (the apps do not pull in Deno's type package). */
interface DenoNamespace {
  readonly args: readonly string[];
  exitCode: number;
  exit(code: number): never;
  addSignalListener(signal: "SIGINT", handler: () => void): void;
  removeSignalListener(signal: "SIGINT", handler: () => void): void;
}

declare global {
  // eslint-disable-next-line no-var
  var Deno: DenoNamespace;
}

/**
 * The host of Deno. Signals: https://docs.deno.com/api/deno/~/Deno.addSignalListener
 * Exit code: https://docs.deno.com/api/deno/~/Deno.exitCode
 */
export function denoHost(): Host {
  return {
    args: Deno.args,
    print: (line) => console.log(line),
    printError: (text) => console.error(text),
    onInterrupt(handler) {
      Deno.addSignalListener("SIGINT", handler);
      return () => Deno.removeSignalListener("SIGINT", handler);
    },
    exit: (code) => Deno.exit(code),
  };
}

