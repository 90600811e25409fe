/**
 * @syncio/workers across real threads, in one runtime (node, deno or bun all run node:worker_threads):
 * the floor (a bare Atomics.waitAsync ping-pong between two threads), contended hand-off between 2
 * and among 4 threads, uncontended acquire+release, Queue(64) 1P/1C between two threads, beside the
 * `multithreading` package's Mutex where it can run. Each thread logs who got each acquisition in
 * shared memory, so the longest run of one thread shows barging. Wall-clock time (threads run in
 * parallel); the median of interleaved rounds.
 *
 * Usage: `<runtime> dist/workers/suite.js <out.json> <rounds> [syncio|multithreading]`. The same
 * file is each worker thread.
 */
import { writeFileSync } from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { Lock, Queue } from "@syncio/workers";

/**
 * Which side this process measures: "syncio" (with the floor) or "multithreading". They run in
 * separate processes: multithreading replaces `Atomics.waitAsync` with a polling version on Deno
 * when it loads, which would change the floor and syncio's figures too.
 */
const side = isMainThread ? ((globalThis.process?.argv ?? [])[4] ?? "syncio") : (workerData as { side: string }).side;
let Mutex: (new (data: unknown, buffer: SharedArrayBuffer) => { lock(): Promise<{ dispose(): void }> }) | undefined;
if (side === "multithreading") {
  // multithreading reads `navigator.hardwareConcurrency` when it loads, which Node 20 lacks.
  (globalThis as { navigator?: object }).navigator ??= { hardwareConcurrency: 2 };
  ({ Mutex } = (await import("multithreading")) as unknown as { Mutex: typeof Mutex });
}

/** One row: what was measured, per operation, and the longest run of one thread (contended cases). */
export interface WorkersResult {
  caseId: string;
  library: string;
  /** Nanoseconds per operation (per acquisition, per one-way wake, per item), median over rounds. */
  nsPerOp: number;
  rounds: number[];
  longestRun?: number;
  /** Callers served after someone who asked later (summed over rounds). */
  overtakes?: number;
}

export interface WorkersOutput {
  runtime: string;
  version: string;
  results: WorkersResult[];
}

const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
const HANDOFFS = 4_000;
const ITEMS = 100_000;
const UNCONTENDED = 300_000;

type Job =
  | { kind: "ping"; buffer: SharedArrayBuffer; count: number }
  | { kind: "acquire"; library: "syncio" | "multithreading"; lock: unknown; log: SharedArrayBuffer; id: number; count: number; start: SharedArrayBuffer; holdMs: number }
  | { kind: "consume"; queue: unknown; count: number; ready: SharedArrayBuffer };

/** Starts `job` in a new thread; resolves with what it posts back once done. */
function inThread(job: Job): { done: Promise<unknown>; worker: Worker } {
  const worker = new Worker(new URL(import.meta.url), { workerData: { ...job, side } });
  const done = new Promise<unknown>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return { done, worker };
}

/** A lock of the library, made here and rebuilt in another thread from what `share` returns. */
interface Contender {
  share: unknown;
  acquire(): Promise<{ release(): void }>;
}

function contender(library: "syncio" | "multithreading", shared?: unknown): Contender {
  if (library === "syncio") {
    const lock = shared === undefined ? new Lock() : Lock.from(shared as never);
    return { share: lock.handle, acquire: () => lock.acquire() };
  }
  const buffer = (shared as SharedArrayBuffer | undefined) ?? new SharedArrayBuffer(4);
  const mutex = new Mutex!(undefined, buffer);
  return {
    share: buffer,
    acquire: async () => {
      const guard = await mutex.lock();
      return { release: () => guard.dispose() };
    },
  };
}

const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;

/**
 * Waits until `done(word[index])`. A bare waitAsync keeps no runtime's event loop going (and Bun
 * then never delivers its wake-up), so this thread holds an interval meanwhile, as syncio does.
 */
async function until(word: Int32Array, index: number, done: (value: number) => boolean): Promise<void> {
  const keepAlive = setInterval(() => {}, 1 << 30);
  for (let seen = Atomics.load(word, index); !done(seen); seen = Atomics.load(word, index)) {
    const waiting = waitAsync(word, index, seen);
    if (waiting.async) await waiting.value;
  }
  clearInterval(keepAlive);
}

/**
 * The loop every contending thread runs: take the lock `count` times, logging in order who got it
 * (log[1 + 2k]) and when it had asked (log[2 + 2k]: a request number drawn as it called acquire).
 */
async function contend(lock: Contender, log: Int32Array, id: number, count: number, arrived: Int32Array, requests: Int32Array, holdMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const request = Atomics.add(requests, 0, 1);
    const acquiring = lock.acquire();
    if (i === 0) {
      // Queued behind the holder (the main thread) before it lets anyone in.
      Atomics.add(arrived, 0, 1);
      Atomics.notify(arrived, 0);
    }
    const held = await acquiring;
    const k = Atomics.add(log, 0, 1);
    log[1 + 2 * k] = id;
    log[2 + 2 * k] = request;
    // A short critical section (~1 µs), long enough for the last holder to ask again: the lock is
    // then always contended, and who gets it next is up to the lock, not to who woke first.
    for (const until = performance.now() + holdMs; performance.now() < until; );
    held.release();
  }
}

/** The longest stretch of consecutive acquisitions by one thread. */
function longestRun(log: Int32Array): number {
  const total = log[0]!;
  let longest = 0;
  let run = 0;
  for (let k = 0; k < total; k++) {
    run = k > 0 && log[1 + 2 * k] === log[1 + 2 * (k - 1)] ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * Callers served out of turn: acquisitions by a caller who had asked before someone already served
 * (with FIFO, only a caller paused by the scheduler between drawing its number and calling acquire).
 */
function overtakes(log: Int32Array): number {
  const total = log[0]!;
  let count = 0;
  let highest = -Infinity;
  for (let k = 0; k < total; k++) {
    const request = log[2 + 2 * k]!;
    if (request < highest) count++;
    highest = Math.max(highest, request);
  }
  return count;
}

/**
 * Contended hand-off among `threads` threads: the main thread holds the lock until every contender
 * waits for it, then lets go and only watches. With FIFO hand-off each acquisition is one wake of
 * another thread; a mutex that lets a releaser re-take it shows long runs of one thread instead.
 */
async function handoff(library: "syncio" | "multithreading", threads: number, holdMs = 0.001, total = HANDOFFS): Promise<{ ns: number; run: number; overtakes: number }> {
  const lock = contender(library);
  const per = total / threads;
  const log = new Int32Array(new SharedArrayBuffer(4 * (2 * HANDOFFS + 2)));
  const arrived = new Int32Array(new SharedArrayBuffer(8));
  const held = await lock.acquire();
  const others = Array.from({ length: threads }, (_, i) => inThread({ kind: "acquire", library, lock: lock.share, log: log.buffer as SharedArrayBuffer, id: i + 1, count: per, start: arrived.buffer as SharedArrayBuffer, holdMs }));
  await until(arrived, 0, (count) => count >= threads);
  // Give the last arrival's acquire time to be waiting, not just called.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const began = performance.now();
  held.release();
  await Promise.all(others.map((other) => other.done));
  const elapsed = performance.now() - began;
  await Promise.all(others.map((other) => other.worker.terminate()));
  if (log[0] !== total) throw new Error(`${library}: ${log[0]} acquisitions logged, expected ${total}`);
  return { ns: (elapsed * 1e6) / total, run: longestRun(log), overtakes: overtakes(log) };
}

/** The floor: two threads passing a turn back and forth with nothing but waitAsync/notify; ns per one-way wake. */
async function pingPong(): Promise<number> {
  const buffer = new SharedArrayBuffer(8);
  const word = new Int32Array(buffer);
  const count = HANDOFFS / 2;
  const other = inThread({ kind: "ping", buffer, count });
  await until(word, 1, (ready) => ready === 1);
  // One interval for the whole exchange keeps the event loop turning (Bun delivers no wake-up without).
  const keepAlive = setInterval(() => {}, 1 << 30);
  const began = performance.now();
  for (let i = 0; i < count; i++) {
    Atomics.store(word, 0, 2 * i + 1);
    Atomics.notify(word, 0);
    for (let seen = Atomics.load(word, 0); seen !== 2 * i + 2; seen = Atomics.load(word, 0)) {
      const waiting = waitAsync(word, 0, seen);
      if (waiting.async) await waiting.value;
    }
  }
  const elapsed = performance.now() - began;
  clearInterval(keepAlive);
  await other.done;
  await other.worker.terminate();
  return (elapsed * 1e6) / (2 * count);
}

async function pong(buffer: SharedArrayBuffer, count: number): Promise<void> {
  const word = new Int32Array(buffer);
  const keepAlive = setInterval(() => {}, 1 << 30);
  Atomics.store(word, 1, 1);
  Atomics.notify(word, 1);
  for (let i = 0; i < count; i++) {
    for (let seen = Atomics.load(word, 0); seen !== 2 * i + 1; seen = Atomics.load(word, 0)) {
      const waiting = waitAsync(word, 0, seen);
      if (waiting.async) await waiting.value;
    }
    Atomics.store(word, 0, 2 * i + 2);
    Atomics.notify(word, 0);
  }
  clearInterval(keepAlive);
}

/** Uncontended: one thread, acquire and release, ns per pair. */
async function uncontended(library: "syncio" | "syncio tryAcquire" | "multithreading"): Promise<number> {
  const lock = contender(library === "multithreading" ? "multithreading" : "syncio");
  const direct = new Lock();
  for (let warm = 0; warm < 2; warm++) {
    const began = performance.now();
    if (library === "syncio tryAcquire") for (let i = 0; i < UNCONTENDED; i++) direct.tryAcquire()!.release();
    else if (library === "syncio") for (let i = 0; i < UNCONTENDED; i++) (await direct.acquire()).release();
    else for (let i = 0; i < UNCONTENDED; i++) (await lock.acquire()).release();
    const elapsed = performance.now() - began;
    if (warm === 1) return (elapsed * 1e6) / UNCONTENDED;
  }
  return NaN;
}

/** Queue(64) with the "number" codec: this thread puts, another gets; ns per item. */
async function queue1p1c(): Promise<number> {
  const queue = new Queue<number>(64, { codec: "number" });
  const ready = new Int32Array(new SharedArrayBuffer(4));
  const consumer = inThread({ kind: "consume", queue: queue.handle, count: ITEMS, ready: ready.buffer as SharedArrayBuffer });
  await until(ready, 0, (value) => value === 1);
  const began = performance.now();
  for (let i = 0; i < ITEMS; i++) await queue.put(i);
  const sum = (await consumer.done) as number;
  const elapsed = performance.now() - began;
  await consumer.worker.terminate();
  if (sum !== (ITEMS * (ITEMS - 1)) / 2) throw new Error(`Queue(64) 1P/1C: the consumer's sum is ${sum}, expected ${(ITEMS * (ITEMS - 1)) / 2}`);
  return (elapsed * 1e6) / ITEMS;
}

async function worker(job: Job): Promise<unknown> {
  switch (job.kind) {
    case "ping":
      return pong(job.buffer, job.count);
    case "acquire":
      return contend(contender(job.library, job.lock), new Int32Array(job.log), job.id, job.count, new Int32Array(job.start, 0, 1), new Int32Array(job.start, 4, 1), job.holdMs);
    case "consume": {
      const queue = Queue.from<number>(job.queue as never);
      const ready = new Int32Array(job.ready);
      Atomics.store(ready, 0, 1);
      Atomics.notify(ready, 0);
      let sum = 0;
      for (let i = 0; i < job.count; i++) sum += await queue.get();
      return sum;
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const [outPath, roundsArg] = (globalThis.process?.argv ?? []).slice(2);
  if (outPath === undefined) throw new Error("usage: workers/suite.js <out.json> [rounds]");
  const rounds = Number(roundsArg ?? 5);
  const cases: Array<{ caseId: string; library: string; run(): Promise<number | { ns: number; run: number; overtakes: number }> }> = [
    { caseId: "floor: waitAsync ping-pong, one-way wake", library: "floor", run: pingPong },
    { caseId: "Lock contended hand-off, 2 threads", library: "syncio", run: () => handoff("syncio", 2) },
    { caseId: "Lock contended hand-off, 2 threads", library: "multithreading", run: () => handoff("multithreading", 2) },
    { caseId: "Lock contended hand-off, 4 threads", library: "syncio", run: () => handoff("syncio", 4) },
    { caseId: "Lock contended hand-off, 4 threads", library: "multithreading", run: () => handoff("multithreading", 4) },
    { caseId: "Lock fairness, 2 threads holding it 100 µs each time", library: "syncio", run: () => handoff("syncio", 2, 0.1, 400) },
    { caseId: "Lock fairness, 2 threads holding it 100 µs each time", library: "multithreading", run: () => handoff("multithreading", 2, 0.1, 400) },
    { caseId: "Lock uncontended acquire+release", library: "syncio", run: () => uncontended("syncio") },
    { caseId: "Lock uncontended tryAcquire+release", library: "syncio", run: () => uncontended("syncio tryAcquire") },
    { caseId: "Lock uncontended acquire+release", library: "multithreading", run: () => uncontended("multithreading") },
    { caseId: "Queue(64) 1P/1C, per item", library: "syncio", run: queue1p1c },
  ].filter((entry) => (side === "multithreading" ? entry.library === "multithreading" : entry.library !== "multithreading"));
  const measured = cases.map(() => ({ ns: [] as number[], runs: [] as number[], overtakes: 0 }));
  for (let round = 0; round < rounds; round++) {
    // Interleaved: every case once per round, so load that comes and goes hits all alike.
    for (const [index, entry] of cases.entries()) {
      const outcome = await entry.run();
      const ns = typeof outcome === "number" ? outcome : outcome.ns;
      measured[index]!.ns.push(ns);
      if (typeof outcome !== "number") {
        measured[index]!.runs.push(outcome.run);
        measured[index]!.overtakes += outcome.overtakes;
      }
      console.error(`[${runtime} workers] round ${round + 1}/${rounds} ${entry.caseId} ${entry.library}: ${ns.toFixed(0)} ns/op`);
    }
  }
  const results: WorkersResult[] = cases.map((entry, index) => ({
    caseId: entry.caseId,
    library: entry.library,
    nsPerOp: median(measured[index]!.ns),
    rounds: measured[index]!.ns,
    ...(measured[index]!.runs.length > 0 ? { longestRun: Math.max(...measured[index]!.runs), overtakes: measured[index]!.overtakes } : {}),
  }));
  const version = (globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } }).Deno?.version.deno ?? (globalThis as { Bun?: { version: string } }).Bun?.version ?? process.versions.node;
  const output: WorkersOutput = { runtime, version, results };
  writeFileSync(outPath, JSON.stringify(output, null, 2));
}

// No top-level await in a worker thread: Bun does not deliver a waitAsync wake-up to a worker
// whose module evaluation is still pending.
if (isMainThread) await main();
else void worker(workerData as Job).then((result) => parentPort!.postMessage(result));
