/**
 * The ticket ring itself (src/ticket-ring.ts): tickets wrap around a tiny ring and the Int32 range,
 * withdrawn slots are reused at once, a full ring refuses one more waiter, and a wake-up that never
 * arrives does not strand a waiter.
 */
import { describe, expect, it } from "vitest";
import { Event, Lock, Queue, Semaphore } from "@syncio/workers";
import { useThreads } from "./support/suite.js";
import { remoteSignal, within } from "./support/threads.js";

const threads = useThreads(4);

/** Word indices of line 0 (see the layout in ticket-ring.ts): TAIL, HEAD, LIVE, then its slots from word 16 + 4·lines. */
const TAIL = 16;
const HEAD = 17;
const SLOT0_OF_ONE_LINE = 20;
const STATE_BITS = 3;
const FREE = 0;
const WITHDRAWN = 3;

/** Every slot of a one-line primitive is FREE or WITHDRAWN: nothing is left behind in the ring. */
function slotsLeft(buffer: SharedArrayBuffer, slots: number): number[] {
  const words = new Int32Array(buffer);
  const states = Array.from({ length: slots }, (_, s) => Atomics.load(words, SLOT0_OF_ONE_LINE + 2 * s) & STATE_BITS);
  return states.filter((state) => state !== FREE && state !== WITHDRAWN);
}

describe("the ticket ring", () => {
  it("wraps around a 4-slot ring for 40 laps, serving each round in arrival order across threads", async () => {
    const lock = new Lock({ waiters: 4 });
    await lock.acquire();
    for (let round = 0; round < 40; round++) {
      const order = [(round % 4) as number, ((round + 1) % 4) as number, ((round + 2) % 4) as number, ((round + 3) % 4) as number];
      const signal = remoteSignal();
      const calls = [];
      for (const [k, t] of order.entries()) calls.push(await threads[t]!.call(lock, "acquire", [], k === 1 ? { signal } : undefined));
      // The second in line leaves: its slot is free again, the others keep their places.
      await threads[order[1]!]!.abort(signal, "leave");
      await calls[1]!.outcomeWithin();
      for (const k of [0, 2, 3]) {
        lock.release();
        await calls[k]!.outcomeWithin();
        expect(calls.map((call) => call.state)).toEqual(calls.map((_, j) => (j === 1 ? "rejected" : j <= k ? "fulfilled" : "pending")));
      }
    }
    expect(new Int32Array(lock.handle.buffer)[TAIL]).toBe(160);
    lock.release();
    expect(lock.statistics()).toEqual({ locked: false, waiters: 0 });
    expect(slotsLeft(lock.handle.buffer, 4)).toEqual([]);
  });

  it("keeps FIFO across the Int32 wrap of its ticket numbers", async () => {
    const lock = new Lock({ waiters: 4 });
    const words = new Int32Array(lock.handle.buffer);
    // As if 2³¹ − 2 tickets had been served already.
    words[TAIL] = words[HEAD] = 0x7ffffffe;
    await lock.acquire();
    const calls = [];
    for (const thread of threads) calls.push(await thread.call(lock, "acquire"));
    expect(words[TAIL]).toBe(-0x7ffffffe);
    for (let k = 0; k < 4; k++) {
      lock.release();
      await calls[k]!.outcomeWithin();
      expect(calls.map((call) => call.state)).toEqual(calls.map((_, j) => (j <= k ? "fulfilled" : "pending")));
    }
  });

  it("refuses one waiter more than it has slots with an Error naming the option, and changes nothing", async () => {
    const lock = new Lock({ waiters: 4 });
    await lock.acquire();
    const calls = [];
    for (const thread of threads) calls.push(await thread.call(lock, "acquire"));
    await expect(lock.acquire()).rejects.toThrow("Lock.acquire(): 4 callers already wait on this Lock across threads, as many as it has slots for; create it with a larger `waiters` option");
    expect(lock.statistics()).toEqual({ locked: true, waiters: 4 });
    lock.release();
    await calls[0]!.outcomeWithin();
    // The first waiter's slot is free again once its thread read the grant.
    const fifth = lock.acquire();
    expect(lock.statistics().waiters).toBe(4);
    for (const call of calls) {
      await call.outcomeWithin();
      lock.release();
    }
    await fifth;
  });

  it("reuses a withdrawn slot at once: one patient waiter and endless aborted retries never fill it", async () => {
    const lock = new Lock({ waiters: 4 });
    await lock.acquire();
    const patient = await threads[0]!.call(lock, "acquire");
    for (let retry = 0; retry < 30; retry++) {
      const signal = remoteSignal();
      const impatient = await threads[1 + (retry % 3)]!.call(lock, "acquire", [], { signal });
      expect(impatient.state).toBe("pending");
      await threads[1 + (retry % 3)]!.abort(signal, "retry later");
      expect((await impatient.outcomeWithin()).ok).toBe(false);
    }
    expect(lock.statistics().waiters).toBe(1);
    lock.release();
    expect((await patient.outcomeWithin()).ok).toBe(true);
  });

  it("skips a slot an earlier ticket still holds, and still serves in arrival order", async () => {
    const semaphore = new Semaphore(0, { waiters: 4 });
    const first = await threads[0]!.call(semaphore, "acquire");
    const leaving = [remoteSignal(), remoteSignal(), remoteSignal()];
    for (const [k, signal] of leaving.entries()) await threads[1]!.call(semaphore, "acquire", [], { signal }).then(() => threads[1]!.abort(signal, k));
    // The next ticket maps to the first waiter's slot, still held: it is skipped, not refused.
    const second = await threads[2]!.call(semaphore, "acquire");
    const third = await threads[3]!.call(semaphore, "acquire");
    expect(semaphore.statistics().waiters).toBe(3);
    semaphore.release();
    await first.outcomeWithin();
    expect([second.state, third.state]).toEqual(["pending", "pending"]);
    semaphore.release();
    await second.outcomeWithin();
    expect(third.state).toBe("pending");
    semaphore.release();
    await third.outcomeWithin();
  });

  it("settles a waiter whose wake-up never arrives (a notify lost, as Deno can lose it), by its re-check", async () => {
    const lock = new Lock();
    await lock.acquire();
    const waiting = await threads[0]!.call(lock, "acquire");
    const notify = Atomics.notify;
    Atomics.notify = () => 0;
    try {
      lock.release();
    } finally {
      Atomics.notify = notify;
    }
    expect(await within(waiting.settled, 3_000, "the re-check to find the grant")).toMatchObject({ ok: true, held: true });
  });

  it("leaves every slot free once everything settled: a queue's three lines after a busy exchange", async () => {
    const queue = new Queue<number>(2, { codec: "number", waiters: 4 });
    const getters = [];
    for (const thread of threads.slice(0, 3)) getters.push(await thread.call(queue, "get"));
    for (const item of [1, 2, 3, 4, 5]) await (await threads[3]!.call(queue, "put", [item])).outcomeWithin();
    await Promise.all(getters.map((getter) => getter.outcomeWithin()));
    const joiner = await threads[0]!.call(queue, "join");
    for (let i = 0; i < 5; i++) queue.taskDone();
    await joiner.outcomeWithin();
    expect([queue.getNowait(), queue.getNowait()]).toEqual([4, 5]);
    const words = new Int32Array(queue.handle.buffer);
    const slot0 = 16 + 4 * 3;
    const held = Array.from({ length: 3 * 4 }, (_, s) => Atomics.load(words, slot0 + 2 * s) & STATE_BITS).filter((state) => state !== FREE && state !== WITHDRAWN);
    expect(held).toEqual([]);
  });

  it("lets an Event grant a whole ring of waiters at once", async () => {
    const event = new Event({ waiters: 4 });
    const calls = [];
    for (const thread of threads) calls.push(await thread.call(event, "wait"));
    await expect(event.wait()).rejects.toThrow(/4 callers already wait on this Event/);
    event.set();
    for (const call of calls) expect((await call.outcomeWithin()).value).toBe(true);
  });
});
