/**
 * Where a queue keeps its items: the store's cells (after the payload slots' cells), in the order
 * the queue type serves them. Every method is guarded.
 *
 *   FIFO   cells used as a ring: item k of SIZE is in cell (HEAD + k) mod CELLS
 *   LIFO   cells used as a stack: item k is in cell k, the newest on top
 *   HEAP   STORE words 0 … CELLS−1: a binary min-heap of cell numbers (by compare, then SEQ);
 *          STORE words CELLS … 2·CELLS−1: a stack of the CELLS − SIZE free cell numbers
 *          (cell numbers count from the buffer's first cell, so they start at the store's)
 */
import { type Compare, defaultCompare } from "@syncio/core";
import { typeError } from "@syncio/core/internal";
import { CellCodec, type Raw } from "./codec.js";
import { FIELD, type Region } from "./ticket-ring.js";

/** The queue words a store reads and moves (see queue.ts). */
export const SIZE = FIELD + 1;
export const HEAD = FIELD + 4;
export const SEQ = FIELD + 5;

/** One of the three orders, over a region's store cells. */
export interface ItemStore<T> {
  /** Adds the item `codec` prepared. May throw (a PriorityQueue's compare), changing nothing. */
  add(codec: CellCodec<T>, item: T): void;
  /** Adds the item in cell `from` (a blocked putter's). May throw, changing nothing. */
  addFrom(codec: CellCodec<T>, from: number): void;
  /** Takes the next item, copied out. */
  take(codec: CellCodec<T>): Raw;
  /** Empties the store; returns the items in serve order, copied out. */
  clear(codec: CellCodec<T>): Raw[];
  /** The items in serve order, copied out (for string forms). */
  toArray(codec: CellCodec<T>): Raw[];
}

/** Words a store needs beyond the queue's fields, for `cells` cells. */
export function storeWords(kind: "Queue" | "PriorityQueue" | "LifoQueue", cells: number): number {
  return kind === "PriorityQueue" ? 2 * cells : 0;
}

/** First in, first out. */
export class FifoStore<T> implements ItemStore<T> {
  constructor(readonly region: Region) {}

  add(codec: CellCodec<T>): void {
    codec.write(this.region, this.#cell(this.region.words[SIZE]!));
    this.region.words[SIZE]!++;
  }

  addFrom(_codec: CellCodec<T>, from: number): void {
    CellCodec.move(this.region, from, this.#cell(this.region.words[SIZE]!));
    this.region.words[SIZE]!++;
  }

  take(codec: CellCodec<T>): Raw {
    const words = this.region.words;
    const raw = codec.take(this.region, this.#cell(0));
    words[HEAD] = (words[HEAD]! + 1) % this.region.cells;
    words[SIZE]!--;
    return raw;
  }

  clear(codec: CellCodec<T>): Raw[] {
    const raws = this.toArray(codec);
    this.region.words[SIZE] = 0;
    this.region.words[HEAD] = 0;
    return raws;
  }

  toArray(codec: CellCodec<T>): Raw[] {
    return Array.from({ length: this.region.words[SIZE]! }, (_, k) => codec.take(this.region, this.#cell(k)));
  }

  #cell(k: number): number {
    return this.region.storeCell0 + ((this.region.words[HEAD]! + k) % this.region.cells);
  }
}

/** Last in, first out. */
export class LifoStore<T> implements ItemStore<T> {
  constructor(readonly region: Region) {}

  add(codec: CellCodec<T>): void {
    codec.write(this.region, this.region.storeCell0 + this.region.words[SIZE]!);
    this.region.words[SIZE]!++;
  }

  addFrom(_codec: CellCodec<T>, from: number): void {
    CellCodec.move(this.region, from, this.region.storeCell0 + this.region.words[SIZE]!);
    this.region.words[SIZE]!++;
  }

  take(codec: CellCodec<T>): Raw {
    const size = --this.region.words[SIZE]!;
    return codec.take(this.region, this.region.storeCell0 + size);
  }

  clear(codec: CellCodec<T>): Raw[] {
    const raws = this.toArray(codec);
    this.region.words[SIZE] = 0;
    return raws;
  }

  toArray(codec: CellCodec<T>): Raw[] {
    const size = this.region.words[SIZE]!;
    return Array.from({ length: size }, (_, k) => codec.take(this.region, this.region.storeCell0 + size - 1 - k));
  }
}

/**
 * Smallest first by `compare`, ties in insertion order. Every comparison happens before anything
 * moves, so a throwing compare changes nothing. Items are decoded to be compared (this thread keeps
 * what it decoded, by cell and SEQ), so `compare` and a custom codec's `decode` run inside the guard.
 */
export class HeapStore<T> implements ItemStore<T> {
  readonly #compare: Compare<T>;
  /** This thread's decoded items by cell: the SEQ it was decoded at, and the value. */
  readonly #decoded = new Map<number, { seq: number; value: T }>();

  constructor(
    readonly region: Region,
    compare: Compare<T> = defaultCompare as Compare<T>,
  ) {
    this.#compare = compare;
  }

  /** Guarded, once, by the queue that creates the buffer: every cell is free. */
  initialize(): void {
    const { region } = this;
    for (let k = 0; k < region.cells; k++) region.words[this.#spare(k)] = region.storeCell0 + region.cells - 1 - k;
  }

  add(codec: CellCodec<T>, item: T): void {
    const cell = this.#freeCell();
    const seq = this.#nextSeq();
    const path = this.#siftUpPath({ cell, seq, value: item });
    codec.write(this.region, cell, seq);
    this.#decoded.set(cell, { seq, value: item });
    this.#insert(cell, path);
  }

  addFrom(codec: CellCodec<T>, from: number): void {
    const value = codec.decode(codec.take(this.region, from));
    const cell = this.#freeCell();
    const seq = this.#nextSeq();
    const path = this.#siftUpPath({ cell, seq, value });
    CellCodec.move(this.region, from, cell, seq);
    this.#decoded.set(cell, { seq, value });
    this.#insert(cell, path);
  }

  take(codec: CellCodec<T>): Raw {
    const words = this.region.words;
    const size = words[SIZE]! - 1;
    const top = this.#at(0);
    const last = this.#at(size);
    const lastEntry = this.#entry(last);
    const path: number[] = [];
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= size) break;
      if (child + 1 < size && this.#before(this.#entry(this.#at(child + 1)), this.#entry(this.#at(child)))) child++;
      if (this.#before(lastEntry, this.#entry(this.#at(child)))) break;
      path.push(child);
      hole = child;
    }
    const raw = codec.take(this.region, top);
    let to = 0;
    for (const from of path) {
      words[this.#heap(to)] = this.#at(from);
      to = from;
    }
    words[this.#heap(to)] = last;
    words[SIZE] = size;
    words[this.#spare(this.region.cells - 1 - size)] = top;
    this.#decoded.delete(top);
    return raw;
  }

  clear(codec: CellCodec<T>): Raw[] {
    const raws = this.toArray(codec);
    const words = this.region.words;
    for (let k = 0; k < words[SIZE]!; k++) words[this.#spare(this.region.cells - words[SIZE]! + k)] = this.#at(k);
    words[SIZE] = 0;
    this.#decoded.clear();
    return raws;
  }

  toArray(codec: CellCodec<T>): Raw[] {
    const cells = Array.from({ length: this.region.words[SIZE]! }, (_, k) => this.#at(k));
    const entries = cells.map((cell) => this.#entry(cell));
    entries.sort((a, b) => (this.#before(a, b) ? -1 : 1));
    return entries.map((entry) => codec.take(this.region, entry.cell));
  }

  /** Where the heap's k-th entry and the spare stack's k-th entry live. */
  #heap(k: number): number {
    return this.region.store0 + k;
  }

  #spare(k: number): number {
    return this.region.store0 + this.region.cells + k;
  }

  #at(k: number): number {
    return this.region.words[this.#heap(k)]!;
  }

  /** The top of the free-cell stack (taken for good by #insert). */
  #freeCell(): number {
    const words = this.region.words;
    return words[this.#spare(this.region.cells - 1 - words[SIZE]!)]!;
  }

  #nextSeq(): number {
    return this.region.words[SEQ]!;
  }

  #siftUpPath(entry: Entry<T>): number[] {
    const path: number[] = [];
    let hole = this.region.words[SIZE]!;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (this.#before(this.#entry(this.#at(parent)), entry)) break;
      path.push(parent);
      hole = parent;
    }
    return path;
  }

  #insert(cell: number, path: number[]): void {
    const words = this.region.words;
    let to = words[SIZE]!;
    for (const from of path) {
      words[this.#heap(to)] = this.#at(from);
      to = from;
    }
    words[this.#heap(to)] = cell;
    words[SIZE]!++;
    words[SEQ] = (words[SEQ]! + 1) | 0;
  }

  /** The item in `cell`, decoded once per thread and SEQ. */
  #entry(cell: number): Entry<T> {
    const seq = CellCodec.seq(this.region, cell);
    const known = this.#decoded.get(cell);
    if (known !== undefined && known.seq === seq) return { cell, seq, value: known.value };
    const value = this.#codec.decode(this.#codec.take(this.region, cell));
    this.#decoded.set(cell, { seq, value });
    return { cell, seq, value };
  }

  #codecRef: CellCodec<T> | undefined;
  /** Set by the queue before any use (the codec decodes items to compare them). */
  set codec(codec: CellCodec<T>) {
    this.#codecRef = codec;
  }

  get #codec(): CellCodec<T> {
    return this.#codecRef!;
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    const order = this.#compare(a.value, b.value);
    if (typeof order !== "number" || Number.isNaN(order)) throw typeError("PriorityQueue", "compare(a, b)", "a number", order);
    return order < 0 || (order === 0 && ((a.seq - b.seq) | 0) < 0);
  }
}

interface Entry<T> {
  readonly cell: number;
  readonly seq: number;
  readonly value: T;
}
