import { Effect, Queue, Semaphore } from "effect";
import { startClock, type Sample } from "../harness.js";
import type { Library } from "./library.js";

/** Effect's fibers: a `Semaphore` (1 permit: its lock) and `Queue.bounded`/`unbounded`, run with `runPromise`. */
function contended(permits: number, tasks: number, perTask: number): Promise<Sample> {
  return Effect.runPromise(
    Effect.gen(function* () {
      const semaphore = yield* Semaphore.make(permits);
      let count = 0;
      const section = Semaphore.withPermits(semaphore, 1)(
        Effect.sync(() => {
          count++;
        }),
      );
      const task = Effect.gen(function* () {
        for (let i = 0; i < perTask; i++) yield* section;
      });
      const clock = startClock();
      yield* Effect.forEach(Array.from({ length: tasks }), () => task, { concurrency: "unbounded", discard: true });
      return clock.stop(count);
    }),
  );
}

export const effect: Library = {
  name: "effect",
  // Its cost per item does not grow with the count, but 1M items take up to 5 s a batch on Deno.
  maxItems: 200_000,
  lockUncontended: (ops) => contended(1, 1, ops),
  lockContended: (tasks, perTask) => contended(1, tasks, perTask),
  semaphore: (permits, tasks, perTask) => contended(permits, tasks, perTask),
  queue(maxsize, items, consumerFirst) {
    return Effect.runPromise(
      Effect.gen(function* () {
        const queue = yield* (maxsize > 0 ? Queue.bounded<number>(maxsize) : Queue.unbounded<number>());
        const producer = Effect.gen(function* () {
          for (let i = 0; i < items; i++) yield* Queue.offer(queue, i);
          return 0;
        });
        const consumer = Effect.gen(function* () {
          let sum = 0;
          for (let i = 0; i < items; i++) sum += yield* Queue.take(queue);
          return sum;
        });
        const clock = startClock();
        const sum = consumerFirst
          ? (yield* Effect.all([consumer, producer], { concurrency: 2 }))[0]
          : (yield* Effect.all([producer, consumer], { concurrency: 2 }))[1];
        return clock.stop(sum);
      }),
    );
  },
  burst(items) {
    return Effect.runPromise(
      Effect.gen(function* () {
        const queue = yield* Queue.unbounded<number>();
        const clock = startClock();
        for (let i = 0; i < items; i++) Queue.offerUnsafe(queue, i);
        let sum = 0;
        for (let i = 0; i < items; i++) sum += yield* Queue.take(queue);
        return clock.stop(sum);
      }),
    );
  },
};
