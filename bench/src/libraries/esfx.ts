import { AsyncMutex } from "@esfx/async-mutex";
import { AsyncQueue } from "@esfx/async-queue";
import { AsyncSemaphore } from "@esfx/async-semaphore";
import { startClock } from "../harness.js";
import type { Library } from "./library.js";

/**
 * The @esfx/async-* packages: a mutex, a semaphore and an unbounded queue (`put` never waits).
 * AsyncQueue keeps its backlog in an array it `shift()`s, which V8 copies once the array is
 * large: the time per item grows with the backlog (100k items in a burst take seconds), so its
 * queue rows run 20k items.
 */
export const esfx: Library = {
  name: "@esfx/async-*",
  maxItems: 20_000,
  async lockUncontended(ops) {
    const mutex = new AsyncMutex();
    let count = 0;
    const clock = startClock();
    for (let i = 0; i < ops; i++) {
      await mutex.lock();
      count++;
      mutex.unlock();
    }
    return clock.stop(count);
  },
  async lockContended(tasks, perTask) {
    const mutex = new AsyncMutex();
    let count = 0;
    async function task(): Promise<void> {
      for (let i = 0; i < perTask; i++) {
        await mutex.lock();
        count++;
        mutex.unlock();
      }
    }
    const clock = startClock();
    const running: Promise<void>[] = [];
    for (let t = 0; t < tasks; t++) running.push(task());
    await Promise.all(running);
    return clock.stop(count);
  },
  async semaphore(permits, tasks, perTask) {
    const semaphore = new AsyncSemaphore(permits);
    let count = 0;
    async function task(): Promise<void> {
      for (let i = 0; i < perTask; i++) {
        await semaphore.wait();
        count++;
        semaphore.release();
      }
    }
    const clock = startClock();
    const running: Promise<void>[] = [];
    for (let t = 0; t < tasks; t++) running.push(task());
    await Promise.all(running);
    return clock.stop(count);
  },
  async queue(maxsize, items, consumerFirst) {
    if (maxsize > 0) throw new Error("@esfx/async-queue has no bound");
    const queue = new AsyncQueue<number>();
    const turn = Promise.resolve();
    // put() never waits; the producer yields once per item as an awaited put() would.
    async function producer(): Promise<number> {
      for (let i = 0; i < items; i++) {
        queue.put(i);
        await turn;
      }
      return 0;
    }
    async function consumer(): Promise<number> {
      let sum = 0;
      for (let i = 0; i < items; i++) sum += await queue.get();
      return sum;
    }
    const clock = startClock();
    const sum = consumerFirst ? (await Promise.all([consumer(), producer()]))[0] : (await Promise.all([producer(), consumer()]))[1];
    return clock.stop(sum);
  },
  async burst(items) {
    const queue = new AsyncQueue<number>();
    const clock = startClock();
    for (let i = 0; i < items; i++) queue.put(i);
    let sum = 0;
    for (let i = 0; i < items; i++) sum += await queue.get();
    return clock.stop(sum);
  },
};
