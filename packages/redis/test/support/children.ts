/** Child processes on node, deno and bun, with a bounded life, for the cross-process tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { runtimeCommand, type RuntimeName } from "./runtimes.js";

export interface Child {
  readonly process: ChildProcess;
  readonly runtime: RuntimeName;
  /** Resolves with the first stdout line equal to `line` (or matching it). */
  line(line: string | RegExp, ms?: number): Promise<string>;
  /** Resolves with the exit code (or signal name) once it exits. */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
  /** Writes `line` and a newline to its stdin. */
  send(line: string): void;
}

/** Starts `file` (in this folder) under `runtime`; it is SIGKILLed after `lifeMs` whatever happens. */
export function startChild(runtime: RuntimeName, file: string, args: string[], lifeMs = 90_000): Child {
  const [command, commandArgs] = runtimeCommand(runtime, fileURLToPath(new URL(file, import.meta.url)), args);
  const child = spawn(command, commandArgs, { stdio: ["pipe", "pipe", "inherit"], cwd: fileURLToPath(new URL(".", import.meta.url)) });
  const killer = setTimeout(() => child.kill("SIGKILL"), lifeMs);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      clearTimeout(killer);
      resolve(code ?? signal ?? -1);
    }),
  );
  const seen: string[] = [];
  const waiting = new Set<(text: string) => void>();
  createInterface({ input: child.stdout! }).on("line", (text) => {
    seen.push(text);
    for (const check of [...waiting]) check(text);
  });
  const matches = (pattern: string | RegExp, text: string) => (typeof pattern === "string" ? text === pattern : pattern.test(text));
  return {
    process: child,
    runtime,
    exited,
    line: (line, ms = 30_000) =>
      new Promise<string>((resolve, reject) => {
        const found = seen.find((text) => matches(line, text));
        if (found !== undefined) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`${runtime} child: no "${line}" within ${ms} ms`)), ms);
        const check = (text: string) => {
          if (!matches(line, text)) return;
          waiting.delete(check);
          clearTimeout(timer);
          resolve(text);
        };
        waiting.add(check);
        void exited.then((code) => reject(new Error(`${runtime} child exited (${code}) before "${line}"`)));
      }),
    // process.kill: Deno's ChildProcess.kill() will not send SIGCONT to a stopped child.
    kill: (signal = "SIGKILL") => process.kill(child.pid!, signal),
    send: (line) => void child.stdin!.write(`${line}\n`),
  };
}
