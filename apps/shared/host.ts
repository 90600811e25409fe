/**
 * What a demo needs from the runtime it runs on. The program modules only talk to a `Host`;
 * each app's per-runtime entry file builds the one of its runtime and passes it in.
 */
export interface Host {
  /** The command-line arguments after the script's name. */
  readonly args: readonly string[];
  /** Writes `line` and a newline to stdout. */
  print(line: string): void;
  /** Writes `text` and a newline to stderr. */
  printError(text: string): void;
  /** Calls `handler` on every Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the process at once with `code`; for a second Ctrl-C, when waiting is not wanted. */
  exit(code: number): never;
}

/**
 * The host of Node.js and Bun, which share `process`.
 * Signals: https://nodejs.org/api/process.html#signal-events — https://bun.sh/guides/process/os-signals
 */
export function processHost(): Host {
  return {
    args: process.argv.slice(2),
    print: (line) => console.log(line),
    printError: (text) => console.error(text),
    onInterrupt(handler) {
      // Listening replaces the default of dying on SIGINT.
      process.on("SIGINT", handler);
      return () => void process.off("SIGINT", handler);
    },
    exit: (code) => process.exit(code),
  };
}
