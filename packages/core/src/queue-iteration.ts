/** The async iterables over a queue: `items()` (asyncio: `while True: await queue.get()`) and `tasks()`. */
import { QueueShutDown } from "./errors.js";

/** What iteration needs of a queue. */
interface Gettable<T> {
  get(options?: { signal?: AbortSignal | undefined }): Promise<T>;
  /** A queue in another place (Redis) confirms it: its promise is awaited before the next item. */
  taskDone(): void | Promise<void>;
}

/** `get()` until the queue is shut down and drained; an abort of `signal` rejects the loop with its reason. */
export async function* iterateItems<T>(queue: Gettable<T>, signal: AbortSignal | undefined): AsyncGenerator<T, void, undefined> {
  const options = signal === undefined ? undefined : { signal };
  for (;;) {
    let item: T;
    try {
      item = await queue.get(options);
    } catch (error) {
      if (error instanceof QueueShutDown) return;
      throw error;
    }
    yield item;
  }
}

/** As {@link iterateItems}, and `taskDone()` for each item once the loop body for it ends, however it ends. */
export async function* iterateTasks<T>(queue: Gettable<T>, signal: AbortSignal | undefined): AsyncGenerator<T, void, undefined> {
  for await (const item of iterateItems(queue, signal)) {
    try {
      yield item;
    } finally {
      // Runs when the loop asks for the next item, or leaves by break, return or throw.
      const confirmed = queue.taskDone();
      if (confirmed !== undefined) await confirmed;
    }
  }
}
