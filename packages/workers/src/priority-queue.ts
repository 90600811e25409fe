import { defaultCompare, type Compare } from "@syncio/core";
import { typeError } from "@syncio/core/internal";
import { HeapStore, type ItemStore } from "./item-store.js";
import { adopt } from "./options.js";
import { Queue, type FromOptions, type QueueKind, type QueueOptions } from "./queue.js";
import type { Handle, Region } from "./ticket-ring.js";

/** Options of `PriorityQueue.from()`: the codec (if custom) and the same `compare` as the creator's. */
export interface PriorityFromOptions<T> extends FromOptions<T> {
  compare?: Compare<T> | undefined;
}

/**
 * A {@link Queue} shared by threads that serves the smallest item first by `compare` (default:
 * numbers and strings ascending, arrays like Python tuples); equal items come out in insertion
 * order. Every thread orders with its own `compare`: pass the same one to `from()`.
 * asyncio: `asyncio.PriorityQueue`.
 *
 * @example
 * ```ts
 * const jobs = new PriorityQueue<[number, string]>(100);
 * jobs.putNowait([2, "later"]);
 * jobs.putNowait([1, "first"]);
 * jobs.getNowait(); // [1, "first"]
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /** Set right after construction; only read when items are compared. */
  #compare!: Compare<T>;

  /**
   * @param maxsize the most items it holds; `≤ 0` (default) for no bound (but `options.capacity`).
   * @param compare the order (default {@link defaultCompare}); it runs while the queue's shared state is held, so keep it quick.
   * @param options see {@link QueueOptions}.
   * @throws TypeError if `compare` is not a function; see {@link Queue} for the rest.
   */
  constructor(maxsize = 0, compare: Compare<T> = defaultCompare, options?: QueueOptions<T>) {
    if (typeof compare !== "function") throw typeError("PriorityQueue()", "compare", "a function", compare);
    super(maxsize, options);
    this.#compare = compare;
  }

  /**
   * Rebuilds in this thread the PriorityQueue whose `handle` another thread passed on.
   * @param options `compare` (the creator's, default {@link defaultCompare}) and `codec` if custom.
   * @throws TypeError if `handle` is not a PriorityQueue's handle, or the codec is missing or differs.
   */
  static override from<T>(handle: Handle, options?: PriorityFromOptions<T>): PriorityQueue<T> {
    const region = Queue.openQueue(handle, "PriorityQueue", options, ["compare"]);
    return adopt(region, () => new PriorityQueue<T>(0, options?.compare ?? defaultCompare, { codec: options?.codec }));
  }

  protected override get kind(): QueueKind {
    return "PriorityQueue";
  }

  protected override createStore(region: Region): ItemStore<T> {
    return new HeapStore<T>(region, (a, b) => this.#compare(a, b));
  }
}
