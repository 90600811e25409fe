/**
 * One runtime's run: the floors, every case for syncio and each peer, interleaved rounds, and
 * heap per waiter. Usage: `<runtime> dist/suite.js <out.json> [rounds] [only-case-prefix] [only-library]`.
 * Writes the JSON to `out.json`; progress goes to stderr.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { heapPerWaiter, libraryEntries, syncioOnlyEntries, type HeapResult } from "./cases.js";
import { floorEntries } from "./floors.js";
import { runRounds, type EntryResult } from "./harness.js";
import { asyncMutex } from "./libraries/async-mutex.js";
import { asyncSema } from "./libraries/async-sema.js";
import { effect } from "./libraries/effect.js";
import { esfx } from "./libraries/esfx.js";
import { pLimitLibrary } from "./libraries/p-limit.js";
import { pQueueLibrary } from "./libraries/p-queue.js";
import { syncioLibrary } from "./libraries/syncio.js";
import { AsyncMutex } from "@esfx/async-mutex";
import { Mutex } from "async-mutex";
import { loadSyncio, runtimeName, runtimeVersion } from "./syncio.js";

export interface SuiteOutput {
  runtime: string;
  version: string;
  syncio: string;
  rounds: number;
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
  results: EntryResult[];
  heap: HeapResult[];
}

const args = (globalThis.process?.argv ?? []).slice(2);
const [outPath, roundsArg, only, onlyLibrary] = args;
if (outPath === undefined) throw new Error("usage: suite.js <out.json> [rounds] [only-case-prefix]");
const rounds = Number(roundsArg ?? 5);

const started = performance.now();
const loadBefore = os.loadavg();
const { syncio, source } = await loadSyncio();
const runtime = runtimeName();
console.error(`[${runtime}] syncio from ${source}`);

const libraries = [syncioLibrary(syncio), asyncMutex, asyncSema, pLimitLibrary, pQueueLibrary, esfx, effect];
let entries = [...floorEntries(), ...libraryEntries(libraries), ...syncioOnlyEntries(syncio)];
if (only !== undefined) entries = entries.filter((entry) => entry.caseId.startsWith("floor.") || entry.caseId.startsWith(only));
if (onlyLibrary !== undefined) entries = entries.filter((entry) => entry.library === "floor" || entry.library === onlyLibrary);

const results = await runRounds(entries, {
  rounds,
  timePerRound: 40,
  warmupTime: 150,
  onProgress(round, entry, nsPerOp) {
    console.error(`[${runtime}] round ${round + 1}/${rounds} ${entry.caseId} ${entry.library}: ${nsPerOp.toFixed(1)} ns/op`);
  },
});

const heap: HeapResult[] = [];
if (only === undefined || "heap".startsWith(only)) {
  heap.push(await heapPerWaiter("syncio", () => new syncio.Lock()));
  heap.push(await heapPerWaiter("async-mutex", () => new Mutex()));
  heap.push(
    await heapPerWaiter("@esfx/async-*", () => {
      const mutex = new AsyncMutex();
      return { acquire: () => mutex.lock(), release: () => mutex.unlock() };
    }),
  );
}

const output: SuiteOutput = {
  runtime,
  version: runtimeVersion(),
  syncio: source,
  rounds,
  loadBefore,
  loadAfter: os.loadavg(),
  seconds: (performance.now() - started) / 1000,
  results,
  heap,
};
writeFileSync(outPath, JSON.stringify(output, null, 2));
console.error(`[${runtime}] done in ${output.seconds.toFixed(0)} s`);
