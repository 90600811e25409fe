/**
 * `pnpm bench`: runs the suite once per runtime (node, deno, bun — each one process, killed if it
 * outlives its budget) and the asyncio reference, then writes RESULTS.md and prints it.
 *
 * Options (append to `pnpm bench`): `--rounds N` (default 5), `--runtimes node,deno,bun`,
 * `--only <case prefix>`, `--no-python`, `--verbose` (every round's line on stderr).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { headline, runtimeSection, type PythonOutput } from "./report.js";
import type { SuiteOutput } from "./suite.js";
import { checkTargets } from "./targets.js";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const suite = join(benchDir, "dist", "suite.js");

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const rounds = Number(option("rounds") ?? 5);
const runtimes = (option("runtimes") ?? "node,deno,bun").split(",");
const only = option("only");
const verbose = flag("verbose");
/** Per process; a runtime that hangs (Bun spins on a never-settling await) is killed. */
const TIMEOUT_MS = Number(option("timeout") ?? 270) * 1000;

/** A binary of the workspace's devDependencies (deno, bun), found from here up. */
function workspaceBinary(name: string): string {
  for (let dir = benchDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", ".bin", name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return name;
  }
}

function commandFor(runtime: string, out: string): [string, string[], NodeJS.ProcessEnv] {
  const args = [out, String(rounds), ...(only === undefined ? [] : [only])];
  // Single-threaded GC: the collector's work lands on the measured thread, so the process's
  // CPU time is the case's cost rather than the case plus background sweeping.
  switch (runtime) {
    case "node":
      return [process.execPath, ["--expose-gc", "--single-threaded-gc", suite, ...args], process.env];
    case "deno":
      return [workspaceBinary("deno"), ["run", "--allow-all", "--v8-flags=--expose-gc,--single-threaded-gc", suite, ...args], process.env];
    case "bun":
      return [workspaceBinary("bun"), ["run", suite, ...args], { ...process.env, BUN_JSC_useConcurrentGC: "0", BUN_JSC_numberOfGCMarkers: "1" }];
    default:
      throw new Error(`unknown runtime ${runtime}: expected node, deno or bun`);
  }
}

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: benchDir, env, stdio: ["ignore", "inherit", "pipe"] });
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label}: killed after ${TIMEOUT_MS / 1000} s`));
    }, TIMEOUT_MS);
    let buffered = "";
    child.stderr.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (verbose || !line.includes(" round ") || line.includes(`round ${rounds}/${rounds} floor.hop`)) process.stderr.write(`${line}\n`);
      }
    });
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      if (buffered) process.stderr.write(buffered);
      if (code === 0) resolve();
      else reject(new Error(`${label} exited with ${signal ?? code}`));
    });
  });
}

const scratch = mkdtempSync(join(os.tmpdir(), "syncio-bench-"));
const outputs: SuiteOutput[] = [];
const failures: string[] = [];
for (const runtime of runtimes) {
  const out = join(scratch, `${runtime}.json`);
  const [command, args, env] = commandFor(runtime, out);
  try {
    await run(runtime, command, args, env);
    outputs.push(JSON.parse(readFileSync(out, "utf8")) as SuiteOutput);
  } catch (error) {
    failures.push(`${runtime}: ${(error as Error).message}`);
    process.stderr.write(`${runtime} failed: ${(error as Error).message}\n`);
  }
}

let python: PythonOutput | undefined;
if (!flag("no-python") && (only === undefined || "lock".startsWith(only) || "queue".startsWith(only) || only.startsWith("lock") || only.startsWith("queue"))) {
  const out = join(scratch, "python.json");
  try {
    await run("python3", "python3", [join(benchDir, "python", "asyncio_bench.py"), out, String(Math.min(rounds, 3))], process.env);
    python = JSON.parse(readFileSync(out, "utf8")) as PythonOutput;
  } catch (error) {
    process.stderr.write(`asyncio reference skipped: ${(error as Error).message}\n`);
  }
}

const cpus = os.cpus();
const report = [
  "# syncio benchmark results",
  "",
  `Written by \`pnpm bench\` on ${new Date().toISOString()}. Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}.`,
  "",
  "Every time is **CPU time per operation** of the benchmark process (user + system, from `process.cpuUsage()`, GC made single-threaded so the collector's work counts once), the median over interleaved rounds of each round's median batch; `wall` is the same in wall-clock time, inflated by whatever else the machine runs. `spread` is (slowest round − fastest round) / median, shown as ±half of it. Every batch's result (sections run, sum of items, waiters served in order, aborts seen) is checked; a wrong one fails the run. Peers ran with the same batch size unless a count is shown in parentheses.",
  "",
  "## Headline",
  "",
  headline(outputs),
  "",
  ...(failures.length > 0 ? ["## Failed runtimes", "", ...failures.map((f) => `- ${f}`), ""] : []),
  "## Per runtime",
  "",
  ...outputs.map((output) => runtimeSection(output, output.runtime === "node" ? python : undefined)),
  ...(python === undefined ? [] : [`asyncio reference: Python ${python.version}, ${python.results[0]?.ops ?? 0} operations per batch where smaller than the JS case, ${python.seconds.toFixed(0)} s (wall time, single-threaded).`, ""]),
];
const markdown = `${report.join("\n")}\n`;
writeFileSync(join(benchDir, "RESULTS.md"), markdown);

// The root README opts in to the headline with <!-- bench:start --> … <!-- bench:end --> markers.
const readme = join(benchDir, "..", "README.md");
if (only === undefined && outputs.length > 0 && existsSync(readme)) {
  const text = readFileSync(readme, "utf8");
  const pattern = /(<!-- bench:start -->)[\s\S]*?(<!-- bench:end -->)/;
  if (pattern.test(text)) writeFileSync(readme, text.replace(pattern, `$1\n${headline(outputs)}\n$2`));
}

process.stdout.write(markdown);

// @syncio/workers across threads (bench/src/workers): its own table, bench/WORKERS.md.
const workers = only === undefined || only.startsWith("workers") ? await (await import("./workers/run.js")).benchWorkers({ benchDir, runtimes, rounds, timeoutMs: TIMEOUT_MS }) : undefined;
if (workers !== undefined) process.stdout.write(`\n${workers.markdown}`);

const missed = [...outputs.flatMap((output) => checkTargets(output).filter((c) => !c.met).map((c) => `${output.runtime}: ${c.target} (${c.measured})`)), ...(workers?.missed ?? [])];
process.stdout.write(`\n${missed.length === 0 ? "All targets met." : `Targets missed:\n${missed.map((m) => `  ${m}`).join("\n")}`}\n`);
process.exitCode = failures.length > 0 ? 1 : 0;
