import type { ItemStore } from "./item-store.js";
import { Queue } from "./queue.js";

/** Last in, first out. */
class StackStore<T> implements ItemStore<T> {
  readonly #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  add(item: T): void {
    this.#items.push(item);
  }

  take(): T {
    return this.#items.pop() as T;
  }

  clear(): number {
    const count = this.#items.length;
    this.#items.length = 0;
    return count;
  }

  toArray(): T[] {
    return [...this.#items].reverse();
  }
}

/**
 * A {@link Queue} that serves the newest item first. asyncio: `asyncio.LifoQueue`.
 *
 * @example
 * ```ts
 * const stack = new LifoQueue<number>();
 * stack.putNowait(1);
 * stack.putNowait(2);
 * stack.getNowait(); // 2
 * ```
 */
export class LifoQueue<T> extends Queue<T> {
  protected override get kind(): string {
    return "LifoQueue";
  }

  protected override createStore(): ItemStore<T> {
    return new StackStore<T>();
  }
}
