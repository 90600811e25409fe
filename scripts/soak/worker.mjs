// One soak run on whatever runtime executes this file: 4 producers and 8 consumers move
// ITEMS distinct integers through a bounded Queue of the adapter given as argv[2] (a file path
// to packages/<runtime>/dist/index.js), with random aborts on both sides. Aborted calls are
// retried, so every item must arrive exactly once. Prints one JSON line with the result.
import { pathToFileURL } from "node:url";

const [adapterPath, itemsArg = "1000000"] = (globalThis.Deno?.args ?? process.argv.slice(2));
const { Queue, QueueShutDown, getRuntime } = await import(pathToFileURL(adapterPath).href);

const ITEMS = Number(itemsArg);
const PRODUCERS = 4;
const CONSUMERS = 8;
const MAXSIZE = 64;
/** Share of calls given a signal that aborts soon: before the call, in the same tick, or a few microtasks later. */
const ABORT_RATE = 0.05;
const SAMPLES = 20;

const runtimeName = globalThis.Bun ? "bun" : globalThis.Deno ? "deno" : "node";
const gc = globalThis.gc ?? (globalThis.Bun ? () => globalThis.Bun.gc(true) : undefined);
const heapUsed = () => (globalThis.Deno ? Deno.memoryUsage().heapUsed : process.memoryUsage().heapUsed);

// A small deterministic PRNG (xorshift32) so a failing run can be repeated with its seed.
const seed = Number(globalThis.Deno?.env.get("SOAK_SEED") ?? globalThis.process?.env.SOAK_SEED ?? Date.now() % 2 ** 31) | 0 || 1;
let state = seed;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};

/** Options for one call: usually none; sometimes a signal that aborts at a random point. */
function maybeAbortable() {
  if (random() >= ABORT_RATE) return undefined;
  const controller = new AbortController();
  const when = Math.floor(random() * 4);
  if (when === 0) controller.abort(); // already aborted: must take nothing
  else if (when === 1) queueMicrotask(() => controller.abort()); // likely while queued, or in the tick of the hand-off
  else {
    let hops = when * 2;
    const later = () => (--hops === 0 ? controller.abort() : Promise.resolve().then(later));
    Promise.resolve().then(later);
  }
  return { signal: controller.signal };
}

const queue = new Queue(MAXSIZE);
const seen = new Uint8Array(ITEMS);
let received = 0;
let sum = 0;
let duplicates = 0;
let putAborts = 0;
let getAborts = 0;
const heapSamples = [];
let nextSampleAt = ITEMS / SAMPLES;

async function produce(first) {
  for (let item = first; item < ITEMS; item += PRODUCERS) {
    for (;;) {
      try {
        await queue.put(item, maybeAbortable());
        break;
      } catch (error) {
        if (error?.name !== "AbortError") throw error;
        putAborts++; // not accepted: put it again
      }
    }
  }
}

async function consume() {
  for (;;) {
    let item;
    try {
      item = await queue.get(maybeAbortable());
    } catch (error) {
      if (error instanceof QueueShutDown) return;
      if (error?.name === "AbortError") {
        getAborts++;
        continue;
      }
      throw error;
    }
    if (seen[item]++ !== 0) duplicates++;
    received++;
    sum += item;
    queue.taskDone();
    if (received >= nextSampleAt) {
      nextSampleAt += ITEMS / SAMPLES;
      // Sampled between macrotasks so a forced GC sees only live objects.
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc?.();
      heapSamples.push(heapUsed());
    }
  }
}

const started = performance.now();
const consumers = Array.from({ length: CONSUMERS }, () => consume());
await Promise.all(Array.from({ length: PRODUCERS }, (_, p) => produce(p)));
await queue.join();
queue.shutdown();
await Promise.all(consumers);
const seconds = (performance.now() - started) / 1000;

const missing = seen.reduce((count, times) => count + (times === 0 ? 1 : 0), 0);
const expectedSum = (ITEMS * (ITEMS - 1)) / 2;
// Flat after warm-up: from the first quarter of the run on, the heap may not keep growing.
const afterWarmUp = heapSamples.slice(Math.floor(heapSamples.length / 4));
const heapGrowthMB = afterWarmUp.length > 1 ? (afterWarmUp.at(-1) - afterWarmUp[0]) / 2 ** 20 : NaN;
const heapSpreadMB = afterWarmUp.length > 1 ? (Math.max(...afterWarmUp) - Math.min(...afterWarmUp)) / 2 ** 20 : NaN;
const ok = received === ITEMS && sum === expectedSum && duplicates === 0 && missing === 0 && heapGrowthMB < 2 && queue.statistics().waiters === 0;

console.log(
  JSON.stringify({
    runtime: runtimeName,
    binding: getRuntime().name,
    seed,
    items: ITEMS,
    received,
    sumOk: sum === expectedSum,
    duplicates,
    missing,
    putAborts,
    getAborts,
    seconds: Number(seconds.toFixed(2)),
    itemsPerSecond: Math.round(ITEMS / seconds),
    gc: gc !== undefined,
    heapMB: afterWarmUp.map((bytes) => Number((bytes / 2 ** 20).toFixed(2))),
    heapGrowthMB: Number(heapGrowthMB.toFixed(2)),
    heapSpreadMB: Number(heapSpreadMB.toFixed(2)),
    ok,
  }),
);
if (!ok) (globalThis.Deno ? Deno.exit(1) : process.exit(1));
