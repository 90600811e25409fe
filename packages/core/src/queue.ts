import { inspectSymbol } from "./acquired.js";
import { checkInteger, QueueEmpty, QueueFull, QueueShutDown, typeError } from "./errors.js";
import { FifoStore, type ItemStore } from "./item-store.js";
import { iterateItems, iterateTasks } from "./queue-iteration.js";
import { checkWaitOptions, RESOLVED, timedOut, WaiterQueue, type WaitOptions } from "./waiter-queue.js";

/** A snapshot of a {@link Queue}. */
export interface QueueStatistics {
  /** Items in the queue. */
  readonly size: number;
  readonly maxsize: number;
  /** Callers blocked in `get()`. */
  readonly getters: number;
  /** Callers blocked in `put()`. */
  readonly putters: number;
  /** `getters + putters` (`join()` callers are not counted). */
  readonly waiters: number;
  /** Items put and not yet marked done with `taskDone()`. */
  readonly unfinishedTasks: number;
  readonly shutdown: boolean;
}

/**
 * A FIFO queue, optionally bounded, strictly fair: getters get items and putters get free
 * slots in arrival order, handed over directly, so no newcomer (`getNowait`/`putNowait`
 * included) can take what a waiter was promised (asyncio's queue can: gh-83055).
 * asyncio: `asyncio.Queue`.
 *
 * @example
 * ```ts
 * const queue = new Queue<string>(10);
 * await queue.put("news");
 * for await (const item of queue) { console.log(item); queue.taskDone(); } // ends after shutdown()
 * ```
 */
export class Queue<T> implements AsyncIterable<T> {
  readonly #maxsize: number;
  /** The items; while anyone waits in get() it is empty, while anyone waits in put() it is full. */
  readonly #store: ItemStore<T>;
  readonly #getters = new WaiterQueue<T>();
  /** Blocked putters; each carries its item as payload. */
  readonly #putters = new WaiterQueue<void>();
  readonly #joiners = new WaiterQueue<void>();
  #unfinishedTasks = 0;
  #shutdown = false;

  /**
   * @param maxsize the most items it holds; `≤ 0` (default) for no bound.
   * @throws TypeError if `maxsize` is not a number; RangeError if it is not an integer.
   */
  constructor(maxsize = 0) {
    this.#maxsize = checkInteger(`${this.kind}()`, "maxsize", maxsize, -Infinity);
    this.#store = this.createStore();
  }

  /** The bound given at construction (`≤ 0`: none). asyncio: `queue.maxsize`. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Items in the queue. asyncio: `queue.qsize()`. */
  qsize(): number {
    return this.#store.size;
  }

  /** Whether the queue has no items. asyncio: `queue.empty()`. */
  empty(): boolean {
    return this.#store.size === 0;
  }

  /** Whether the queue holds `maxsize` items. asyncio: `queue.full()`. */
  full(): boolean {
    return this.#maxsize > 0 && this.#store.size >= this.#maxsize;
  }

  /**
   * Puts `item` without waiting (to the first blocked getter, if any). asyncio: `queue.put_nowait(item)`.
   * @throws QueueFull if full; QueueShutDown after `shutdown()`.
   */
  putNowait(item: T): void {
    if (this.#shutdown) throw new QueueShutDown(`${this.kind}.putNowait() called after shutdown()`);
    if (this.full()) throw new QueueFull(`${this.kind}.putNowait() called on a full queue (maxsize ${this.#maxsize})`);
    this.#accept(item);
  }

  /**
   * Puts `item`, waiting for a free slot if full. asyncio: `await queue.put(item)`.
   * Rejects with `QueueShutDown` after `shutdown()`, also while blocked.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  put(item: T, options?: WaitOptions): Promise<void> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, `${this.kind}.put()`);
      if (aborted !== undefined) return aborted;
    }
    if (this.#shutdown) return Promise.reject(new QueueShutDown(`${this.kind}.put() called after shutdown()`));
    if (!this.full()) {
      this.#accept(item);
      return RESOLVED;
    }
    if (options?.timeout === 0) return timedOut(`${this.kind}.put()`, 0);
    return this.#putters.wait(options, `${this.kind}.put()`, item);
  }

  /**
   * Takes the next item without waiting. asyncio: `queue.get_nowait()`.
   * @throws QueueEmpty if empty; QueueShutDown if empty after `shutdown()`.
   */
  getNowait(): T {
    if (this.#store.size > 0) return this.#take();
    if (this.#shutdown) throw new QueueShutDown(`${this.kind}.getNowait() called on a queue shut down and empty`);
    throw new QueueEmpty(`${this.kind}.getNowait() called on an empty queue`);
  }

  /**
   * Takes the next item, waiting for one if empty. asyncio: `await queue.get()`.
   * Rejects with `QueueShutDown` once the queue is shut down and empty.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  get(options?: WaitOptions): Promise<T> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, `${this.kind}.get()`);
      if (aborted !== undefined) return aborted;
    }
    if (this.#store.size > 0) return Promise.resolve(this.#take());
    if (this.#shutdown) return Promise.reject(new QueueShutDown(`${this.kind}.get() called on a queue shut down and empty`));
    if (options?.timeout === 0) return timedOut(`${this.kind}.get()`, 0);
    return this.#getters.wait(options, `${this.kind}.get()`);
  }

  /**
   * Marks one item taken earlier as processed. asyncio: `queue.task_done()`.
   * @throws Error if called more times than items were put.
   */
  taskDone(): void {
    if (this.#unfinishedTasks === 0) throw new Error(`${this.kind}.taskDone() called more times than there were items`);
    if (--this.#unfinishedTasks === 0) this.#joiners.resolveAll(undefined);
  }

  /**
   * Resolves once every item put has been marked done (at once if none is pending).
   * asyncio: `await queue.join()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  join(options?: WaitOptions): Promise<void> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, `${this.kind}.join()`);
      if (aborted !== undefined) return aborted;
    }
    if (this.#unfinishedTasks === 0) return RESOLVED;
    if (options?.timeout === 0) return timedOut(`${this.kind}.join()`, 0);
    return this.#joiners.wait(options, `${this.kind}.join()`);
  }

  /**
   * Shuts the queue down (asyncio 3.13): every put, blocked or new, fails with `QueueShutDown`;
   * gets return what is left, then fail. With `immediate`, what is left is dropped and counted
   * as done for `join()`, and every getter fails at once. asyncio: `queue.shutdown(immediate)`.
   * @returns the items dropped (with `immediate`), in the order they would have been served; else `[]`.
   * @throws TypeError if `immediate` is not a boolean.
   */
  shutdown(immediate = false): T[] {
    if (typeof immediate !== "boolean") throw typeError(`${this.kind}.shutdown()`, "immediate", "a boolean", immediate);
    this.#shutdown = true;
    let dropped: T[] = [];
    if (immediate && this.#store.size > 0) {
      dropped = this.#store.toArray();
      this.#store.clear();
      this.#unfinishedTasks = Math.max(0, this.#unfinishedTasks - dropped.length);
      if (this.#unfinishedTasks === 0) this.#joiners.resolveAll(undefined);
    }
    // Getters only wait on an empty queue, so none of them will ever get an item now.
    this.#getters.rejectAll(() => new QueueShutDown(`${this.kind}.get() interrupted by shutdown()`));
    this.#putters.rejectAll(() => new QueueShutDown(`${this.kind}.put() interrupted by shutdown()`));
    return dropped;
  }

  /**
   * Yields items as `get()` returns them; ends when the queue is shut down and drained. Does not
   * call `taskDone()` (see {@link Queue.tasks}). The same as `queue.items()`.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return iterateItems(this, undefined);
  }

  /**
   * An async iterable of the items as `get()` returns them, ending when the queue is shut down
   * and drained; aborting `signal` makes the loop throw `signal.reason`.
   * asyncio: `while True: item = await queue.get()`.
   * @throws TypeError if `options` is not `{ signal? }`.
   *
   * @example
   * ```ts
   * for await (const item of queue.items({ signal })) handle(item);
   * ```
   */
  items(options?: { signal?: AbortSignal | undefined }): AsyncIterableIterator<T> {
    checkWaitOptions(options, `${this.kind}.items()`, false)?.catch(() => {});
    return iterateItems(this, options?.signal);
  }

  /**
   * As {@link Queue.items}, and calls `taskDone()` for each item once the loop body for it
   * ends, however it ends (next item, `break`, `return`, `throw`), so `join()` sees every item
   * the loop took as done. asyncio: `item = await queue.get(); try: … finally: queue.task_done()`.
   * @throws TypeError if `options` is not `{ signal? }`.
   *
   * @example
   * ```ts
   * for await (const job of queue.tasks({ signal })) await handle(job); // marked done after each body
   * ```
   */
  tasks(options?: { signal?: AbortSignal | undefined }): AsyncIterableIterator<T> {
    checkWaitOptions(options, `${this.kind}.tasks()`, false)?.catch(() => {});
    return iterateTasks(this, options?.signal);
  }

  /** A frozen snapshot: `{ size, maxsize, getters, putters, waiters, unfinishedTasks, shutdown }`. */
  statistics(): QueueStatistics {
    const getters = this.#getters.size;
    const putters = this.#putters.size;
    return Object.freeze({
      size: this.#store.size,
      maxsize: this.#maxsize,
      getters,
      putters,
      waiters: getters + putters,
      unfinishedTasks: this.#unfinishedTasks,
      shutdown: this.#shutdown,
    });
  }

  /** asyncio's form: `<Queue maxsize=10 _queue=[1, 2] _getters[1] tasks=2>`. */
  toString(): string {
    let text = `<${this.kind} maxsize=${this.#maxsize}`;
    if (this.#store.size > 0) text += ` _queue=[${this.#store.toArray().map(formatItem).join(", ")}]`;
    if (this.#getters.size > 0) text += ` _getters[${this.#getters.size}]`;
    if (this.#putters.size > 0) text += ` _putters[${this.#putters.size}]`;
    if (this.#unfinishedTasks > 0) text += ` tasks=${this.#unfinishedTasks}`;
    if (this.#shutdown) text += " shutdown";
    return `${text}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** The class name in messages and string forms (explicit, so minifiers cannot change it). */
  protected get kind(): string {
    return "Queue";
  }

  /** The storage hook the variants override; called once, by the constructor. */
  protected createStore(): ItemStore<T> {
    return new FifoStore<T>();
  }

  /** An item enters: straight to the first blocked getter, else into the store. */
  #accept(item: T): void {
    // A getter only waits on an empty queue, so handing over keeps the order.
    const getter = this.#getters.shift();
    if (getter !== null) getter.resolve(item);
    else this.#store.add(item);
    this.#unfinishedTasks++;
  }

  /** Takes the next item; the slot it frees goes to the first blocked putter at once. */
  #take(): T {
    const item = this.#store.take();
    for (let putter = this.#putters.shift(); putter !== null; putter = this.#putters.shift()) {
      try {
        this.#store.add(putter.payload as T);
      } catch (error) {
        // Only a PriorityQueue's compare can throw here: that putter learns of it, and the slot
        // stays a waiter's (the next putter's), never a newcomer's.
        putter.reject(error);
        continue;
      }
      this.#unfinishedTasks++;
      putter.resolve(undefined);
      break;
    }
    return item;
  }
}

function formatItem(item: unknown): string {
  if (typeof item === "string") return `'${item}'`;
  try {
    return String(item);
  } catch {
    // An object String() cannot convert (null prototype, throwing toString): a string form must not throw.
    return Object.prototype.toString.call(item);
  }
}
