#!/usr/bin/env node
// `pnpm test:soak` (after `turbo run build`; not in CI): the soak run of scripts/soak/worker.mjs
// — 4 producers and 8 consumers moving 1,000,000 items through a bounded Queue with random
// aborts — on node, deno and bun, each on its own adapter's build, each under a hard time limit.
// Checks no item lost or duplicated (count, sum, per-item marks) and a flat heap after warm-up.
//
//   node scripts/soak.mjs                      all three runtimes, 1,000,000 items each
//   node scripts/soak.mjs --items 100000       fewer items
//   node scripts/soak.mjs --only deno          one runtime
//   SOAK_SEED=12345 node scripts/soak.mjs      repeat a run's random aborts (each run prints its seed)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const items = option("--items") ?? "1000000";
const only = option("--only");
const LIMIT_SECONDS = 600;

const root = new URL("..", import.meta.url).pathname;
const worker = join(root, "scripts/soak/worker.mjs");
const bin = (name) => join(root, "node_modules/.bin", name);
const runs = [
  { runtime: "node", command: [process.execPath, "--expose-gc", worker] },
  { runtime: "deno", command: [bin("deno"), "run", "--allow-read", "--allow-env", "--v8-flags=--expose-gc", worker] },
  { runtime: "bun", command: [bin("bun"), "run", worker] },
].filter((run) => only === undefined || run.runtime === only);

function soak({ runtime, command }) {
  const adapter = join(root, `packages/${runtime}/dist/index.js`);
  if (!existsSync(adapter)) return Promise.resolve({ runtime, ok: false, error: `${adapter} missing: run \`pnpm build\` first` });
  const [executable, ...rest] = command;
  return new Promise((resolve) => {
    const child = spawn(executable, [...rest, adapter, items], { cwd: root, stdio: ["ignore", "pipe", "inherit"], detached: true });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    // Hard limit: a hung runtime (e.g. Bun spinning on a never-settling await) is killed with its group.
    const timer = setTimeout(() => {
      output += JSON.stringify({ runtime, ok: false, error: `killed after ${LIMIT_SECONDS} s` });
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, LIMIT_SECONDS * 1000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const line = output.trim().split("\n").at(-1) ?? "";
      let result;
      try {
        result = JSON.parse(line);
      } catch {
        result = { runtime, ok: false, error: `exit ${code ?? signal}, no result line: ${line.slice(0, 200)}` };
      }
      resolve({ ...result, ok: result.ok === true && code === 0 });
    });
  });
}

const results = [];
for (const run of runs) {
  console.log(`━━ soak on ${run.runtime}: ${Number(items).toLocaleString("en")} items, 4 producers, 8 consumers, maxsize 64, 5% of calls aborted`);
  const result = await soak(run);
  results.push(result);
  console.log(result.error ?? JSON.stringify(result));
}

console.log(`\n${"runtime".padEnd(8)}${"items/s".padStart(10)}${"seconds".padStart(9)}${"aborts put/get".padStart(16)}${"lost".padStart(6)}${"dup".padStart(5)}${"heap MB".padStart(9)}${"growth".padStart(8)}  result`);
for (const r of results) {
  if (r.error) {
    console.log(`${r.runtime.padEnd(8)}  ✗ ${r.error}`);
    continue;
  }
  const heap = r.heapMB?.at(-1) ?? NaN;
  console.log(
    `${r.runtime.padEnd(8)}${String(r.itemsPerSecond).padStart(10)}${String(r.seconds).padStart(9)}${`${r.putAborts}/${r.getAborts}`.padStart(16)}${String(r.missing).padStart(6)}${String(r.duplicates).padStart(5)}${heap.toFixed(1).padStart(9)}${r.heapGrowthMB.toFixed(2).padStart(8)}  ${r.ok ? "✓" : "✗"} (seed ${r.seed})`,
  );
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
