/**
 * One runtime's run: every set's floors and cases in interleaved rounds, then heap per waiter.
 * Usage: `<runtime> dist/suite.js --out <file.json> [--rounds N] [--quick] [--only <case prefix>]
 * [--library <name>,…] [--sets core,…]`. Writes the JSON to the file; on stderr, `@progress {…}`
 * lines for the parent (`main.js`) and a line per entry per round.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { floorEntries } from "./floors.js";
import { runRounds, type Entry, type EntryResult } from "./harness.js";
import { loadSets, type SetContext, type SetOutput } from "./sets.js";
import { PROGRESS_PREFIX, type ProgressMessage, type SuiteOutput } from "./protocol.js";
import { loadSyncio, runtimeName, runtimeVersion } from "./syncio.js";

const argv = (globalThis.process?.argv ?? []).slice(2);
function option(name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? undefined : argv[index + 1];
}
const outPath = option("out");
if (outPath === undefined) throw new Error("usage: suite.js --out <file.json> [--rounds N] [--quick] [--only <case prefix>] [--library <name>,…] [--sets core,…]");
const quick = argv.includes("--quick");
const rounds = quick ? 1 : Number(option("rounds") ?? 5);
const only = option("only");
const onlyLibraries = option("library")?.split(",");
const onlySets = option("sets")?.split(",");
const started = performance.now();
const loadBefore = os.loadavg();
const { syncio, source } = await loadSyncio();
const runtime = runtimeName();
console.error(`[${runtime}] syncio from ${source}`);
const context: SetContext = { syncio, runtime, scale: quick ? 0.02 : 1 };

const sets = (await loadSets()).filter((set) => (onlySets === undefined || onlySets.includes(set.id)) && (set.runtimes === undefined || set.runtimes.includes(runtime)));
const setOf = new Map<Entry, string>();
const floors: Entry[] = [];
const cases: Entry[] = [];
for (const set of sets) {
  for (const entry of floorEntries(set.floors, quick)) {
    floors.push(entry);
    setOf.set(entry, set.id);
  }
  for (const entry of await set.entries(context)) {
    if (only !== undefined && !entry.caseId.startsWith(only)) continue;
    if (onlyLibraries !== undefined && !onlyLibraries.includes(entry.library)) continue;
    cases.push(entry);
    setOf.set(entry, set.id);
  }
}

/**
 * A full run interleaves floors and cases in the same rounds, so load that comes and goes hits
 * them alike. A quick run measures the floors in 2 short rounds, at batches no smaller than its
 * cases' (a tenth of a full run's, or `quickOps`), then each case once, with tiny counts, after
 * one warm-up batch: a case's fixed costs can then only raise it above its floor, and the floor
 * rule still catches a floor that is far off.
 */
interface Phase {
  entries: Entry[];
  options: { rounds: number; warmupTime: number; timePerRound: number; minBatches: number };
}
const phases: Phase[] = quick
  ? [
      { entries: floors, options: { rounds: 2, warmupTime: 50, timePerRound: 20, minBatches: 3 } },
      { entries: cases, options: { rounds: 1, warmupTime: 0, timePerRound: 0, minBatches: 1 } },
    ]
  : [{ entries: [...floors, ...cases], options: { rounds, warmupTime: 150, timePerRound: 40, minBatches: 1 } }];

const wantsHeap = only === undefined || "heap".startsWith(only);
const heapSets = wantsHeap ? sets.filter((set) => set.heap !== undefined) : [];

// Progress: steps (an entry's warm-up, one of its rounds, a heap measurement) and their nominal
// budgets in ms, from which the parent estimates the time left. A step of no budget counts 5 ms.
const HEAP_BUDGET_MS = quick ? 200 : 4000;
const stepBudget = (ms: number) => Math.max(ms, 5);
const phaseBudget = (phase: Phase) => phase.entries.length * (stepBudget(phase.options.warmupTime) + phase.options.rounds * stepBudget(phase.options.timePerRound));
const total = phases.reduce((n, phase) => n + phase.entries.length * (phase.options.rounds + 1), 0) + heapSets.length;
const budgetTotal = phases.reduce((n, phase) => n + phaseBudget(phase), 0) + heapSets.length * HEAP_BUDGET_MS;
function progress(message: Pick<ProgressMessage, "phase" | "round" | "rounds" | "caseId" | "library" | "index" | "budgetDone">): void {
  const full: ProgressMessage = { runtime, total, budgetTotal, elapsed: (performance.now() - started) / 1000, ...message };
  console.error(`${PROGRESS_PREFIX}${JSON.stringify(full)}`);
}

const results: Array<[Entry, EntryResult]> = [];
let stepsBefore = 0;
let budgetBefore = 0;
for (const phase of phases) {
  const { warmupTime, timePerRound } = phase.options;
  const n = phase.entries.length;
  const measured = await runRounds(phase.entries, {
    ...phase.options,
    onStart({ round, entry, index }) {
      // Steps run every warm-up first, then round by round.
      const budgetDone = index < n ? index * stepBudget(warmupTime) : n * stepBudget(warmupTime) + (index - n) * stepBudget(timePerRound);
      progress({
        phase: round === -1 ? "warmup" : "round",
        round: round + 1,
        rounds: phase.options.rounds,
        caseId: entry.caseId,
        library: entry.library,
        index: stepsBefore + index,
        budgetDone: budgetBefore + budgetDone,
      });
    },
    onProgress(round, entry, nsPerOp) {
      console.error(`[${runtime}] round ${round + 1}/${phase.options.rounds} ${entry.caseId} ${entry.library}: ${nsPerOp.toFixed(1)} ns/op`);
    },
  });
  results.push(...measured.map((result, i): [Entry, EntryResult] => [phase.entries[i]!, result]));
  stepsBefore += n * (phase.options.rounds + 1);
  budgetBefore += phaseBudget(phase);
}

const outputs: SetOutput[] = sets.map((set) => ({
  id: set.id,
  results: results.filter(([entry]) => setOf.get(entry) === set.id).map(([, result]) => result),
  heap: [],
}));
for (const [i, set] of heapSets.entries()) {
  progress({ phase: "heap", round: 0, rounds: 0, caseId: "heap", library: set.id, index: stepsBefore + i, budgetDone: budgetBefore + i * HEAP_BUDGET_MS });
  outputs.find((output) => output.id === set.id)!.heap = await set.heap!(context);
}

const output: SuiteOutput = {
  runtime,
  version: runtimeVersion(),
  syncio: source,
  rounds,
  quick,
  loadBefore,
  loadAfter: os.loadavg(),
  seconds: (performance.now() - started) / 1000,
  sets: outputs,
};
writeFileSync(outPath, JSON.stringify(output, null, 2));
console.error(`[${runtime}] done in ${output.seconds.toFixed(0)} s`);
