#!/usr/bin/env node
// `pnpm demo` (after `turbo run build`): both demos of apps/, briefly, on node, deno and bun,
// each under a hard time limit. Exits 1 if any run fails or overruns.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { demoCommand, runtimes } from "../apps/shared/runtimes.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const limitMs = 20_000;
const demos = [
  { app: "lock-demo", args: ["--hold", "300"] },
  { app: "news-demo", args: ["--items", "6", "--interval", "50", "--seed", "1"] },
];

// Ctrl-C reaches the running demo too (news-demo ends cleanly on it): start no further run.
let interrupted = false;
process.on("SIGINT", () => (interrupted = true));

/** Runs one demo with the terminal as its output; resolves to a problem, or undefined if it went well. */
function run(runtime, app, args) {
  const { command, args: commandArgs } = demoCommand(runtime, join(root, "apps", app), args);
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: ["ignore", "inherit", "inherit"] });
    const limit = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(`still running after ${limitMs / 1000} s: killed`);
    }, limitMs);
    child.on("error", (error) => {
      clearTimeout(limit);
      resolve(`could not start ${command}: ${error.message}`);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(limit);
      resolve(code === 0 ? undefined : `exited with ${signal ?? `code ${code}`}`);
    });
  });
}

const failures = [];
for (const runtime of runtimes) {
  for (const { app, args } of demos) {
    if (interrupted) break;
    console.log(`\n━━ ${app} on ${runtime} ━━ pnpm --filter @syncio/${app} start:${runtime} ${args.join(" ")}\n`);
    const problem = await run(runtime, app, args);
    if (problem !== undefined) {
      console.error(`✗ ${app} on ${runtime}: ${problem}`);
      failures.push(`${app} on ${runtime}`);
    }
  }
}
if (interrupted) process.exit(130);
console.log(failures.length === 0 ? `\n✓ both demos ran on ${runtimes.join(", ")}` : `\n✗ failed: ${failures.join(", ")}`);
process.exit(failures.length === 0 ? 0 : 1);
