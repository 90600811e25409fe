/**
 * Queues shared by every process that connects to the same Redis with the same prefix.
 *
 * Keys (see keys.ts, prelude.lua): `<prefix>:{<name>}:meta` (kind "queue" / "priorityQueue" /
 * "lifoQueue", config: maxsize, tasks: unfinished tasks, shutdown), `:expiry`, `:granted` (a
 * woken getter's grant record holds its item until it clears it; a leased item's until done),
 * `:retired`, `:line:get`, `:line:put`, `:line:join`, `:carried` (each waiting putter's item; "l"
 * for a waiting getLeased()),
 * `:items` (the items, head first; a LIST, or a ZSET for a priorityQueue — it never expires).
 */
import { checkInteger, checkWaitOptions, iterateItems, iterateTasks, typeError } from "@syncio/core/internal";
import { QueueEmpty, QueueFull, QueueShutDown, TimeoutError, type WaitOptions } from "@syncio/core";
import { Holding } from "./lease.js";
import { RedisPrimitive } from "./primitive.js";
import { scripts } from "./scripts.js";
import type { Session } from "./session.js";
import { wait, type WaitPlan } from "./waiting.js";

/** How a queue turns its items into the strings Redis keeps, and back. Default: JSON. */
export interface Codec<T> {
  encode(item: T): string;
  decode(text: string): T;
}

/** Options of `sync.queue()` and `sync.lifoQueue()`. */
export interface RedisQueueOptions<T> {
  /** The most items it holds, across every process; `≤ 0` (default) for no bound. Every process must use the same. */
  maxsize?: number | undefined;
  /** How items travel (default: JSON, so `undefined`, functions and bigints cannot be put). */
  codec?: Codec<T> | undefined;
}

/** Options of `sync.priorityQueue()`. */
export interface RedisPriorityQueueOptions<T> extends RedisQueueOptions<T> {
  /**
   * The item's priority, a number: the smallest is served first, equal ones in insertion order.
   * Default: the item itself if it is a number, or its first element if it is an array
   * (`[priority, data]`, like Python's tuples).
   */
  priority?: ((item: T) => number) | undefined;
}

/** A snapshot of a queue, as every process sees it. */
export interface RedisQueueStatistics {
  /** Items in the queue (not those handed to getters or leased). */
  readonly size: number;
  readonly maxsize: number;
  /** Callers blocked in `get()`/`getLeased()`, in every process. */
  readonly getters: number;
  /** Callers blocked in `put()`, in every process. */
  readonly putters: number;
  /** `getters + putters` (`join()` callers are not counted). */
  readonly waiters: number;
  /** Items put and not yet marked done (`taskDone()`, or a leased item's `done()`). */
  readonly unfinishedTasks: number;
  readonly shutdown: boolean;
}

const json: Codec<unknown> = {
  encode: (item) => JSON.stringify(item),
  decode: (text) => JSON.parse(text),
};

/**
 * An item taken with {@link RedisQueue.getLeased}: it stays the caller's while its connection
 * renews the lease (every `lease / 3`); if the process dies or is paused past the lease, the item
 * goes back to the head of the queue and is delivered again.
 */
export class LeasedItem<T> {
  /** The item. */
  readonly item: T;
  readonly #holding: Holding;
  #done: Promise<boolean> | undefined;

  /** @internal Made by `getLeased()`. */
  constructor(holding: Holding, item: T) {
    this.#holding = holding;
    this.item = item;
  }

  /** Aborts (reason: `LeaseLostError`) once the lease is lost and the item may be delivered again. */
  get signal(): AbortSignal {
    return this.#holding.signal;
  }

  /** Whether the item is still this caller's: not done, lease not lost. */
  get held(): boolean {
    return this.#holding.state === "held";
  }

  /**
   * Marks the item processed: it leaves Redis for good and its task counts as done for `join()`
   * (no `taskDone()` is needed). Resolves `true`; `false` when the lease had run out first (the
   * item went back to the queue, so this changes nothing). Later calls give the same promise.
   * Rejects with `ConnectionError` if Redis cannot be reached (retried once it can; if the lease
   * runs out first, the item is delivered again).
   */
  done(): Promise<boolean> {
    this.#done ??= this.#holding.end(scripts.queueDone).then((reply) => reply?.[0] === "done");
    return this.#done;
  }

  toString(): string {
    return `<LeasedItem ${this.#holding.state}>`;
  }
}

/**
 * A queue across processes and machines, optionally bounded, strictly fair: getters get items
 * and putters get free slots in the order their requests reached Redis, handed over inside the
 * script that frees them, so no newcomer (`getNowait`/`putNowait` in any process included) takes
 * what a waiter was promised. `get()` is at-most-once, as asyncio's; {@link RedisQueue.getLeased}
 * is at-least-once. asyncio: `asyncio.Queue`.
 *
 * @example
 * ```ts
 * const jobs = sync.queue<{ url: string }>("jobs", { maxsize: 100 });
 * await jobs.put({ url });                               // in the producers
 * for await (const job of jobs.tasks()) await fetch(job.url); // in the consumers
 * ```
 */
export class RedisQueue<T> extends RedisPrimitive implements AsyncIterable<T> {
  readonly #maxsize: number;
  readonly #codec: Codec<T>;

  /** @internal Made by `sync.queue(name, options)` and its variants. */
  constructor(session: Session, name: string, maxsize: number, codec: Codec<T> | undefined, kind = "queue") {
    super(session, kind, name, String(Math.max(0, maxsize)), ["get", "put", "join"], ["carried", "items"]);
    this.#maxsize = maxsize;
    this.#codec = codec ?? (json as Codec<T>);
  }

  /** The bound (`≤ 0`: none). asyncio: `queue.maxsize`. */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Items in the queue, in every process. asyncio: `queue.qsize()`. */
  async qsize(): Promise<number> {
    return (await this.statistics()).size;
  }

  /** Whether the queue has no items. asyncio: `queue.empty()`. */
  async empty(): Promise<boolean> {
    return (await this.qsize()) === 0;
  }

  /** Whether the queue holds `maxsize` items. asyncio: `queue.full()`. */
  async full(): Promise<boolean> {
    return this.#maxsize > 0 && (await this.qsize()) >= this.#maxsize;
  }

  /**
   * Puts `item` without waiting: to the first waiting getter in any process, else into the queue.
   * Rejects with `QueueFull` when full (also when putters wait: they come first), `QueueShutDown`
   * after `shutdown()`. asyncio: `queue.put_nowait(item)`.
   * @throws what the codec (or `priority`) throws for the item, synchronously.
   */
  putNowait(item: T): Promise<void> {
    return this.#put(item, undefined, "try", `${this.constructor.name}.putNowait()`);
  }

  /**
   * Puts `item`, waiting while the queue is full, behind the putters that came first.
   * asyncio: `await queue.put(item)`.
   * @throws TypeError / RangeError on bad options, and what the codec throws, synchronously.
   * Rejects with `QueueShutDown` after `shutdown()`, also while blocked (its item never enters);
   * with `signal.reason` / `TimeoutError` (its item never enters, unless a slot reached it in the
   * same instant: then it is in, once); with `ConnectionError` if the connection drops (the item
   * may have entered).
   */
  put(item: T, options?: WaitOptions): Promise<void> {
    const where = `${this.constructor.name}.put()`;
    const aborted = checkWaitOptions(options, where);
    if (aborted !== undefined) return aborted;
    return this.#put(item, options, options?.timeout === 0 ? "try" : "wait", where);
  }

  /**
   * Takes the next item without waiting. Rejects with `QueueEmpty` when empty, `QueueShutDown`
   * when shut down and empty. asyncio: `queue.get_nowait()`.
   */
  getNowait(): Promise<T> {
    return this.#get(undefined, "try", "take", `${this.constructor.name}.getNowait()`) as Promise<T>;
  }

  /**
   * Takes the next item, waiting for one, behind the getters that came first. At-most-once: the
   * item leaves Redis when it is handed over. asyncio: `await queue.get()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   * Rejects with `QueueShutDown` once shut down and empty; `signal.reason` / `TimeoutError` (an
   * item handed over in the same instant goes to the next getter, or back to the head);
   * `ConnectionError` if the connection drops.
   */
  get(options?: WaitOptions): Promise<T> {
    const where = `${this.constructor.name}.get()`;
    const aborted = checkWaitOptions(options, where);
    if (aborted !== undefined) return aborted;
    return this.#get(options, options?.timeout === 0 ? "try" : "wait", "take", where) as Promise<T>;
  }

  /**
   * As {@link RedisQueue.get}, at-least-once: resolves to a {@link LeasedItem} that stays in Redis,
   * renewed by this connection, until its `done()`. If the process dies or is paused past its
   * lease first, the item goes back to the head of the queue and is delivered again.
   *
   * @example
   * ```ts
   * const job = await jobs.getLeased({ signal });
   * await handle(job.item, { signal: job.signal });
   * await job.done(); // processed: gone for good, and counted done for join()
   * ```
   */
  getLeased(options?: WaitOptions): Promise<LeasedItem<T>> {
    const where = `${this.constructor.name}.getLeased()`;
    const aborted = checkWaitOptions(options, where);
    if (aborted !== undefined) return aborted;
    return this.#get(options, options?.timeout === 0 ? "try" : "wait", "lease", where) as Promise<LeasedItem<T>>;
  }

  /**
   * Marks one item taken with `get()` as processed, across every process; at 0 unfinished tasks
   * every `join()` resolves. asyncio: `queue.task_done()`.
   * Rejects with an `Error` when called more times than items were put (nothing changes).
   */
  async taskDone(): Promise<void> {
    const reply = await this.session.run(scripts.queueTaskDone, this.ref);
    if (reply[0] === "underflow") throw new Error(`${this.constructor.name}.taskDone() called more times than there were items`);
  }

  /**
   * Resolves once every item put (in any process) has been marked done. asyncio: `await queue.join()`.
   * @throws TypeError / RangeError on bad options (synchronously).
   */
  join(options?: WaitOptions): Promise<void> {
    const where = `${this.constructor.name}.join()`;
    const aborted = checkWaitOptions(options, where);
    if (aborted !== undefined) return aborted;
    return wait<void>(
      this.session,
      {
        ref: this.ref,
        script: scripts.queueJoin,
        where,
        mode: options?.timeout === 0 ? "try" : "wait",
        granted: (_payload, id, _until, inReply) => {
          if (!inReply) this.#clear(id);
        },
        busy: () => {
          throw new TimeoutError(`${where} timed out after 0 ms`);
        },
      },
      options,
    );
  }

  /**
   * Shuts the queue down for every process (asyncio 3.13): every put, waiting or new, fails with
   * `QueueShutDown`; gets return what is left, then fail. With `immediate`, what is left is
   * dropped and counted as done for `join()`, and every waiting getter fails at once.
   * A shut-down name stays shut down while Redis keeps it. asyncio: `queue.shutdown(immediate)`.
   * @returns the items dropped (with `immediate`), in the order they would have been served; else `[]`.
   * @throws TypeError if `immediate` is not a boolean (synchronously).
   */
  shutdown(immediate = false): Promise<T[]> {
    if (typeof immediate !== "boolean") throw typeError(`${this.constructor.name}.shutdown()`, "immediate", "a boolean", immediate);
    return this.session.run(scripts.queueShutdown, this.ref, [immediate ? "1" : "0"]).then((reply) => reply.slice(1).map((text) => this.#codec.decode(String(text))));
  }

  /** Yields items as `get()` returns them; ends once the queue is shut down and drained. The same as `items()`. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return iterateItems(this, undefined);
  }

  /**
   * An async iterable of the items as `get()` returns them, ending once the queue is shut down and
   * drained; aborting `signal` makes the loop throw `signal.reason`. Does not call `taskDone()`.
   * @throws TypeError if `options` is not `{ signal? }`.
   */
  items(options?: { signal?: AbortSignal | undefined }): AsyncIterableIterator<T> {
    checkWaitOptions(options, `${this.constructor.name}.items()`, false)?.catch(() => {});
    return iterateItems(this, options?.signal);
  }

  /**
   * As {@link RedisQueue.items}, and marks each item done (`taskDone()`, awaited) once the loop
   * body for it ends, however it ends, so `join()` in any process sees it.
   * @throws TypeError if `options` is not `{ signal? }`.
   */
  tasks(options?: { signal?: AbortSignal | undefined }): AsyncIterableIterator<T> {
    checkWaitOptions(options, `${this.constructor.name}.tasks()`, false)?.catch(() => {});
    return iterateTasks(this, options?.signal);
  }

  /** A frozen snapshot: `{ size, maxsize, getters, putters, waiters, unfinishedTasks, shutdown }`. */
  async statistics(): Promise<RedisQueueStatistics> {
    const reply = await this.session.run(scripts.queueStatistics, this.ref);
    const getters = Number(reply[2]);
    const putters = Number(reply[3]);
    return Object.freeze({ size: Number(reply[1]), maxsize: this.#maxsize, getters, putters, waiters: getters + putters, unfinishedTasks: Number(reply[4]), shutdown: reply[5] === "1" });
  }

  /** @internal The extra ARGV of a put: the encoded item (and, for a priority queue, its priority). */
  protected encode(item: T, where: string): string[] {
    const text = this.#codec.encode(item);
    if (typeof text !== "string") throw typeError(where, "item", "something the queue's codec encodes to a string", item);
    return [text];
  }

  #put(item: T, options: WaitOptions | undefined, mode: "wait" | "try", where: string): Promise<void> {
    const args = this.encode(item, where);
    return wait<void>(
      this.session,
      {
        ref: this.ref,
        script: scripts.queuePut,
        where,
        mode,
        args,
        granted: (payload, id, _until, inReply) => {
          if (inReply) return;
          this.#clear(id);
          if (payload === "s") throw new QueueShutDown(`${where} interrupted by shutdown()`);
        },
        busy: () => {
          throw options === undefined ? new QueueFull(`${where} called on a full queue (maxsize ${this.#maxsize})`) : new TimeoutError(`${where} timed out after 0 ms`);
        },
        refused: (reply) => (reply[0] === "shutdown" ? new QueueShutDown(`${where} called after shutdown()`) : undefined),
      },
      options,
    );
  }

  #get(options: WaitOptions | undefined, mode: "wait" | "try", hold: "take" | "lease", where: string): Promise<T | LeasedItem<T>> {
    const plan: WaitPlan<T | LeasedItem<T>> = {
      ref: this.ref,
      script: scripts.queueGet,
      where,
      mode,
      args: [hold],
      granted: (payload, id, confirmedUntil, inReply) => {
        if (inReply) return this.#handed(payload, id, hold, confirmedUntil);
        // Woken by a grant: "i<item>" (get), "l<item>" (getLeased) or "s" (shut down).
        if (payload === "s") {
          this.#clear(id);
          throw new QueueShutDown(`${where} interrupted by shutdown()`);
        }
        if (payload.startsWith("i")) this.#clear(id);
        return this.#handed(payload.slice(1), id, payload.startsWith("l") ? "lease" : "take", confirmedUntil);
      },
      busy: () => {
        throw options === undefined ? new QueueEmpty(`${where} called on an empty queue`) : new TimeoutError(`${where} timed out after 0 ms`);
      },
      refused: (reply) => (reply[0] === "shutdown" ? new QueueShutDown(`${where} called on a queue shut down and empty`) : undefined),
      // Taken at once (no grant record) by a call that had given up meanwhile: back to the head.
      unwanted: (reply) => {
        if (hold === "take") void this.session.run(scripts.queueReturn, this.ref, [String(reply[2])]).catch(() => {});
      },
    };
    return wait(this.session, plan, options);
  }

  #handed(text: string, id: string, hold: "take" | "lease", confirmedUntil: number): T | LeasedItem<T> {
    const item = this.#codec.decode(text);
    if (hold === "take") return item;
    return new LeasedItem(new Holding(this.session, this.ref, this.name, id, 0n, confirmedUntil, false, scripts.withdraw), item);
  }

  /** A woken getter, putter or joiner clears its grant record (nothing to pass on). */
  #clear(id: string): void {
    void this.session.leave(this.ref, id, scripts.release).catch(() => {});
  }
}

/**
 * A queue that serves the item of smallest priority first (`priority(item)`, a number), equal
 * priorities in insertion order. asyncio: `asyncio.PriorityQueue` — whose items are ordered by
 * comparing them; across processes the order is a number Redis can compare.
 *
 * @example
 * ```ts
 * const jobs = sync.priorityQueue<[number, string]>("jobs");
 * await jobs.put([2, "later"]);
 * await jobs.put([1, "first"]);
 * await jobs.get(); // [1, "first"]
 * ```
 */
export class RedisPriorityQueue<T> extends RedisQueue<T> {
  readonly #priority: (item: T) => number;

  /** @internal Made by `sync.priorityQueue(name, options)`. */
  constructor(session: Session, name: string, maxsize: number, codec: Codec<T> | undefined, priority: ((item: T) => number) | undefined) {
    super(session, name, maxsize, codec, "priorityQueue");
    this.#priority = priority ?? defaultPriority;
  }

  /** @internal */
  protected override encode(item: T, where: string): string[] {
    const priority = this.#priority(item);
    if (typeof priority !== "number") throw typeError(where, "priority(item)", "a number", priority);
    if (Number.isNaN(priority)) throw new RangeError(`${where}: expected \`priority(item)\` to be a number, got NaN`);
    const score = priority === Infinity ? "+inf" : priority === -Infinity ? "-inf" : String(priority);
    return [...super.encode(item, where), score];
  }
}

/** A queue that serves the newest item first. asyncio: `asyncio.LifoQueue`. */
export class RedisLifoQueue<T> extends RedisQueue<T> {
  /** @internal Made by `sync.lifoQueue(name, options)`. */
  constructor(session: Session, name: string, maxsize: number, codec: Codec<T> | undefined) {
    super(session, name, maxsize, codec, "lifoQueue");
  }
}

function defaultPriority(item: unknown): number {
  const priority = Array.isArray(item) ? item[0] : item;
  if (typeof priority === "number") return priority;
  throw new TypeError(`RedisPriorityQueue: cannot take a priority from ${Array.isArray(item) ? "an array whose first element is not a number" : typeof item}: put numbers, or [priority, data] arrays, or pass a \`priority\` function`);
}

/** Checks the options of a queue factory; returns maxsize and codec. */
export function checkQueueOptions<T>(where: string, options: unknown, priority: boolean): { maxsize: number; codec: Codec<T> | undefined; priority: ((item: T) => number) | undefined } {
  if (options === undefined) return { maxsize: 0, codec: undefined, priority: undefined };
  if (typeof options !== "object" || options === null) throw typeError(where, "options", "an object or undefined", options);
  const known = priority ? ["maxsize", "codec", "priority"] : ["maxsize", "codec"];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`${where}: unknown option \`${key}\`: the options are ${known.map((name) => `\`${name}\``).join(", ")}`);
  }
  const { maxsize = 0, codec, priority: order } = options as RedisPriorityQueueOptions<T>;
  checkInteger(where, "options.maxsize", maxsize, -Infinity);
  if (codec !== undefined && (typeof codec !== "object" || codec === null || typeof codec.encode !== "function" || typeof codec.decode !== "function")) {
    throw typeError(where, "options.codec", "an object with encode(item) and decode(text) functions", codec);
  }
  if (order !== undefined && typeof order !== "function") throw typeError(where, "options.priority", "a function", order);
  return { maxsize, codec, priority: order };
}
