import PQueue from "p-queue";
import { startClock } from "../harness.js";
import type { Library } from "./library.js";

/** p-queue is a task queue with a concurrency limit: `concurrency: 1` is its lock. */
async function contended(queue: PQueue, tasks: number, perTask: number) {
  let count = 0;
  const section = () => {
    count++;
  };
  async function task(): Promise<void> {
    for (let i = 0; i < perTask; i++) await queue.add(section);
  }
  const clock = startClock();
  const running: Promise<void>[] = [];
  for (let t = 0; t < tasks; t++) running.push(task());
  await Promise.all(running);
  return clock.stop(count);
}

export const pQueueLibrary: Library = {
  name: "p-queue",
  async lockUncontended(ops) {
    const queue = new PQueue({ concurrency: 1 });
    let count = 0;
    const section = () => {
      count++;
    };
    const clock = startClock();
    for (let i = 0; i < ops; i++) await queue.add(section);
    return clock.stop(count);
  },
  lockContended: (tasks, perTask) => contended(new PQueue({ concurrency: 1 }), tasks, perTask),
  semaphore: (permits, tasks, perTask) => contended(new PQueue({ concurrency: permits }), tasks, perTask),
};
