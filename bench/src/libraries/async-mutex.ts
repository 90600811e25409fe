import { Mutex, Semaphore, type MutexInterface, type SemaphoreInterface } from "async-mutex";
import { startClock } from "../harness.js";
import type { Library } from "./library.js";

async function contended(lock: MutexInterface | SemaphoreInterface, tasks: number, perTask: number) {
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

export const asyncMutex: Library = {
  name: "async-mutex",
  async lockUncontended(ops) {
    const mutex = new Mutex();
    let count = 0;
    const clock = startClock();
    for (let i = 0; i < ops; i++) {
      await mutex.acquire();
      count++;
      mutex.release();
    }
    return clock.stop(count);
  },
  lockContended: (tasks, perTask) => contended(new Mutex(), tasks, perTask),
  semaphore: (permits, tasks, perTask) => contended(new Semaphore(permits), tasks, perTask),
};
