import { describeValue, typeError } from "./errors.js";
import type { ItemStore } from "./item-store.js";
import { Queue } from "./queue.js";

/** Orders two items: negative if `a` is served first, positive if `b` is, 0 if equal. */
export type Compare<T> = (a: T, b: T) => number;

const typeRank = (value: unknown): string => (Array.isArray(value) ? "array" : typeof value);

/**
 * The default order, Python's for the types JS shares with it: numbers (and bigints) and
 * strings ascending, booleans as 0/1, arrays element by element like tuples.
 * @throws TypeError for values of different kinds or that have no order (objects, undefined).
 */
export function defaultCompare(a: unknown, b: unknown): number {
  const kind = typeRank(a);
  const numeric = (v: unknown) => ["number", "bigint", "boolean"].includes(typeof v);
  if (numeric(a) && numeric(b)) {
    const x = typeof a === "boolean" ? Number(a) : (a as number);
    const y = typeof b === "boolean" ? Number(b) : (b as number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (kind === "string" && typeRank(b) === "string") return a! < b! ? -1 : a! > b! ? 1 : 0;
  if (kind === "array" && typeRank(b) === "array") {
    const left = a as unknown[];
    const right = b as unknown[];
    for (let i = 0; i < left.length && i < right.length; i++) {
      const order = defaultCompare(left[i], right[i]);
      if (order !== 0) return order;
    }
    return left.length - right.length;
  }
  throw new TypeError(`PriorityQueue: cannot order ${describeValue(a)} and ${describeValue(b)}; pass a \`compare\` function`);
}

interface Entry<T> {
  readonly item: T;
  /** Insertion order, so equal items come out first in, first out. */
  readonly seq: number;
}

/** A binary min-heap. Every comparison happens before anything moves, so a throwing compare changes nothing. */
class HeapStore<T> implements ItemStore<T> {
  readonly #heap: Entry<T>[] = [];
  readonly #compare: Compare<T>;
  #seq = 0;

  constructor(compare: Compare<T>) {
    this.#compare = compare;
  }

  get size(): number {
    return this.#heap.length;
  }

  add(item: T): void {
    const entry = { item, seq: this.#seq };
    const heap = this.#heap;
    let hole = heap.length;
    const path: number[] = [];
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (this.#before(heap[parent]!, entry)) break;
      path.push(parent);
      hole = parent;
    }
    this.#seq++;
    let to = heap.length;
    for (const from of path) {
      heap[to] = heap[from]!;
      to = from;
    }
    heap[to] = entry;
  }

  take(): T {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap[heap.length - 1]!;
    const path: number[] = [];
    const size = heap.length - 1;
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= size) break;
      if (child + 1 < size && this.#before(heap[child + 1]!, heap[child]!)) child++;
      if (this.#before(last, heap[child]!)) break;
      path.push(child);
      hole = child;
    }
    let to = 0;
    for (const from of path) {
      heap[to] = heap[from]!;
      to = from;
    }
    heap[to] = last;
    heap.length = size;
    return top.item;
  }

  clear(): number {
    const count = this.#heap.length;
    this.#heap.length = 0;
    return count;
  }

  toArray(): T[] {
    return [...this.#heap].sort((a, b) => (this.#before(a, b) ? -1 : 1)).map((entry) => entry.item);
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    const order = this.#compare(a.item, b.item);
    if (typeof order !== "number" || Number.isNaN(order)) throw typeError("PriorityQueue", "compare(a, b)", "a number", order);
    return order < 0 || (order === 0 && a.seq < b.seq);
  }
}

/**
 * A {@link Queue} that serves the smallest item first by `compare` (default: numbers and strings
 * ascending, arrays like Python tuples); equal items come out in insertion order.
 * asyncio: `asyncio.PriorityQueue`.
 *
 * @example
 * ```ts
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putNowait([2, "later"]);
 * jobs.putNowait([1, "first"]);
 * jobs.getNowait(); // [1, "first"]
 * ```
 */
export class PriorityQueue<T> extends Queue<T> {
  /** Set right after construction; only read when items are compared. */
  #compare!: Compare<T>;

  /**
   * @param maxsize the most items it holds; `≤ 0` (default) for no bound.
   * @param compare the order (default {@link defaultCompare}).
   * @throws TypeError if `compare` is not a function; see {@link Queue} for `maxsize`.
   */
  constructor(maxsize = 0, compare: Compare<T> = defaultCompare) {
    if (typeof compare !== "function") throw typeError("PriorityQueue()", "compare", "a function", compare);
    super(maxsize);
    this.#compare = compare;
  }

  protected override get kind(): string {
    return "PriorityQueue";
  }

  protected override createStore(): ItemStore<T> {
    return new HeapStore<T>((a, b) => this.#compare(a, b));
  }
}
