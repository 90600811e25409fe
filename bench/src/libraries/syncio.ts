import { startClock } from "../harness.js";
import type { Library } from "./library.js";
import type { Syncio } from "../syncio.js";

export function syncioLibrary(syncio: Syncio): Library {
  const { Lock, Semaphore, Queue } = syncio;
  type Permits = InstanceType<typeof Lock> | InstanceType<typeof Semaphore>;

  async function contended(lock: Permits, tasks: number, perTask: number) {
    let count = 0;
    async function task(): Promise<void> {
      for (let i = 0; i < perTask; i++) {
        await lock.acquire();
        count++;
        lock.release();
      }
    }
    const clock = startClock();
    const running: Promise<void>[] = [];
    for (let t = 0; t < tasks; t++) running.push(task());
    await Promise.all(running);
    return clock.stop(count);
  }

  return {
    name: "syncio",
    async lockUncontended(ops) {
      const lock = new Lock();
      let count = 0;
      const clock = startClock();
      for (let i = 0; i < ops; i++) {
        await lock.acquire();
        count++;
        lock.release();
      }
      return clock.stop(count);
    },
    lockContended: (tasks, perTask) => contended(new Lock(), tasks, perTask),
    semaphore: (permits, tasks, perTask) => contended(new Semaphore(permits), tasks, perTask),
    async queue(maxsize, items, consumerFirst) {
      const queue = new Queue<number>(maxsize);
      async function producer(): Promise<number> {
        for (let i = 0; i < items; i++) await queue.put(i);
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
      const queue = new Queue<number>();
      const clock = startClock();
      for (let i = 0; i < items; i++) queue.putNowait(i);
      let sum = 0;
      for (let i = 0; i < items; i++) sum += await queue.get();
      return clock.stop(sum);
    },
  };
}
