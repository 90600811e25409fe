/** The three shared queue types with the order each serves items in (as core's suite). */
import { LifoQueue, PriorityQueue, Queue, type QueueOptions } from "@syncio/workers";

export interface QueueKind {
  readonly name: "Queue" | "PriorityQueue" | "LifoQueue";
  create<T>(maxsize?: number, options?: QueueOptions<T>): Queue<T>;
  /** The order this type serves `items` in when they were put in the order given. */
  serveOrder(items: readonly number[]): number[];
}

export const queueKinds: readonly QueueKind[] = [
  { name: "Queue", create: (maxsize, options) => new Queue(maxsize, options), serveOrder: (items) => [...items] },
  { name: "PriorityQueue", create: (maxsize, options) => new PriorityQueue(maxsize, undefined, options), serveOrder: (items) => [...items].sort((a, b) => a - b) },
  { name: "LifoQueue", create: (maxsize, options) => new LifoQueue(maxsize, options), serveOrder: (items) => [...items].reverse() },
];
