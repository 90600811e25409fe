/**
 * The @syncio/workers part of `pnpm bench`: runs dist/workers/suite.js once per runtime (each one
 * process, killed if it outlives its budget), writes bench/WORKERS.md and returns it, with the
 * targets of issue 14 checked: uncontended ≤ 100 ns on node, contended hand-off ≤ 1.2× the
 * waitAsync floor, FIFO under contention (the longest run of one thread).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import type { WorkersOutput, WorkersResult } from "./suite.js";

export interface WorkersBenchOptions {
  benchDir: string;
  runtimes: string[];
  rounds: number;
  timeoutMs: number;
}

function binary(benchDir: string, name: string): string {
  for (let dir = benchDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", ".bin", name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return name;
  }
}

function runSuite(options: WorkersBenchOptions, runtime: string, out: string, side: string): Promise<void> {
  const suite = join(options.benchDir, "dist", "workers", "suite.js");
  const args = [suite, out, String(options.rounds), side];
  const [command, commandArgs] =
    runtime === "node" ? [process.execPath, args] : runtime === "deno" ? [binary(options.benchDir, "deno"), ["run", "--allow-all", ...args]] : [binary(options.benchDir, "bun"), ["run", ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: options.benchDir, stdio: ["ignore", "inherit", "pipe"] });
    const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      errors += text;
      for (const line of text.split("\n")) if (line.includes(`round ${options.rounds}/${options.rounds}`) || (line.trim() !== "" && !line.includes(" round "))) process.stderr.write(`${line}\n`);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      if (code === 0) resolve();
      else reject(new Error(`${runtime}: workers suite exited with ${signal ?? code}\n${errors.slice(-2000)}`));
    });
  });
}

const format = (ns: number) => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(ns < 100 ? 1 : 0)} ns`);

function find(output: WorkersOutput, caseId: string, library: string): WorkersResult | undefined {
  return output.results.find((result) => result.caseId === caseId && result.library === library);
}

/** The targets of issue 14, for one runtime's output. */
export function workersTargets(output: WorkersOutput): Array<{ target: string; measured: string; met: boolean }> {
  const floor = find(output, "floor: waitAsync ping-pong, one-way wake", "floor")!.nsPerOp;
  const checks: Array<{ target: string; measured: string; met: boolean }> = [];
  for (const threads of [2, 4]) {
    const handoff = find(output, `Lock contended hand-off, ${threads} threads`, "syncio")!;
    checks.push({ target: `contended hand-off, ${threads} threads ≤ 1.2× the waitAsync floor`, measured: `${(handoff.nsPerOp / floor).toFixed(2)}×`, met: handoff.nsPerOp <= 1.2 * floor });
    checks.push({ target: `FIFO under contention, ${threads} threads: no caller overtaken (≤ 0.1%: a pause between drawing a number and calling acquire)`, measured: `${handoff.overtakes} overtaken, longest run ${handoff.longestRun}`, met: (handoff.overtakes ?? Infinity) <= 0.001 * 4_000 * handoff.rounds.length });
  }
  const fairness = find(output, "Lock fairness, 2 threads holding it 100 µs each time", "syncio");
  const barging = find(output, "Lock fairness, 2 threads holding it 100 µs each time", "multithreading");
  // Strict alternation (a run of 1) needs the releaser to be queued again before the grantee's 100 µs
  // are up; a loaded machine's scheduler can pause it for milliseconds, so the runs are compared.
  if (fairness !== undefined && barging !== undefined) {
    checks.push({ target: "fairness with 100 µs critical sections: a shorter longest run than the barging peer", measured: `${fairness.longestRun} vs ${barging.longestRun}`, met: fairness.longestRun! < barging.longestRun! });
  }
  if (output.runtime === "node") {
    const plain = find(output, "Lock uncontended acquire+release", "syncio")!;
    checks.push({ target: "uncontended acquire+release ≤ 100 ns on node", measured: format(plain.nsPerOp), met: plain.nsPerOp <= 100 });
  }
  return checks;
}

/** Runs the workers suite on every runtime; returns the markdown it wrote to bench/WORKERS.md. */
export async function benchWorkers(options: WorkersBenchOptions): Promise<{ markdown: string; missed: string[] }> {
  const scratch = mkdtempSync(join(os.tmpdir(), "syncio-bench-workers-"));
  const outputs: WorkersOutput[] = [];
  const failures: string[] = [];
  for (const runtime of options.runtimes) {
    let output: WorkersOutput | undefined;
    for (const side of runtime === "bun" ? ["syncio"] : ["syncio", "multithreading"]) {
      const out = join(scratch, `${runtime}-${side}.json`);
      try {
        await runSuite(options, runtime, out, side);
        const part = JSON.parse(readFileSync(out, "utf8")) as WorkersOutput;
        if (output === undefined) output = part;
        else output.results.push(...part.results);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    if (output?.results.some((result) => result.library === "floor")) outputs.push(output);
  }
  const lines = [
    "# @syncio/workers benchmark results",
    "",
    `Written by \`pnpm bench\` on ${new Date().toISOString()} (${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores). Wall-clock time per operation (the threads run in parallel), the median of ${options.rounds} interleaved rounds; a hand-off is one acquisition passing from one thread to another, 4,000 per round, each thread holding the lock for a ~1 µs critical section so that the others are always waiting. The floor is two threads passing a turn with nothing but \`Atomics.waitAsync\` and \`Atomics.notify\`: one one-way wake. Each caller draws a request number just before it calls acquire: \"overtaken\" counts callers (over all rounds) served after someone who asked later — with FIFO, only a caller the scheduler paused between drawing its number and calling acquire; \"longest run\" is the most acquisitions one thread made in a row (with FIFO, a thread takes the lock again only when nobody is queued, which a loaded machine's scheduler can make happen). Peer: \`multithreading\` (its \`Mutex\`: a compare-and-swap, then a \`waitAsync\` retry), measured in its own process (on Deno it replaces \`Atomics.waitAsync\` with a polling version when it loads); on Bun its \`lock()\` never returns in these threads (Bun delivers no \`waitAsync\` wake-up to a thread with nothing else pending, and it holds nothing), so it is not run there. \`@esfx/threading-*\` is not on npm.`,
    "",
    "| runtime | case | syncio | × floor | overtaken · longest run | multithreading | overtaken · longest run |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const output of outputs) {
    const floor = find(output, "floor: waitAsync ping-pong, one-way wake", "floor")!.nsPerOp;
    lines.push(`| ${output.runtime} ${output.version} | floor: waitAsync ping-pong, one-way wake | ${format(floor)} | 1.00× | | | |`);
    for (const caseId of [...new Set(output.results.filter((result) => result.library !== "floor").map((result) => result.caseId))]) {
      const ours = find(output, caseId, "syncio")!;
      const peer = find(output, caseId, "multithreading");
      const ratio = caseId.includes("hand-off") ? `${(ours.nsPerOp / floor).toFixed(2)}×` : "";
      // The fairness case: a 100 µs critical section, far longer than a wake-up, so every other thread is queued at each release.
      const fairness = (result: WorkersResult | undefined) => (result?.longestRun === undefined ? "" : `${result.overtakes} · ${result.longestRun}`);
      lines.push(`| ${output.runtime} | ${caseId} | ${format(ours.nsPerOp)} | ${ratio} | ${fairness(ours)} | ${peer === undefined ? "–" : format(peer.nsPerOp)} | ${fairness(peer)} |`);
    }
  }
  const checks = outputs.flatMap((output) => workersTargets(output).map((check) => ({ ...check, runtime: output.runtime })));
  lines.push("", "## Targets", "", ...checks.map((check) => `- ${check.met ? "✓" : "✗"} ${check.runtime}: ${check.target} — ${check.measured}`));
  if (failures.length > 0) lines.push("", "## Failed runtimes", "", ...failures.map((failure) => `- ${failure.split("\n")[0]}`));
  const markdown = `${lines.join("\n")}\n`;
  writeFileSync(join(options.benchDir, "WORKERS.md"), markdown);
  return { markdown, missed: checks.filter((check) => !check.met).map((check) => `${check.runtime}: ${check.target} (${check.measured})`).concat(failures.map((failure) => failure.split("\n")[0]!)) };
}
