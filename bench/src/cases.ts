/**
 * The core cases (issue 7): each library that has the primitive gets an entry. Sizes are per
 * batch in a full run; `scale` (below 1 with `--quick`) shrinks every count.
 */
import { collectGarbage, median, startClock, type Entry, type Sample } from "./harness.js";
import type { Library } from "./libraries/library.js";
import type { CaseInfo, HeapResult } from "./sets.js";
import type { Syncio } from "./syncio.js";

export const CASES: readonly CaseInfo[] = [
  { id: "lock.uncontended", title: "Lock uncontended (1 task)", unit: "acquire+release", floor: "handle" },
  { id: "lock.contended.2", title: "Lock contended, 2 tasks", unit: "handoff", floor: "wake" },
  { id: "lock.contended.16", title: "Lock contended, 16 tasks", unit: "handoff", floor: "wake" },
  { id: "lock.contended.1000", title: "Lock contended, 1000 tasks", unit: "handoff", floor: "wake" },
  { id: "semaphore.4x64", title: "Semaphore(4), 64 tasks", unit: "handoff", floor: "wake" },
  { id: "queue.handoff", title: "Queue(10) 1P/1C, consumer waiting, 1M items", unit: "item", floor: "wake" },
  { id: "queue.bounded", title: "Queue(10) 1P/1C, taking turns, 1M items", unit: "item", floor: "pass" },
  { id: "queue.unbounded", title: "Queue() 1P/1C, taking turns, 1M items", unit: "item", floor: "pass" },
  { id: "queue.burst", title: "Queue burst: 100k putNowait, then gets", unit: "item", floor: "hop" },
  { id: "event.set", title: "Event.set() waking 10k waiters", unit: "waiter", floor: "set" },
  { id: "scaling.drain.1k", title: "Lock: release through 1k waiters", unit: "waiter", floor: "relay" },
  { id: "scaling.drain.100k", title: "Lock: release through 100k waiters", unit: "waiter", floor: "relay" },
  { id: "scaling.abort.1k", title: "Lock: abort middle 500 of 1k waiters", unit: "abort", floor: "abort" },
  { id: "scaling.abort.100k", title: "Lock: abort middle 50k of 100k waiters", unit: "abort", floor: "abort" },
];

const ITEMS = 1_000_000;
const BURST = 100_000;

const sumTo = (n: number) => (n * (n - 1)) / 2;

/** `count` scaled, at least `least`. */
export function scaled(count: number, scale: number, least = 1): number {
  return Math.max(least, Math.round(count * scale));
}

/** Every library's entries for the Lock, Semaphore and Queue cases. */
export function libraryEntries(libraries: readonly Library[], scale = 1): Entry[] {
  const entries: Entry[] = [];
  const add = (caseId: string, library: Library, ops: number, expected: number, batch: (() => Promise<Sample>) | undefined) => {
    if (batch !== undefined) entries.push({ caseId, library: library.name, ops, expected, batch });
  };
  const uncontended = scaled(20_000, scale, 10);
  const semaphoreRounds = scaled(300, scale);
  for (const lib of libraries) {
    add("lock.uncontended", lib, uncontended, uncontended, lib.lockUncontended && (() => lib.lockUncontended!(uncontended)));
    for (const [tasks, perTask] of [[2, 10_000], [16, 1_250], [1000, 20]] as const) {
      const rounds = scaled(perTask, scale);
      add(`lock.contended.${tasks}`, lib, tasks * rounds, tasks * rounds, lib.lockContended && (() => lib.lockContended!(tasks, rounds)));
    }
    add("semaphore.4x64", lib, 64 * semaphoreRounds, 64 * semaphoreRounds, lib.semaphore && (() => lib.semaphore!(4, 64, semaphoreRounds)));
    const items = scaled(Math.min(ITEMS, lib.maxItems ?? ITEMS), scale, 10);
    const burst = scaled(Math.min(BURST, lib.maxItems ?? BURST), scale, 10);
    add("queue.handoff", lib, items, sumTo(items), lib.queue && (() => lib.queue!(10, items, true)));
    add("queue.bounded", lib, items, sumTo(items), lib.queue && (() => lib.queue!(10, items, false)));
    add("queue.unbounded", lib, items, sumTo(items), lib.queue && (() => lib.queue!(0, items, false)));
    add("queue.burst", lib, burst, sumTo(burst), lib.burst && (() => lib.burst!(burst)));
  }
  // @esfx/async-queue has no bound.
  return entries.filter((entry) => !((entry.caseId === "queue.bounded" || entry.caseId === "queue.handoff") && entry.library === "@esfx/async-*"));
}

/** syncio's Event and waiter-scaling rows (no peer has these primitives in the same shape). */
export function syncioOnlyEntries({ Lock, Event }: Syncio, scale = 1): Entry[] {
  async function eventSet(waiters: number): Promise<Sample> {
    const event = new Event();
    let woken = 0;
    const onWoken = () => {
      woken++;
    };
    for (let i = 0; i < waiters; i++) void event.wait().then(onWoken);
    collectGarbage(); // the setup's garbage is not the case's
    const clock = startClock();
    event.set();
    await null; // after every waiter's reaction, queued by set()
    return clock.stop(woken);
  }

  /** `waiters` callers queued on a held lock; releasing passes the lock down the line. Value: served in FIFO order. */
  async function drain(waiters: number): Promise<Sample> {
    const lock = new Lock();
    await lock.acquire();
    let served = 0;
    let inOrder = 0;
    let allServed!: () => void;
    const finished = new Promise<void>((resolve) => (allServed = resolve));
    for (let i = 0; i < waiters; i++) {
      void lock.acquire().then(() => {
        if (served++ === i) inOrder++;
        lock.release();
        if (served === waiters) allServed();
      });
    }
    collectGarbage();
    const clock = startClock();
    lock.release();
    await finished;
    return clock.stop(lock.locked() ? -1 : inOrder);
  }

  /**
   * `waiters` callers queued on a held lock, the middle half with a signal each; aborting those
   * is timed. Then the rest are drained (untimed): value is aborts seen, or −1 if the rest were
   * not all served in order afterwards.
   */
  async function abortMiddle(waiters: number): Promise<Sample> {
    const lock = new Lock();
    await lock.acquire();
    const first = waiters / 4;
    const aborted = waiters / 2;
    const controllers: AbortController[] = [];
    const reason = new Error("aborted by the benchmark");
    let rejected = 0;
    let served = 0;
    let inOrder = 0;
    let expectedNext = 0;
    let allServed!: () => void;
    const finished = new Promise<void>((resolve) => (allServed = resolve));
    const onRejected = (error: unknown) => {
      if (error === reason) rejected++;
    };
    for (let i = 0; i < waiters; i++) {
      const middle = i >= first && i < first + aborted;
      let signal: AbortSignal | undefined;
      if (middle) {
        const controller = new AbortController();
        controllers.push(controller);
        signal = controller.signal;
      }
      const acquired = lock.acquire(signal && { signal });
      if (middle) void acquired.then(() => lock.release(), onRejected);
      else {
        void acquired.then(() => {
          if (i === expectedNext) inOrder++;
          expectedNext = i + 1 === first ? first + aborted : i + 1;
          served++;
          lock.release();
          if (served === waiters - aborted) allServed();
        });
      }
    }
    collectGarbage();
    const clock = startClock();
    for (let i = 0; i < aborted; i++) controllers[i]!.abort(reason);
    await null; // after every rejection's handler
    const sample = clock.stop(rejected);
    lock.release();
    await finished;
    const clean = inOrder === waiters - aborted && !lock.locked();
    return { ...sample, value: clean ? sample.value : -1 };
  }

  const waiters = scaled(10_000, scale, 10);
  const drainSmall = scaled(1_000, scale, 10);
  const drainLarge = scaled(100_000, scale, 10);
  // The abort cases abort the middle half: a multiple of 4 waiters.
  const abortSmall = scaled(1_000, scale, 8) & ~3;
  const abortLarge = scaled(100_000, scale, 8) & ~3;
  return [
    { caseId: "event.set", library: "syncio", ops: waiters, expected: waiters, batch: () => eventSet(waiters) },
    { caseId: "scaling.drain.1k", library: "syncio", ops: drainSmall, expected: drainSmall, batch: () => drain(drainSmall) },
    { caseId: "scaling.drain.100k", library: "syncio", ops: drainLarge, expected: drainLarge, batch: () => drain(drainLarge) },
    { caseId: "scaling.abort.1k", library: "syncio", ops: abortSmall / 2, expected: abortSmall / 2, batch: () => abortMiddle(abortSmall) },
    { caseId: "scaling.abort.100k", library: "syncio", ops: abortLarge / 2, expected: abortLarge / 2, batch: () => abortMiddle(abortLarge) },
  ];
}

/** Used heap in bytes, after a full collection. */
function heapUsed(): number {
  collectGarbage();
  const deno = (globalThis as { Deno?: { memoryUsage(): { heapUsed: number } } }).Deno;
  return deno !== undefined ? deno.memoryUsage().heapUsed : process.memoryUsage().heapUsed;
}

/**
 * Heap per queued waiter without a signal: `waiters` calls blocked on a held lock, the caller's
 * promise kept (in an array allocated before the baseline), measured after full collections.
 */
export async function heapPerWaiter(
  library: string,
  makeLock: () => { acquire(): Promise<unknown>; release(): void },
  waiters = 100_000,
  repetitions = 3,
): Promise<HeapResult> {
  const samples: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const lock = makeLock();
    await lock.acquire();
    const promises: Array<Promise<unknown> | undefined> = new Array(waiters).fill(undefined);
    const before = heapUsed();
    for (let i = 0; i < waiters; i++) promises[i] = lock.acquire();
    const after = heapUsed();
    samples.push((after - before) / waiters);
    // Let them all through, so the measurement leaves nothing behind and the lock works.
    let served = 0;
    for (let i = 0; i <= waiters; i++) {
      lock.release();
      if (i < waiters) {
        await promises[i];
        served++;
      }
    }
    if (served !== waiters) throw new Error(`${library}: heap run served ${served} of ${waiters}`);
  }
  return { library, bytesPerWaiter: median(samples), samples };
}
