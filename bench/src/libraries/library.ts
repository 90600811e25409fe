import type { Sample } from "../harness.js";

/**
 * One library, as the cases drive it. Every method runs one batch in the library's own idiom and
 * returns the timed part with a value the harness checks: critical sections run, or the sum of
 * the items received. A method is absent when the library has no such primitive.
 */
export interface Library {
  /** The package name, as in the table. */
  name: string;
  /**
   * Fewer queue items per batch than the case's count, when the library's cost per item grows
   * with the backlog (the row shows the count used).
   */
  maxItems?: number;
  /** One task: `ops` times acquire, count, release. Value: sections run. */
  lockUncontended?(ops: number): Promise<Sample>;
  /** `tasks` tasks, each `perTask` times acquire, count, release on one lock. Value: sections run. */
  lockContended?(tasks: number, perTask: number): Promise<Sample>;
  /** The same on a semaphore with `permits` permits. Value: sections run. */
  semaphore?(permits: number, tasks: number, perTask: number): Promise<Sample>;
  /**
   * One producer puts 0…items−1, one consumer gets them (`maxsize` 0: unbounded). Value: their sum.
   * The producer starts first unless `consumerFirst`: then the consumer is already waiting when
   * each item is put (a hand-off per item); else the two take turns and nobody waits.
   */
  queue?(maxsize: number, items: number, consumerFirst: boolean): Promise<Sample>;
  /** Puts 0…items−1 without waiting, then awaits a get for each. Value: their sum. */
  burst?(items: number): Promise<Sample>;
}
