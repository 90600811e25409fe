/** Four threads per test file, forgotten between tests and stopped at the end. */
import { afterAll, afterEach, beforeAll } from "vitest";
import { startThreads, type Thread } from "./threads.js";

/** Starts `count` threads for the file; the array fills in before the first test. */
export function useThreads(count = 4): Thread[] {
  const threads: Thread[] = [];
  beforeAll(async () => {
    threads.push(...(await startThreads(count)));
  });
  afterEach(async () => {
    await Promise.all(threads.map((thread) => thread.reset()));
  });
  afterAll(async () => {
    await Promise.all(threads.map((thread) => thread.terminate()));
  });
  return threads;
}
