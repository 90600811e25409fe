/**
 * Queue's words (PriorityQueue and LifoQueue differ only in their store, see item-store.ts):
 *
 *   FIELD+0  MAXSIZE     as given (≤ 0: no bound but the store's CELLS)
 *   FIELD+1  SIZE        items in the store
 *   FIELD+2  UNFINISHED  items put and not yet marked done
 *   FIELD+3  SHUTDOWN    1 after shutdown()
 *   FIELD+4  HEAD        the FIFO store's first cell      FIELD+5  SEQ   the heap's insertion counter
 *   line 0   getters: a grant puts the item in the getter's cell (VALUE 1), or REJECTED (shut down)
 *   line 1   putters: each carries its item in its cell; a grant means it entered (1) or REJECTED
 *   line 2   join() callers (VALUE 1)
 *
 * While anyone waits in get() the store is empty; while anyone waits in put() it is full: an item
 * goes straight to the first getter, a freed cell straight to the first putter's item.
 */
import { QueueEmpty, QueueFull, QueueShutDown, type QueueStatistics, type WaitOptions } from "@syncio/core";
import { checkInteger, checkWaitOptions, inspectSymbol, iterateItems, iterateTasks, timedOut, typeError } from "@syncio/core/internal";
import { CellCodec, codecIndex, CODECS, defaultCellBytes, type Codec, type CodecOption, type Raw } from "./codec.js";
import { FifoStore, HeapStore, SIZE, storeWords, type ItemStore } from "./item-store.js";
import { adopt, adopted, checkOptions, DEFAULT_QUEUE_WAITERS, linesFull, waitersOption, type SharedOptions } from "./options.js";
import { FIELD, REJECTED, Region, type Handle, type Line } from "./ticket-ring.js";
import { TicketWait, type TicketHooks } from "./wait.js";

const MAXSIZE = FIELD;
const UNFINISHED = FIELD + 2;
const SHUTDOWN = FIELD + 3;
/** A blocked putter's item that a PriorityQueue's compare could not order among the others. */
const UNORDERED = -2;
/** The store's cells of an unbounded queue when `capacity` is not given. */
const DEFAULT_CAPACITY = 1024;
const MAX_CELL_BYTES = 1 << 24;

/** The three queue types. */
export type QueueKind = "Queue" | "PriorityQueue" | "LifoQueue";

/** Options of a shared queue. */
export interface QueueOptions<T> extends SharedOptions {
  /** How items become cell contents: `"json"` (default), `"number"`, `"string"`, `"bytes"`, or `{ encode, decode }`. */
  codec?: CodecOption<T> | undefined;
  /** Payload bytes per cell (default 256; 8 for `"number"`). A larger item is refused with a RangeError. */
  cellBytes?: number | undefined;
  /** How many items an unbounded queue (`maxsize ≤ 0`) holds before it counts as full (default 1024). */
  capacity?: number | undefined;
}

/** Options of `Queue.from()`: the codec, when the queue was made with a custom one. */
export interface FromOptions<T> {
  codec?: CodecOption<T> | undefined;
}

/**
 * A FIFO queue shared by threads, optionally bounded, strictly fair across threads: getters get
 * items and putters get free slots in arrival order, handed over directly. Items travel as cells
 * of `cellBytes` bytes through the queue's `codec`. asyncio: `asyncio.Queue`.
 *
 * @example
 * ```ts
 * const jobs = new Queue<number>(64, { codec: "number" });
 * new Worker(url, { workerData: jobs.handle });
 * await jobs.put(42);
 * // in the worker:
 * for await (const job of Queue.from<number>(workerData).tasks()) work(job);
 * ```
 */
export class Queue<T> implements AsyncIterable<T> {
  readonly #region: Region;
  readonly #words: Int32Array;
  readonly #codec: CellCodec<T>;
  readonly #store: ItemStore<T>;
  readonly #getters: Line;
  readonly #putters: Line;
  readonly #joiners: Line;
  /** The most items the store holds: maxsize, or the capacity of an unbounded queue. */
  readonly #limit: number;
  readonly #getterHooks: TicketHooks<T>;
  readonly #putterHooks: TicketHooks<void>;
  readonly #joinerHooks: TicketHooks<void> = { granted: () => undefined };

  /**
   * @param maxsize the most items it holds; `≤ 0` (default) for no bound (but `options.capacity`).
   * @param options `codec`, `cellBytes`, `capacity`, `waiters` (default 256 getters and 256 putters).
   * @throws TypeError / RangeError on bad arguments.
   */
  constructor(maxsize = 0, options?: QueueOptions<T>) {
    const region = adopted();
    const kind = this.kind;
    const where = `${kind}()`;
    let custom: Codec<T> | undefined;
    if (region === undefined) {
      checkInteger(where, "maxsize", maxsize, -Infinity);
      const { codec, cellBytes, capacity, waiters } = checkOptions(where, options, ["codec", "cellBytes", "capacity", "waiters"]);
      const codecCode = codecIndex(where, codec);
      if (CODECS[codecCode] === "custom") custom = codec as Codec<T>;
      const bytes = cellBytes === undefined ? defaultCellBytes(codecCode) : checkInteger(where, "options.cellBytes", cellBytes, 1);
      if (bytes > MAX_CELL_BYTES) throw new RangeError(`${where}: expected \`options.cellBytes\` to be at most ${MAX_CELL_BYTES}, got ${bytes}`);
      if (CODECS[codecCode] === "number" && bytes < 8) throw new RangeError(`${where}: expected \`options.cellBytes\` to be at least 8 for the "number" codec, got ${bytes}`);
      if (capacity !== undefined && maxsize > 0) throw new TypeError(`${where}: \`options.capacity\` is for an unbounded queue (maxsize ≤ 0); a bounded queue holds \`maxsize\` items`);
      const cells = maxsize > 0 ? maxsize : capacity === undefined ? DEFAULT_CAPACITY : checkInteger(where, "options.capacity", capacity, 1);
      const slots = waitersOption(where, waiters, DEFAULT_QUEUE_WAITERS);
      this.#region = Region.create({ kind, slots, lines: [true, true, false], cellBytes: bytes, cells, storeWords: storeWords(kind, cells), codec: codecCode });
      this.#region.words[MAXSIZE] = maxsize;
    } else {
      this.#region = region;
      custom = (options?.codec ?? undefined) as Codec<T> | undefined;
    }
    this.#words = this.#region.words;
    this.#codec = new CellCodec<T>(this.#region.codec, custom, this.#region.cellBytes);
    this.#store = this.createStore(this.#region);
    if (this.#store instanceof HeapStore) {
      this.#store.codec = this.#codec;
      if (region === undefined) this.#store.initialize();
    }
    [this.#getters, this.#putters, this.#joiners] = this.#region.lines as [Line, Line, Line];
    const maxsizeWord = this.#words[MAXSIZE]!;
    this.#limit = maxsizeWord > 0 ? maxsizeWord : this.#region.cells;
    this.#getterHooks = {
      granted: (value, ticket) => {
        if (value === REJECTED) throw new QueueShutDown(`${kind}.get() interrupted by shutdown()`);
        return this.#codec.decode(this.#codec.take(this.#region, this.#getters.cell(ticket)));
      },
    };
    this.#putterHooks = {
      granted: (value) => {
        if (value === REJECTED) throw new QueueShutDown(`${kind}.put() interrupted by shutdown()`);
        if (value === UNORDERED) throw new TypeError(`${kind}.put(): the item could not be ordered among the queue's items by compare (it threw or returned a non-number)`);
      },
    };
  }

  /** @internal Opens `handle` as a `kind` for `from()`, checking the codec option against the buffer. */
  protected static openQueue<T>(handle: unknown, kind: QueueKind, options: FromOptions<T> | undefined, extraKeys: readonly string[] = []): Region {
    const where = `${kind}.from()`;
    const { codec } = checkOptions(where, options, ["codec", ...extraKeys]);
    // The store's words come after the slots: open once to learn CELLS, then with its store words.
    const probe = Region.open(handle, kind, where);
    const region = kind === "PriorityQueue" ? Region.open(handle, kind, where, storeWords(kind, probe.cells)) : probe;
    const stored = CODECS[region.codec]!;
    if (codec === undefined ? stored === "custom" : codecIndex(where, codec) !== region.codec) {
      throw new TypeError(`${where}: this ${kind} was created with the ${stored === "custom" ? "custom" : `"${stored}"`} codec; pass the same \`codec\` in the options${stored === "custom" ? " (functions cannot travel in a handle)" : ""}`);
    }
    return region;
  }

  /**
   * Rebuilds in this thread the Queue whose `handle` another thread passed on.
   * @param options `codec`: the same custom codec, if the queue was made with one.
   * @throws TypeError if `handle` is not a Queue's handle, or the codec is missing or differs.
   */
  static from<T>(handle: Handle, options?: FromOptions<T>): Queue<T> {
    const region = Queue.openQueue(handle, "Queue", options);
    return adopt(region, () => new Queue<T>(0, options as QueueOptions<T>));
  }

  /** The plain object to pass to another thread, where `Kind.from(handle)` rebuilds it. */
  get handle(): Handle {
    return { kind: this.kind, buffer: this.#region.buffer };
  }

  /** The bound given at construction (`≤ 0`: none). asyncio: `queue.maxsize`. */
  get maxsize(): number {
    return this.#words[MAXSIZE]!;
  }

  /** Items in the queue. asyncio: `queue.qsize()`. */
  qsize(): number {
    return Atomics.load(this.#words, SIZE);
  }

  /** Whether the queue has no items. asyncio: `queue.empty()`. */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /** Whether the queue holds `maxsize` items (an unbounded one: its `capacity`). asyncio: `queue.full()`. */
  full(): boolean {
    return this.qsize() >= this.#limit;
  }

  /**
   * Puts `item` without waiting (to the first blocked getter, if any). asyncio: `queue.put_nowait(item)`.
   * @throws QueueFull if full; QueueShutDown after `shutdown()`; RangeError if the item does not fit a cell.
   */
  putNowait(item: T): void {
    const where = `${this.kind}.putNowait()`;
    this.#codec.prepare(item, where);
    const region = this.#region;
    region.enter();
    try {
      if (this.#words[SHUTDOWN] === 1) throw new QueueShutDown(`${where} called after shutdown()`);
      if (this.#words[SIZE]! >= this.#limit) throw new QueueFull(`${where} called on a full queue (${this.#describeLimit()})`);
      this.#accept(item);
    } finally {
      region.leave();
    }
  }

  /**
   * Puts `item`, waiting for a free slot if full. asyncio: `await queue.put(item)`.
   * Rejects with `QueueShutDown` after `shutdown()`, also while blocked.
   * @throws RangeError if the item does not fit a cell; TypeError / RangeError on bad options (synchronously).
   */
  put(item: T, options?: WaitOptions): Promise<void> {
    const where = `${this.kind}.put()`;
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, where);
      if (aborted !== undefined) return aborted;
    }
    this.#codec.prepare(item, where);
    const region = this.#region;
    let ticket: number | undefined;
    region.enter();
    try {
      if (this.#words[SHUTDOWN] === 1) return Promise.reject(new QueueShutDown(`${where} called after shutdown()`));
      if (this.#words[SIZE]! < this.#limit) {
        this.#accept(item);
        return Promise.resolve();
      }
      if (options?.timeout === 0) return timedOut(where, 0);
      ticket = this.#putters.enqueue();
      if (ticket !== undefined) this.#codec.write(region, this.#putters.cell(ticket));
    } finally {
      region.leave();
    }
    if (ticket === undefined) return linesFull(where, this.kind, region.slots);
    return TicketWait.wait(this.#putters, ticket, this.#putterHooks, options, where);
  }

  /**
   * Takes the next item without waiting. asyncio: `queue.get_nowait()`.
   * @throws QueueEmpty if empty; QueueShutDown if empty after `shutdown()`.
   */
  getNowait(): T {
    let raw: Raw;
    const region = this.#region;
    region.enter();
    try {
      if (this.#words[SIZE] === 0) {
        if (this.#words[SHUTDOWN] === 1) throw new QueueShutDown(`${this.kind}.getNowait() called on a queue shut down and empty`);
        throw new QueueEmpty(`${this.kind}.getNowait() called on an empty queue`);
      }
      raw = this.#take();
    } finally {
      region.leave();
    }
    return this.#codec.decode(raw);
  }

  /**
   * Takes the next item, waiting for one if empty. asyncio: `await queue.get()`.
   * Rejects with `QueueShutDown` once the queue is shut down and empty.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  get(options?: WaitOptions): Promise<T> {
    const where = `${this.kind}.get()`;
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, where);
      if (aborted !== undefined) return aborted;
    }
    const region = this.#region;
    let ticket: number | undefined;
    let raw: Raw | undefined;
    region.enter();
    try {
      if (this.#words[SIZE]! > 0) raw = this.#take();
      else {
        if (this.#words[SHUTDOWN] === 1) return Promise.reject(new QueueShutDown(`${where} called on a queue shut down and empty`));
        if (options?.timeout === 0) return timedOut(where, 0);
        ticket = this.#getters.enqueue();
      }
    } finally {
      region.leave();
    }
    if (raw !== undefined) return this.#decoded(raw);
    if (ticket === undefined) return linesFull(where, this.kind, region.slots);
    return TicketWait.wait(this.#getters, ticket, this.#getterHooks, options, where);
  }

  /**
   * Marks one item taken earlier as processed. asyncio: `queue.task_done()`.
   * @throws Error if called more times than items were put.
   */
  taskDone(): void {
    const region = this.#region;
    region.enter();
    try {
      if (this.#words[UNFINISHED] === 0) throw new Error(`${this.kind}.taskDone() called more times than there were items`);
      if (--this.#words[UNFINISHED]! === 0) this.#joiners.grantAll(() => 1);
    } finally {
      region.leave();
    }
  }

  /**
   * Resolves once every item put, by any thread, has been marked done (at once if none is pending).
   * asyncio: `await queue.join()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  join(options?: WaitOptions): Promise<void> {
    const where = `${this.kind}.join()`;
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, where);
      if (aborted !== undefined) return aborted;
    }
    const region = this.#region;
    let ticket: number | undefined;
    region.enter();
    try {
      if (this.#words[UNFINISHED] === 0) return Promise.resolve();
      if (options?.timeout === 0) return timedOut(where, 0);
      ticket = this.#joiners.enqueue();
    } finally {
      region.leave();
    }
    if (ticket === undefined) return linesFull(where, this.kind, region.slots);
    return TicketWait.wait(this.#joiners, ticket, this.#joinerHooks, options, where);
  }

  /**
   * Shuts the queue down for every thread (asyncio 3.13): every put, blocked or new, fails with
   * `QueueShutDown`; gets return what is left, then fail. With `immediate`, what is left is dropped
   * — and returned — and counted as done for `join()`, and every getter fails at once.
   * asyncio: `queue.shutdown(immediate)`.
   * @returns the items dropped (`[]` without `immediate`).
   * @throws TypeError if `immediate` is not a boolean.
   */
  shutdown(immediate = false): T[] {
    if (typeof immediate !== "boolean") throw typeError(`${this.kind}.shutdown()`, "immediate", "a boolean", immediate);
    const region = this.#region;
    const words = this.#words;
    let dropped: Raw[] = [];
    region.enter();
    try {
      Atomics.store(words, SHUTDOWN, 1);
      if (immediate && words[SIZE]! > 0) {
        dropped = this.#store.clear(this.#codec);
        words[UNFINISHED] = Math.max(0, words[UNFINISHED]! - dropped.length);
        if (words[UNFINISHED] === 0) this.#joiners.grantAll(() => 1);
      }
      // Getters only wait on an empty queue, so none of them will ever get an item now.
      this.#getters.grantAll(() => REJECTED);
      this.#putters.grantAll(() => REJECTED);
    } finally {
      region.leave();
    }
    return dropped.map((raw) => this.#codec.decode(raw));
  }

  /**
   * Yields items as `get({ signal })` returns them, in this thread; ends when the queue is shut down
   * and drained. Does not call `taskDone()` (see {@link tasks}).
   * @throws TypeError if `options` is not `{ signal }`.
   */
  items(options?: { signal?: AbortSignal | undefined }): AsyncIterableIterator<T> {
    const signal = this.#iterationSignal(options, "items");
    return iterateItems(this, signal);
  }

  /**
   * As {@link items}, and calls `taskDone()` for each item once the loop body for it ends (also by
   * `break` or a throw), so `join()` callers learn when the work is done.
   * @throws TypeError if `options` is not `{ signal }`.
   */
  tasks(options?: { signal?: AbortSignal | undefined }): AsyncIterableIterator<T> {
    const signal = this.#iterationSignal(options, "tasks");
    return iterateTasks(this, signal);
  }

  /** `for await (const item of queue)`: {@link items} without options. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return iterateItems(this, undefined);
  }

  /** A frozen snapshot: `{ size, maxsize, getters, putters, waiters, unfinishedTasks, shutdown }`, across threads. */
  statistics(): QueueStatistics {
    const words = this.#words;
    const getters = this.#getters.live;
    const putters = this.#putters.live;
    return Object.freeze({
      size: words[SIZE]!,
      maxsize: words[MAXSIZE]!,
      getters,
      putters,
      waiters: getters + putters,
      unfinishedTasks: words[UNFINISHED]!,
      shutdown: words[SHUTDOWN] === 1,
    });
  }

  /** asyncio's form: `<Queue maxsize=10 _queue=[1, 2] _getters[1] tasks=2>`. */
  toString(): string {
    const region = this.#region;
    let raws: Raw[];
    region.enter();
    try {
      raws = this.#store.toArray(this.#codec);
    } finally {
      region.leave();
    }
    const { maxsize, getters, putters, unfinishedTasks, shutdown } = this.statistics();
    let text = `<${this.kind} maxsize=${maxsize}`;
    if (raws.length > 0) text += ` _queue=[${raws.map((raw) => formatItem(this.#safeDecode(raw))).join(", ")}]`;
    if (getters > 0) text += ` _getters[${getters}]`;
    if (putters > 0) text += ` _putters[${putters}]`;
    if (unfinishedTasks > 0) text += ` tasks=${unfinishedTasks}`;
    if (shutdown) text += " shutdown";
    return `${text}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** The class name in messages, string forms and handles (explicit, so minifiers cannot change it). */
  protected get kind(): QueueKind {
    return "Queue";
  }

  /** The storage hook the variants override; called once, by the constructor. */
  protected createStore(region: Region): ItemStore<T> {
    return new FifoStore<T>(region);
  }

  /** Guarded. The prepared item enters: straight into the first blocked getter's cell, else the store. */
  #accept(item: T): void {
    const getter = this.#getters.first();
    if (getter !== undefined) {
      this.#codec.write(this.#region, this.#getters.cell(getter));
      this.#getters.grant(getter, 1);
    } else {
      this.#store.add(this.#codec, item);
    }
    this.#words[UNFINISHED]!++;
  }

  /** Guarded. Takes the next item; the cell it frees goes to the first blocked putter's item at once. */
  #take(): Raw {
    const raw = this.#store.take(this.#codec);
    for (let putter = this.#putters.first(); putter !== undefined; putter = this.#putters.first()) {
      try {
        this.#store.addFrom(this.#codec, this.#putters.cell(putter));
      } catch {
        // Only a PriorityQueue's compare can throw here: that putter learns of it, and the slot
        // stays a waiter's (the next putter's), never a newcomer's.
        this.#putters.grant(putter, UNORDERED);
        continue;
      }
      this.#words[UNFINISHED]!++;
      this.#putters.grant(putter, 1);
      break;
    }
    return raw;
  }

  #decoded(raw: Raw): Promise<T> {
    try {
      return Promise.resolve(this.#codec.decode(raw));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #safeDecode(raw: Raw): unknown {
    try {
      return this.#codec.decode(raw);
    } catch {
      return raw;
    }
  }

  #describeLimit(): string {
    const maxsize = this.#words[MAXSIZE]!;
    return maxsize > 0 ? `maxsize ${maxsize}` : `capacity ${this.#limit} of an unbounded queue`;
  }

  #iterationSignal(options: { signal?: AbortSignal | undefined } | undefined, method: string): AbortSignal | undefined {
    const where = `${this.kind}.${method}()`;
    if (options === undefined) return undefined;
    checkWaitOptions(options, where, false)?.catch(() => {});
    return options.signal;
  }
}

function formatItem(item: unknown): string {
  if (typeof item === "string") return `'${item}'`;
  try {
    return String(item);
  } catch {
    return Object.prototype.toString.call(item);
  }
}
