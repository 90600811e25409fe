import pLimit, { type LimitFunction } from "p-limit";
import { startClock } from "../harness.js";
import type { Library } from "./library.js";

/** p-limit runs a function under the limit: `pLimit(1)` is its lock, the function the critical section. */
async function contended(limit: LimitFunction, tasks: number, perTask: number) {
  let count = 0;
  const section = () => {
    count++;
  };
  async function task(): Promise<void> {
    for (let i = 0; i < perTask; i++) await limit(section);
  }
  const clock = startClock();
  const running: Promise<void>[] = [];
  for (let t = 0; t < tasks; t++) running.push(task());
  await Promise.all(running);
  return clock.stop(count);
}

export const pLimitLibrary: Library = {
  name: "p-limit",
  async lockUncontended(ops) {
    const limit = pLimit(1);
    let count = 0;
    const section = () => {
      count++;
    };
    const clock = startClock();
    for (let i = 0; i < ops; i++) await limit(section);
    return clock.stop(count);
  },
  lockContended: (tasks, perTask) => contended(pLimit(1), tasks, perTask),
  semaphore: (permits, tasks, perTask) => contended(pLimit(permits), tasks, perTask),
};
