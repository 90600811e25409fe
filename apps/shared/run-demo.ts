/** Test support: runs a built demo on a real runtime, under a hard time limit. */
import { spawn } from "node:child_process";
import { demoCommand } from "./runtimes.mjs";

export type RuntimeName = "node" | "deno" | "bun";

export interface DemoRun {
  /** The exit code, or null if a signal ended the process. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the hard time limit killed it. */
  readonly killed: boolean;
  /** Milliseconds from the SIGINT sent by `interruptAfter` to the exit; undefined if none was sent. */
  readonly exitAfterInterruptMs: number | undefined;
}

export interface RunOptions {
  /** Sends one SIGINT as soon as stdout matches this. */
  readonly interruptAfter?: RegExp;
  /** SIGKILL after this many milliseconds (a hung runtime must not hang the suite). */
  readonly limitMs?: number;
}

/** Runs `dist/<runtime>.js` of the app in `appDir` with `args` and collects what it printed. */
export function runDemo(runtime: RuntimeName, appDir: string, args: readonly string[], options: RunOptions = {}): Promise<DemoRun> {
  const { command, args: commandArgs } = demoCommand(runtime, appDir, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: appDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    let interruptedAt: number | undefined;
    let killed = false;
    const limit = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, options.limitMs ?? 15_000);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (options.interruptAfter !== undefined && interruptedAt === undefined && options.interruptAfter.test(stdout)) {
        interruptedAt = performance.now();
        child.kill("SIGINT");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => {
      clearTimeout(limit);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(limit);
      const exitAfterInterruptMs = interruptedAt === undefined ? undefined : performance.now() - interruptedAt;
      resolve({ code, signal, stdout, stderr, killed, exitAfterInterruptMs });
    });
  });
}
