/** What the queue suites share: the three queue types with the order each serves items in. */
import { LifoQueue, PriorityQueue, Queue } from "syncio";
import type { Tracked } from "./index.js";

/** One queue type, as the shared suite sees it. */
export interface QueueKind {
  readonly name: "Queue" | "PriorityQueue" | "LifoQueue";
  create<T>(maxsize?: number): Queue<T>;
  /** The order this type serves `items` in when they were put in the order given. */
  serveOrder(items: readonly number[]): number[];
}

export const queueKinds: readonly QueueKind[] = [
  { name: "Queue", create: (maxsize) => new Queue(maxsize), serveOrder: (items) => [...items] },
  {
    name: "PriorityQueue",
    create: (maxsize) => new PriorityQueue(maxsize),
    serveOrder: (items) => [...items].sort((a, b) => a - b),
  },
  { name: "LifoQueue", create: (maxsize) => new LifoQueue(maxsize), serveOrder: (items) => [...items].reverse() },
];

/** The states of several tracked calls, for one `toEqual` over all of them. */
export function states(calls: readonly Tracked<unknown>[]): Array<Tracked<unknown>["state"]> {
  return calls.map((call) => call.state);
}

/** What `fn` throws (fails the test if it returns). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned");
}
