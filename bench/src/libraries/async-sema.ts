import { Sema } from "async-sema";
import { startClock } from "../harness.js";
import type { Library } from "./library.js";

async function contended(sema: Sema, tasks: number, perTask: number) {
  let count = 0;
  async function task(): Promise<void> {
    for (let i = 0; i < perTask; i++) {
      await sema.acquire();
      count++;
      sema.release();
    }
  }
  const clock = startClock();
  const running: Promise<void>[] = [];
  for (let t = 0; t < tasks; t++) running.push(task());
  await Promise.all(running);
  return clock.stop(count);
}

/** async-sema has no mutex: a `Sema(1)` is its lock. */
export const asyncSema: Library = {
  name: "async-sema",
  async lockUncontended(ops) {
    const sema = new Sema(1);
    let count = 0;
    const clock = startClock();
    for (let i = 0; i < ops; i++) {
      await sema.acquire();
      count++;
      sema.release();
    }
    return clock.stop(count);
  },
  lockContended: (tasks, perTask) => contended(new Sema(1), tasks, perTask),
  semaphore: (permits, tasks, perTask) => contended(new Sema(permits), tasks, perTask),
};
