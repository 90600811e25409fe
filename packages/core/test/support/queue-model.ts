/**
 * A reference model of a strictly fair queue with direct hand-off, written the plainest way
 * (arrays, linear scans), for the model-based test: run the same operations on it and on a
 * real queue, and every result, size and waiter count must agree.
 */
import type { QueueKind } from "./queue-kinds.js";

/** What the model says a call returns or how it ends. */
export type Expected =
  | { readonly state: "fulfilled"; readonly value?: number }
  | { readonly state: "rejected"; readonly error: "QueueEmpty" | "QueueFull" | "aborted" }
  | { readonly state: "pending" };

export type Operation =
  | { readonly op: "putNowait"; readonly item: number }
  | { readonly op: "put"; readonly item: number }
  | { readonly op: "getNowait" }
  | { readonly op: "get" }
  | { readonly op: "abort"; readonly call: number }
  | { readonly op: "taskDone" };

export class QueueModel {
  readonly #kind: QueueKind["name"];
  readonly #maxsize: number;
  /** Items with the order they arrived in (to break ties the way the real stores do). */
  #items: Array<{ item: number; seq: number }> = [];
  #seq = 0;
  #getters: number[] = [];
  #putters: Array<{ call: number; item: number }> = [];
  unfinishedTasks = 0;
  /** Outcome of each call so far, by call number. */
  readonly expected: Expected[] = [];

  constructor(kind: QueueKind["name"], maxsize: number) {
    this.#kind = kind;
    this.#maxsize = maxsize;
  }

  get size(): number {
    return this.#items.length;
  }

  get getters(): number {
    return this.#getters.length;
  }

  get putters(): number {
    return this.#putters.length;
  }

  /** Applies `operation` as call number `call` (the index into `expected`). */
  apply(operation: Operation, call: number): void {
    switch (operation.op) {
      case "putNowait":
        this.expected[call] = this.#full() ? { state: "rejected", error: "QueueFull" } : this.#accept(operation.item);
        return;
      case "put":
        if (this.#full()) {
          this.#putters.push({ call, item: operation.item });
          this.expected[call] = { state: "pending" };
        } else {
          this.expected[call] = this.#accept(operation.item);
        }
        return;
      case "getNowait":
        this.expected[call] = this.#items.length > 0 ? { state: "fulfilled", value: this.#take() } : { state: "rejected", error: "QueueEmpty" };
        return;
      case "get":
        if (this.#items.length > 0) {
          this.expected[call] = { state: "fulfilled", value: this.#take() };
        } else {
          this.#getters.push(call);
          this.expected[call] = { state: "pending" };
        }
        return;
      case "abort": {
        // Only a call still queued can be taken back; one already handed something keeps it.
        const getter = this.#getters.indexOf(operation.call);
        const putter = this.#putters.findIndex((entry) => entry.call === operation.call);
        if (getter >= 0) this.#getters.splice(getter, 1);
        if (putter >= 0) this.#putters.splice(putter, 1);
        if (getter >= 0 || putter >= 0) this.expected[operation.call] = { state: "rejected", error: "aborted" };
        this.expected[call] = { state: "fulfilled" };
        return;
      }
      case "taskDone":
        this.expected[call] = { state: "fulfilled" };
        if (this.unfinishedTasks > 0) this.unfinishedTasks--;
        return;
    }
  }

  /** Everything left, in serve order. */
  drain(): number[] {
    const items: number[] = [];
    while (this.#items.length > 0) items.push(this.#take());
    return items;
  }

  #full(): boolean {
    return this.#maxsize > 0 && this.#items.length >= this.#maxsize;
  }

  #accept(item: number): Expected {
    const getter = this.#getters.shift();
    if (getter !== undefined) this.expected[getter] = { state: "fulfilled", value: item };
    else this.#items.push({ item, seq: this.#seq++ });
    this.unfinishedTasks++;
    return { state: "fulfilled" };
  }

  #take(): number {
    let index = 0;
    if (this.#kind === "LifoQueue") index = this.#items.length - 1;
    if (this.#kind === "PriorityQueue") {
      for (let i = 1; i < this.#items.length; i++) {
        const [best, candidate] = [this.#items[index]!, this.#items[i]!];
        if (candidate.item < best.item || (candidate.item === best.item && candidate.seq < best.seq)) index = i;
      }
    }
    const { item } = this.#items.splice(index, 1)[0]!;
    const putter = this.#putters.shift();
    if (putter !== undefined) {
      this.#items.push({ item: putter.item, seq: this.#seq++ });
      this.unfinishedTasks++;
      this.expected[putter.call] = { state: "fulfilled" };
    }
    return item;
  }
}
