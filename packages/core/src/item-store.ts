/** How a queue keeps its items; the queue variants differ only here (as in asyncio). */
export interface ItemStore<T> {
  readonly size: number;
  /** Adds an item; leaves the store unchanged if it throws. */
  add(item: T): void;
  /** Removes and returns the next item to serve; only called when size > 0. */
  take(): T;
  /** Removes every item; returns how many there were. */
  clear(): number;
  /** The items in the order they would be served. */
  toArray(): T[];
}

/** First in, first out, on a growable ring buffer (O(1) both ends, no shifting). */
export class FifoStore<T> implements ItemStore<T> {
  #items: Array<T | undefined> = new Array(8);
  /** Index of the next item to serve; capacity is always a power of two. */
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & (this.#items.length - 1)] = item;
    this.#size++;
  }

  take(): T {
    const item = this.#items[this.#head] as T;
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#size--;
    return item;
  }

  clear(): number {
    const count = this.#size;
    this.#items = new Array(8);
    this.#head = this.#size = 0;
    return count;
  }

  toArray(): T[] {
    const mask = this.#items.length - 1;
    return Array.from({ length: this.#size }, (_, i) => this.#items[(this.#head + i) & mask] as T);
  }

  #grow(): void {
    const items = this.toArray() as Array<T | undefined>;
    items.length = this.#items.length * 2;
    this.#items = items;
    this.#head = 0;
  }
}
