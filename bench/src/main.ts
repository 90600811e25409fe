/**
 * `pnpm bench`: runs the suite once per runtime (node, deno, bun — each one process, killed if it
 * outlives its budget) and the asyncio reference, checks the floor rule, then writes RESULTS.md,
 * one SVG chart per runtime and the README's headline, and prints the results.
 *
 * Options (append to `pnpm bench`): `--rounds N` (default 5), `--runtimes node,deno,bun`,
 * `--only <case prefix>`, `--library <name>`, `--sets core,…`, `--no-python`, `--verbose` (every
 * round's line), `--timeout <s>` (per runtime), `--json <file>` (keep the raw results),
 * `--quick` (every case once with tiny counts: checks results and the floor rule, writes nothing
 * into the repository; for CI), `--from <results.json>` (no run: the report and charts again from
 * the raw results a run saved).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderChart } from "./chart.js";
import { floorsSection, floorSummary, headline, runtimeSection, viewsOf, type PythonOutput } from "./report.js";
import { floorViolations } from "./results.js";
import { loadSets } from "./sets.js";
import { PROGRESS_PREFIX, type ProgressMessage, type SuiteOutput } from "./protocol.js";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const suite = join(benchDir, "dist", "suite.js");

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const quick = flag("quick");
const rounds = quick ? 1 : Number(option("rounds") ?? 5);
const runtimes = (option("runtimes") ?? "node,deno,bun").split(",");
const only = option("only");
const onlyLibrary = option("library");
const onlySets = option("sets");
const verbose = flag("verbose");
/** Per process; a runtime that hangs (Bun spins on a never-settling await) is killed. */
const TIMEOUT_MS = Number(option("timeout") ?? (quick ? 300 : 1200)) * 1000;
/** A run of fewer cases, libraries, sets or runtimes than the full one writes into a scratch directory only. */
const partial = only !== undefined || onlyLibrary !== undefined || onlySets !== undefined || option("runtimes") !== undefined;

/** A binary of the workspace's devDependencies (deno, bun), found from here up. */
function workspaceBinary(name: string): string {
  for (let dir = benchDir; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", ".bin", name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return name;
  }
}

function commandFor(runtime: string, out: string): [string, string[], NodeJS.ProcessEnv] {
  const args = ["--out", out, "--rounds", String(rounds)];
  if (quick) args.push("--quick");
  if (only !== undefined) args.push("--only", only);
  if (onlyLibrary !== undefined) args.push("--library", onlyLibrary);
  if (onlySets !== undefined) args.push("--sets", onlySets);
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

// ---- progress -------------------------------------------------------------------------------

/** Seconds of run time per nominal second of budget, before a runtime has shown its own (GC, over-long batches). */
const PRIOR_RATE = 4;
const PYTHON_SECONDS = quick ? 2 : 15;
const runStarted = performance.now();
const finishedRates: number[] = [];
const tty = process.stderr.isTTY === true;
let statusShown = false;
let lastPrinted = { key: "", at: 0 };

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
}

/** Writes a line above the status line (which a TTY keeps at the bottom). */
function say(line: string): void {
  if (tty && statusShown) process.stderr.write("\r\x1b[K");
  process.stderr.write(`${line}\n`);
  statusShown = false;
}

function showProgress(message: ProgressMessage, runtimeIndex: number): void {
  const done = message.budgetDone / 1000;
  const total = message.budgetTotal / 1000;
  // The runtime's own pace once it has done a tenth of its budget; before, the last runtime's.
  const prior = finishedRates.at(-1) ?? PRIOR_RATE;
  const rate = done > total / 10 ? message.elapsed / done : prior;
  const later = runtimes.length - runtimeIndex - 1;
  const left = (total - done) * rate + later * total * rate + (flag("no-python") ? 0 : PYTHON_SECONDS);
  const where =
    message.phase === "warmup" ? "warm-up" : message.phase === "heap" ? "heap per waiter" : `round ${message.round}/${message.rounds}`;
  const what = message.phase === "heap" ? message.library : `${message.caseId} · ${message.library}`;
  const percent = Math.floor((100 * message.index) / message.total);
  const line = `${message.runtime} (${runtimeIndex + 1}/${runtimes.length}) · ${where} · ${what} · ${percent}% of ${message.runtime} · ${duration((performance.now() - runStarted) / 1000)} so far, about ${duration(left)} left`;
  if (tty) {
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
    statusShown = true;
    return;
  }
  // Without a terminal: a line per phase, and one at most every 15 s.
  const key = `${message.runtime} ${where}`;
  const now = performance.now();
  if (key !== lastPrinted.key || now - lastPrinted.at > 15_000) {
    process.stderr.write(`${line}\n`);
    lastPrinted = { key, at: now };
  }
}

/** Kills the running child's process group (it does not get the terminal's Ctrl-C: it has a group of its own). */
let running: (() => void) | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    running?.();
    process.exit(130);
  });
}

function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv, runtimeIndex: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own process group: deno and bun start through wrapper scripts, and a kill must reach the runtime itself.
    const child = spawn(command, args, { cwd: benchDir, env, stdio: ["ignore", "inherit", "pipe"], detached: true });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    running = killGroup;
    const killer = setTimeout(() => {
      killGroup();
      reject(new Error(`${label}: killed after ${TIMEOUT_MS / 1000} s`));
    }, TIMEOUT_MS);
    let buffered = "";
    let last: ProgressMessage | undefined;
    child.stderr.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf("\n")) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith(PROGRESS_PREFIX)) {
          last = JSON.parse(line.slice(PROGRESS_PREFIX.length)) as ProgressMessage;
          showProgress(last, runtimeIndex);
        } else if (verbose || !line.includes(" round ")) say(line);
      }
    });
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      running = undefined;
      if (buffered) say(buffered);
      if (last !== undefined && last.budgetTotal > 0) finishedRates.push(last.elapsed / (last.budgetTotal / 1000));
      if (code === 0) resolve();
      else reject(new Error(`${label} exited with ${signal ?? code}`));
    });
  });
}

// ---- the run --------------------------------------------------------------------------------

const sets = await loadSets();
const scratch = mkdtempSync(join(os.tmpdir(), "syncio-bench-"));
const outputs: SuiteOutput[] = [];
const failures: string[] = [];
/** `--from <results.json>`: no run, the report and charts again from a run's raw results. */
const from = option("from");
const saved = from === undefined ? undefined : (JSON.parse(readFileSync(from, "utf8")) as { date?: string; outputs: SuiteOutput[]; python?: PythonOutput });
const runDate = saved?.date ?? new Date().toISOString();
if (saved !== undefined) outputs.push(...saved.outputs);
for (const [index, runtime] of (saved === undefined ? runtimes : []).entries()) {
  const out = join(scratch, `${runtime}.json`);
  const [command, args, env] = commandFor(runtime, out);
  try {
    await run(runtime, command, args, env, index);
    outputs.push(JSON.parse(readFileSync(out, "utf8")) as SuiteOutput);
  } catch (error) {
    failures.push(`${runtime}: ${(error as Error).message}`);
    say(`${runtime} failed: ${(error as Error).message}`);
  }
}

let python: PythonOutput | undefined = saved?.python;
const pythonCases = only === undefined || ["lock", "queue"].some((prefix) => prefix.startsWith(only) || only.startsWith(prefix));
if (saved === undefined && !flag("no-python") && pythonCases && onlyLibrary === undefined && (onlySets === undefined || onlySets.split(",").includes("core"))) {
  const out = join(scratch, "python.json");
  try {
    say("asyncio reference (python3)…");
    await run("python3", "python3", [join(benchDir, "python", "asyncio_bench.py"), out, String(Math.min(rounds, 3)), ...(quick ? ["--quick"] : [])], process.env, runtimes.length);
    python = JSON.parse(readFileSync(out, "utf8")) as PythonOutput;
  } catch (error) {
    say(`asyncio reference skipped: ${(error as Error).message}`);
  }
}
if (tty && statusShown) process.stderr.write("\r\x1b[K");

const rawPath = option("json") ?? from ?? join(scratch, "results.json");
if (saved === undefined) writeFileSync(rawPath, JSON.stringify({ date: runDate, outputs, python }, null, 2));

// The floor rule: no ratio under 1 is ever printed. A case below its floor means the floor is wrong.
const views = outputs.flatMap((output) => viewsOf(output, sets));
/** The quick check's single tiny round is noise: there a case must stay above half its floor. */
const QUICK_TOLERANCE = 0.5;
const violations = views.flatMap((view) => floorViolations(view, quick ? QUICK_TOLERANCE : 1));
if (violations.length > 0) {
  process.stderr.write(
    [
      "",
      "FAILED: the floor rule. Each floor must be the cheapest code that does its kind of work, so no case may measure below it:",
      ...violations.map((v) => `  ${v}`),
      "",
      "Floor forms measured:",
      ...views.flatMap(floorSummary).map((line) => `  ${line}`),
      "",
      `Nothing was written into the repository; the raw results are in ${rawPath}.`,
      "",
    ].join("\n"),
  );
  process.exit(1);
}

const cpus = os.cpus();
const report = [
  "# syncio benchmark results",
  "",
  `Written by \`pnpm bench\` on ${runDate}. Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}.`,
  "",
  "Every time is **CPU time per operation** of the benchmark process (user + system, from `process.cpuUsage()`, GC made single-threaded so the collector's work counts once), the median over interleaved rounds of each round's median batch; `wall` is the same in wall-clock time, inflated by whatever else the machine runs. `spread` is (slowest round − fastest round) / median, shown as ±half of it. Every batch's result (sections run, sum of items, waiters served in order, aborts seen) is checked; a wrong one fails the run. Peers ran with the same batch size unless a count is shown in parentheses.",
  "",
  "Each case is divided by the **floor** of its own kind of work: the cheapest hand-written code that does the same work, measured in the same process, in the same rounds. Each floor is written in several minimal forms, and each run keeps, per runtime, the least any form was seen to cost: the fastest round of the cheapest form (load only ever adds time, so that is the floor's best estimate; cases keep their median, which makes their ratios, if anything, a little worse). Below: every form and what it cost. If any entry of any library measures below its floor, the floor is wrong and `pnpm bench` fails instead of printing a ratio under 1.",
  "",
  "## Headline",
  "",
  headline(outputs, sets),
  "",
  ...outputs.map((o) => `![${o.runtime}: syncio, its peers and the floors per case](chart-${o.runtime}.svg)\n`),
  ...(failures.length > 0 ? ["## Failed runtimes", "", ...failures.map((f) => `- ${f}`), ""] : []),
  "## Floors",
  "",
  floorsSection(outputs, sets),
  "## Per runtime",
  "",
  ...outputs.map((output) => runtimeSection(output, sets, output.runtime === "node" ? python : undefined)),
  ...(python === undefined
    ? []
    : [`asyncio reference: Python ${python.version}, ${python.results[0]?.ops ?? 0} operations per batch where smaller than the JS case, ${python.seconds.toFixed(0)} s (wall time, single-threaded).`, ""]),
];
const markdown = `${report.join("\n")}\n`;

// A quick or partial run is a check, not a measurement: it writes into the scratch directory only.
const writeTo = quick || partial || outputs.some((o) => o.quick) ? scratch : benchDir;
writeFileSync(join(writeTo, "RESULTS.md"), markdown);
for (const output of outputs) {
  const heading = `syncio on ${output.runtime} ${output.version}: CPU time per operation`;
  writeFileSync(join(writeTo, `chart-${output.runtime}.svg`), await renderChart(viewsOf(output, sets), heading));
}

// The root README opts in to the headline with <!-- bench:start --> … <!-- bench:end --> markers.
const readme = join(benchDir, "..", "README.md");
if (writeTo === benchDir && outputs.length > 0 && existsSync(readme)) {
  const text = readFileSync(readme, "utf8");
  const pattern = /(<!-- bench:start -->)[\s\S]*?(<!-- bench:end -->)/;
  const charts = outputs.map((o) => `![${o.runtime}: syncio, its peers and the floors per case](bench/chart-${o.runtime}.svg)`).join("\n\n");
  if (pattern.test(text)) writeFileSync(readme, text.replace(pattern, `$1\n${headline(outputs, sets)}\n\n${charts}\n$2`));
}

if (!quick) process.stdout.write(markdown);
// @syncio/workers across threads (bench/src/workers): its own table, bench/WORKERS.md (full runs only).
const workers =
  !quick && saved === undefined && (only === undefined || only.startsWith("workers")) && onlyLibrary === undefined && (onlySets === undefined || onlySets.split(",").includes("workers"))
    ? await (await import("./workers/run.js")).benchWorkers({ benchDir, runtimes, rounds, timeoutMs: TIMEOUT_MS })
    : undefined;
if (workers !== undefined) process.stdout.write(`\n${workers.markdown}`);
const missed = [
  ...views.flatMap((view) => (view.set.targets?.(view) ?? []).filter((c) => !c.met).map((c) => `${view.runtime}: ${c.target} (${c.measured})`)),
  ...(workers?.missed ?? []),
];
const lines = [
  "",
  ...views.flatMap(floorSummary),
  "",
  failures.length > 0
    ? `FAILED: ${failures.join("; ")}`
    : quick
      ? `Quick check passed: ${views.reduce((n, v) => n + v.output.results.length, 0)} entries on ${outputs.map((o) => o.runtime).join(", ")}, every batch's result right, no entry below half its floor (the full run holds every entry to its whole floor). Report and charts (tiny counts, not a measurement) in ${writeTo}.`
      : missed.length === 0
        ? "All targets met."
        : `Targets missed:\n${missed.map((m) => `  ${m}`).join("\n")}`,
  `Raw results: ${rawPath}. Took ${duration((performance.now() - runStarted) / 1000)}.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
process.exitCode = failures.length > 0 ? 1 : 0;
