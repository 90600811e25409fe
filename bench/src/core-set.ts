/** The core primitives' set: syncio against its peers on the floors of `floors.ts`. */
import { CASES, heapPerWaiter, libraryEntries, scaled, syncioOnlyEntries } from "./cases.js";
import { CORE_FLOORS } from "./floors.js";
import type { CaseSet, HeapResult } from "./sets.js";
import { coreTargets } from "./targets.js";

export const coreSet: CaseSet = {
  id: "core",
  title: "Primitives (@syncio/core)",
  floors: CORE_FLOORS,
  cases: CASES,
  peers: ["async-mutex", "async-sema", "p-limit", "p-queue", "@esfx/async-*", "effect"],
  headline: ["lock.uncontended", "lock.contended.16", "semaphore.4x64", "queue.handoff", "queue.bounded", "queue.unbounded", "scaling.abort.100k"],
  async entries({ syncio, scale }) {
    const [{ asyncMutex }, { asyncSema }, { effect }, { esfx }, { pLimitLibrary }, { pQueueLibrary }, { syncioLibrary }] = await Promise.all([
      import("./libraries/async-mutex.js"),
      import("./libraries/async-sema.js"),
      import("./libraries/effect.js"),
      import("./libraries/esfx.js"),
      import("./libraries/p-limit.js"),
      import("./libraries/p-queue.js"),
      import("./libraries/syncio.js"),
    ]);
    const libraries = [syncioLibrary(syncio), asyncMutex, asyncSema, pLimitLibrary, pQueueLibrary, esfx, effect];
    return [...libraryEntries(libraries, scale), ...syncioOnlyEntries(syncio, scale)];
  },
  async heap({ syncio, scale }) {
    const [{ Mutex }, { AsyncMutex }] = await Promise.all([import("async-mutex"), import("@esfx/async-mutex")]);
    const waiters = scaled(100_000, scale, 100);
    const repetitions = scale < 1 ? 1 : 3;
    const heap: HeapResult[] = [];
    heap.push(await heapPerWaiter("syncio", () => new syncio.Lock(), waiters, repetitions));
    heap.push(await heapPerWaiter("async-mutex", () => new Mutex(), waiters, repetitions));
    heap.push(
      await heapPerWaiter(
        "@esfx/async-*",
        () => {
          const mutex = new AsyncMutex();
          return { acquire: () => mutex.lock(), release: () => mutex.unlock() };
        },
        waiters,
        repetitions,
      ),
    );
    return heap;
  },
  targets: coreTargets,
};
