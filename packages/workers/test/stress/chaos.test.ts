/**
 * Free-running contention, no model: four threads hammer one primitive with real timeouts and
 * aborts at random moments, so grants, withdrawals and the guard race for real. Checked: never more
 * holders than permits, every item put is received exactly once and in its producer's order, and
 * afterwards nothing waits and every slot is free.
 */
import { describe, expect, it } from "vitest";
import { BoundedSemaphore, Lock, Queue, Semaphore } from "@syncio/workers";
import { useThreads } from "../support/suite.js";
import { BUDGET_MS, schedules } from "./harness.js";

const threads = useThreads(4);
const ITERATIONS = schedules(400);

function slotsHeld(buffer: SharedArrayBuffer, lines: number, slots: number): number {
  const words = new Int32Array(buffer);
  const slot0 = 16 + 4 * lines;
  let held = 0;
  for (let s = 0; s < lines * slots; s++) {
    const state = Atomics.load(words, slot0 + 2 * s) & 3;
    if (state === 1 || state === 2) held++;
  }
  return held;
}

describe.each([
  { name: "Lock", make: () => new Lock({ waiters: 16 }), permits: 1 },
  { name: "Semaphore(2)", make: () => new Semaphore(2, { waiters: 16 }), permits: 2 },
  { name: "BoundedSemaphore(3)", make: () => new BoundedSemaphore(3, { waiters: 16 }), permits: 3 },
])("$name under free-running contention from four threads", ({ make, permits }) => {
  it(`never lets more than ${permits} in, and leaves nothing behind`, { timeout: BUDGET_MS }, async () => {
    const primitive = make();
    const counters = new SharedArrayBuffer(16);
    const runs = await Promise.all(threads.map((thread, i) => thread.call(primitive, "chaosAcquire", [ITERATIONS, 17 + i * 7919, counters, permits])));
    for (const run of runs) expect(await run.outcomeWithin(BUDGET_MS)).toMatchObject({ ok: true, value: "done" });
    const [inside, violations, acquisitions, gaveUp] = new Int32Array(counters);
    expect({ inside, violations }).toEqual({ inside: 0, violations: 0 });
    expect(acquisitions! + gaveUp!).toBeGreaterThan(0);
    expect(primitive.statistics().waiters).toBe(0);
    expect(primitive.locked()).toBe(false);
    if (primitive instanceof Semaphore) expect(primitive.value).toBe(permits);
    expect(slotsHeld(primitive.handle.buffer, 1, 16)).toBe(0);
  });
});

describe("Queue(4) with two producers and two consumers in four threads", () => {
  it("delivers every item that went in exactly once, each producer's in order, and leaves nothing behind", { timeout: BUDGET_MS }, async () => {
    const queue = new Queue<number>(4, { codec: "number", waiters: 8 });
    const consumers = [await threads[2]!.call(queue, "chaosGet", [101]), await threads[3]!.call(queue, "chaosGet", [202])];
    const producers = [await threads[0]!.call(queue, "chaosPut", [ITERATIONS, 1_000_000, 303]), await threads[1]!.call(queue, "chaosPut", [ITERATIONS, 2_000_000, 404])];
    const entered = (await Promise.all(producers.map(async (producer) => (await producer.outcomeWithin(BUDGET_MS)).value as number[]))).flat();
    queue.shutdown();
    const received = await Promise.all(consumers.map(async (consumer) => (await consumer.outcomeWithin(BUDGET_MS)).value as number[]));
    const all = received.flat();
    expect(all.length).toBe(entered.length);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort((a, b) => a - b)).toEqual([...entered].sort((a, b) => a - b));
    for (const list of received) {
      for (const base of [1_000_000, 2_000_000]) {
        const mine = list.filter((item) => item >= base && item < base + 1_000_000);
        expect(mine).toEqual([...mine].sort((a, b) => a - b));
      }
    }
    expect(queue.statistics()).toMatchObject({ size: 0, getters: 0, putters: 0, unfinishedTasks: entered.length });
    expect(slotsHeld(queue.handle.buffer, 3, 8)).toBe(0);
  });
});
