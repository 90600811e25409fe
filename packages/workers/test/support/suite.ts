/** Four threads per test file, forgotten between tests and stopped at the end. */
import { afterAll, afterEach, beforeAll } from "vitest";
import { startThreads, type Thread } from "./threads.js";

/**
 * Replaces every thread of `threads` by a fresh one (after a failed stress schedule, whose calls may
 * still wait in the old ones), in place.
 */
export async function restartThreads(threads: Thread[]): Promise<void> {
  const fresh = await startThreads(threads.length);
  const old = threads.splice(0, threads.length, ...fresh);
  await Promise.all(old.map((thread) => thread.terminate()));
}

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
