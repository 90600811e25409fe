import { LifoStore, type ItemStore } from "./item-store.js";
import { adopt } from "./options.js";
import { Queue, type FromOptions, type QueueKind } from "./queue.js";
import type { Handle, Region } from "./ticket-ring.js";

/**
 * A {@link Queue} shared by threads that serves the newest item first. asyncio: `asyncio.LifoQueue`.
 *
 * @example
 * ```ts
 * const stack = new LifoQueue<number>(10, { codec: "number" });
 * stack.putNowait(1);
 * stack.putNowait(2);
 * stack.getNowait(); // 2
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  /**
   * Rebuilds in this thread the LifoQueue whose `handle` another thread passed on.
   * @throws TypeError if `handle` is not a LifoQueue's handle, or the codec is missing or differs.
   */
  static override from<T>(handle: Handle, options?: FromOptions<T>): LifoQueue<T> {
    const region = Queue.openQueue(handle, "LifoQueue", options);
    return adopt(region, () => new LifoQueue<T>(0, { codec: options?.codec }));
  }

  protected override get kind(): QueueKind {
    return "LifoQueue";
  }

  protected override createStore(region: Region): ItemStore<T> {
    return new LifoStore<T>(region);
  }
}
