/**
 * The thin layer over tinybench: every entry (a floor, or one library in one case) is a tinybench
 * task whose call runs one checked batch and reports the time per operation; rounds run every
 * task once, in a rotated order, so load that comes and goes hits every entry alike; the result
 * of an entry is the median over rounds of each round's median, with the spread of those rounds.
 */
import process from "node:process";
import { Bench, type Task } from "tinybench";

/** What one batch measured: the timed part only, and the value to check. */
export interface Sample {
  /** Wall-clock milliseconds. */
  ms: number;
  /** Milliseconds of CPU the process used (user + system): what the case cost, less the time other processes held the cores. */
  cpuMs: number;
  value: number;
}

/** Starts timing a batch's measured part; `stop(value)` ends it. */
export function startClock(): { stop(value: number): Sample } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  return {
    stop(value) {
      const ms = performance.now() - wall;
      const used = process.cpuUsage(cpu);
      return { ms, cpuMs: (used.user + used.system) / 1000, value };
    },
  };
}

/** One row of the table for one library. */
export interface Entry {
  /** The case, e.g. `lock.contended.16`, or a floor: `floor.hop`. */
  caseId: string;
  /** `syncio`, a peer's package name, or `floor`. */
  library: string;
  /** Operations one batch performs (handoffs, items, waiters…): the divisor. */
  ops: number;
  /** What the batch's value must equal, or the batch is broken and the run fails. */
  expected: number;
  /** Runs one batch; times only its measured part with {@link startClock}. */
  batch(): Promise<Sample>;
  /** A floor form measured for comparison only, never kept as the floor (e.g. issue 7's wake). */
  reference?: boolean;
  /** Overrides {@link RoundOptions.minBatches} for an entry whose batches are long. */
  minBatches?: number;
}

export interface EntryResult {
  caseId: string;
  library: string;
  ops: number;
  /** Median over rounds of each round's median, in CPU nanoseconds per operation. */
  nsPerOp: number;
  /** The same in wall-clock nanoseconds (inflated by whatever else the machine runs). */
  wallNsPerOp: number;
  /** (slowest round − fastest round) / median, as a fraction. */
  spread: number;
  /** Each round's median, ns per op, in round order. */
  rounds: number[];
  /** Batches run in the measured rounds. */
  batches: number;
  /** Copied from the entry. */
  reference?: boolean;
}

/** Full collection where the runtime lets us; a no-op elsewhere. */
export function collectGarbage(): void {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) bun.gc(true);
  else (globalThis as { gc?: () => void }).gc?.();
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface RoundOptions {
  rounds: number;
  /** Time budget per entry per round, ms (an entry always runs at least one batch). */
  timePerRound: number;
  /** Warm-up budget per entry, ms (before the first round; lets the JIT optimize the batch). */
  warmupTime: number;
  /**
   * Batches an entry runs at least, in its warm-up and in each round, whatever the budgets
   * (default 1): a round's median then has several batches to choose from.
   */
  minBatches?: number;
  /** Called before each entry's warm-up (round −1) and each of its rounds. */
  onStart?: (step: Step) => void;
  /** Called after each entry of each round. */
  onProgress?: (round: number, entry: Entry, nsPerOp: number) => void;
}

/** Where a run is: `round` −1 is the warm-up; `index` counts steps (an entry's warm-up or one of its rounds) from 0. */
export interface Step {
  round: number;
  entry: Entry;
  index: number;
}

class BrokenCase extends Error {
  override name = "BrokenCase";
}

/** Runs `entries` in interleaved rounds; throws if any batch returns a wrong value. */
export async function runRounds(entries: readonly Entry[], options: RoundOptions): Promise<EntryResult[]> {
  // One tinybench Bench per distinct minimum of batches (its options are per Bench).
  const benches = new Map<number, Bench>();
  const benchFor = (minBatches: number) => {
    let bench = benches.get(minBatches);
    if (bench === undefined) {
      bench = new Bench({ time: options.timePerRound, iterations: minBatches, warmupTime: options.warmupTime, warmupIterations: minBatches, throws: true });
      benches.set(minBatches, bench);
    }
    return bench;
  };
  const tasks = new Map<Entry, Task>();
  // tinybench keeps the CPU time per op; the wall time per op of the current round's batches is kept here.
  const wallSamples = new Map<Entry, number[]>(entries.map((entry) => [entry, []]));
  const wallPerRound = new Map<Entry, number[]>(entries.map((entry) => [entry, []]));
  for (const entry of entries) {
    const name = `${entry.caseId} ${entry.library}`;
    const bench = benchFor(entry.minBatches ?? options.minBatches ?? 1);
    bench.add(name, async () => {
      const started = performance.now();
      const sample = await entry.batch();
      if (sample.value !== entry.expected) throw new BrokenCase(`${name}: batch returned ${sample.value}, expected ${entry.expected}`);
      wallSamples.get(entry)!.push(sample.ms / entry.ops);
      // The budget counts the timed part, so an entry runs batches until it has timed enough of
      // them (after a collection, the first batch can be several times slower than the next);
      // but at least a tenth of the whole batch, so one whose set-up and collections dwarf its
      // timed part cannot run a round for ever.
      const wholeMs = performance.now() - started;
      return { overriddenDuration: sample.cpuMs / entry.ops, overriddenIterationCost: Math.max(sample.ms, wholeMs / 10) };
    });
    tasks.set(entry, bench.tasks.at(-1)!);
  }
  let index = 0;
  for (const [entry, task] of tasks) {
    options.onStart?.({ round: -1, entry, index: index++ });
    collectGarbage();
    await task.warmup();
  }
  const perRound = new Map<Entry, number[]>(entries.map((entry) => [entry, []]));
  const batches = new Map<Entry, number>(entries.map((entry) => [entry, 0]));
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order so no entry always runs first (cold) or last (after the heaviest).
    const offset = Math.floor((round * entries.length) / options.rounds);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[(i + offset) % entries.length]!;
      const task = tasks.get(entry)!;
      options.onStart?.({ round, entry, index: index++ });
      collectGarbage();
      // A forced full collection deoptimizes code that embedded objects it freed (V8: "weak
      // objects"): the first batch after it can run several times slower while the JIT catches
      // up. One untimed batch lets it; its value is still checked.
      const settle = await entry.batch();
      if (settle.value !== entry.expected) throw new BrokenCase(`${task.name}: batch returned ${settle.value}, expected ${entry.expected}`);
      task.reset();
      wallSamples.set(entry, []);
      await task.run();
      wallPerRound.get(entry)!.push(median(wallSamples.get(entry)!) * 1e6);
      const result = task.result;
      if (result.state === "errored") throw result.error;
      if (result.state !== "completed") throw new Error(`${task.name}: tinybench ended in state ${result.state}`);
      const nsPerOp = result.latency.p50 * 1e6;
      perRound.get(entry)!.push(nsPerOp);
      batches.set(entry, batches.get(entry)! + task.runs);
      options.onProgress?.(round, entry, nsPerOp);
    }
  }
  return entries.map((entry) => {
    const rounds = perRound.get(entry)!;
    const middle = median(rounds);
    return {
      caseId: entry.caseId,
      library: entry.library,
      ops: entry.ops,
      nsPerOp: middle,
      wallNsPerOp: median(wallPerRound.get(entry)!),
      spread: (Math.max(...rounds) - Math.min(...rounds)) / middle,
      rounds,
      batches: batches.get(entry)!,
      ...(entry.reference === true ? { reference: true } : {}),
    };
  });
}
