/** Core's Barrier suite, translated: the parties sit in different threads. */
import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError } from "@syncio/workers";
import { useThreads } from "./support/suite.js";
import { remoteSignal } from "./support/threads.js";

const threads = useThreads(4);

describe("Barrier", () => {
  describe("new Barrier(parties)", () => {
    it("starts filling and empty", () => {
      const barrier = new Barrier(3);
      expect([barrier.parties, barrier.nWaiting, barrier.broken]).toEqual([3, 0, false]);
      expect(barrier.statistics()).toEqual({ parties: 3, state: "filling", waiters: 0 });
    });

    it.each([
      ["zero", 0, RangeError],
      ["a negative number", -1, RangeError],
      ["a fraction", 2.5, RangeError],
      ["NaN", Number.NaN, RangeError],
      ["Infinity", Infinity, RangeError],
      ["a string", "3", TypeError],
      ["nothing", undefined, TypeError],
    ])("throws on %s, naming `parties` (asyncio test_barrier_parties)", (_label, parties, errorClass) => {
      expect(() => new Barrier(parties as never)).toThrow(errorClass);
      expect(() => new Barrier(parties as never)).toThrow(/^Barrier\(\): expected `parties` to be an integer ≥ 1/);
    });

    it("has read-only parties, nWaiting and broken", () => {
      const barrier = new Barrier(2);
      expect(() => ((barrier as { parties: number }).parties = 5)).toThrow(TypeError);
      expect(() => ((barrier as { nWaiting: number }).nWaiting = 5)).toThrow(TypeError);
      expect(() => ((barrier as { broken: boolean }).broken = true)).toThrow(TypeError);
    });
  });

  describe("wait()", () => {
    it("passes at once with one party (asyncio test_filling_one_task)", async () => {
      const barrier = new Barrier(1);
      expect(await barrier.wait()).toBe(0);
      const remote = await threads[0]!.call(barrier, "wait");
      expect((await remote.outcomeWithin()).value).toBe(0);
    });

    it("blocks until the last party arrives, then releases all with their indices in arrival order (asyncio test_filling_task_by_task)", async () => {
      const barrier = new Barrier(5);
      const waiters = [];
      for (const thread of threads) {
        waiters.push(await thread.call(barrier, "wait"));
        expect(barrier.nWaiting).toBe(waiters.length);
      }
      expect(waiters.every((waiter) => waiter.state === "pending")).toBe(true);
      expect(await barrier.wait()).toBe(4);
      expect(barrier.nWaiting).toBe(0);
      const indices = await Promise.all(waiters.map(async (waiter) => (await waiter.outcomeWithin()).value));
      expect(indices).toEqual([0, 1, 2, 3]);
    });

    it("can be used round after round (asyncio test_filling_tasks_wait_twice)", async () => {
      const barrier = new Barrier(3);
      for (let round = 0; round < 3; round++) {
        const first = await threads[round % 4]!.call(barrier, "wait");
        const second = await threads[(round + 1) % 4]!.call(barrier, "wait");
        expect(await barrier.wait()).toBe(2);
        expect([(await first.outcomeWithin()).value, (await second.outcomeWithin()).value]).toEqual([0, 1]);
        expect(barrier.statistics()).toEqual({ parties: 3, state: "filling", waiters: 0 });
      }
    });

    it("starts a new round with a party that arrives right after a trip", async () => {
      const barrier = new Barrier(2);
      const round1 = await threads[0]!.call(barrier, "wait");
      const tripping = barrier.wait();
      const nextRound = await threads[1]!.call(barrier, "wait");
      expect(barrier.nWaiting).toBe(1);
      expect([(await round1.outcomeWithin()).value, await tripping]).toEqual([0, 1]);
      expect(nextRound.state).toBe("pending");
      await threads[2]!.call(barrier, "wait");
      expect((await nextRound.outcomeWithin()).value).toBe(0);
    });
  });

  describe("wait({ signal })", () => {
    it("rejects with the signal's reason and leaves the round without breaking it (asyncio test_filling_tasks_cancel_one)", async () => {
      const barrier = new Barrier(3);
      const signal = remoteSignal();
      const staying = await threads[0]!.call(barrier, "wait");
      const leaving = await threads[1]!.call(barrier, "wait", [], { signal });
      expect(barrier.nWaiting).toBe(2);
      await threads[1]!.abort(signal, "leave");
      expect(await leaving.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
      expect(barrier.nWaiting).toBe(1);
      expect(barrier.broken).toBe(false);
      expect(await threads[1]!.listeners(signal)).toBe(0);
      expect(staying.state).toBe("pending");
    });

    it("regression gh-155233: hands out unique indices in a round that a waiter left by abort", async () => {
      const barrier = new Barrier(4);
      const signal = remoteSignal();
      const first = await threads[0]!.call(barrier, "wait");
      const leaving = await threads[1]!.call(barrier, "wait", [], { signal });
      const second = await threads[2]!.call(barrier, "wait");
      await threads[1]!.abort(signal, "leave");
      await leaving.outcomeWithin();
      expect(barrier.nWaiting).toBe(2);
      const third = await threads[3]!.call(barrier, "wait");
      const last = await barrier.wait();
      const indices = [(await first.outcomeWithin()).value, (await second.outcomeWithin()).value, (await third.outcomeWithin()).value, last];
      expect(indices).toEqual([0, 1, 2, 3]);
    });

    it("regression gh-155233: hands out unique indices in a round that a waiter left by timeout", async () => {
      const barrier = new Barrier(4);
      await threads[0]!.useVirtualTime();
      const leaving = await threads[0]!.call(barrier, "wait", [], { timeout: 5 });
      const first = await threads[1]!.call(barrier, "wait");
      const second = await threads[2]!.call(barrier, "wait");
      await threads[0]!.advance(5);
      expect((await leaving.outcomeWithin()).error).toBe("TimeoutError");
      const third = await threads[3]!.call(barrier, "wait");
      const last = await barrier.wait();
      expect([(await first.outcomeWithin()).value, (await second.outcomeWithin()).value, (await third.outcomeWithin()).value, last]).toEqual([0, 1, 2, 3]);
    });

    it("rejects at once when already aborted, even as the last party, and joins nothing", async () => {
      const barrier = new Barrier(2);
      const waiting = await threads[0]!.call(barrier, "wait");
      const aborted = await threads[1]!.call(barrier, "wait", [], { signal: "aborted" });
      expect(barrier.nWaiting).toBe(1);
      expect(await aborted.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
      expect(waiting.state).toBe("pending");
      barrier.reset();
    });

    it("keeps its index when the abort comes after the trip", async () => {
      const barrier = new Barrier(2);
      const signal = remoteSignal();
      const waiting = await threads[0]!.call(barrier, "wait", [], { signal });
      await barrier.wait();
      await threads[0]!.abort(signal, "late");
      expect(await waiting.outcomeWithin()).toMatchObject({ ok: true, value: 0 });
      expect(await threads[0]!.listeners(signal)).toBe(0);
    });
  });

  describe("wait({ timeout })", () => {
    it("rejects with a TimeoutError, leaving the round, no timer and no hold", async () => {
      const barrier = new Barrier(2);
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const waiting = await thread.call(barrier, "wait", [], { timeout: 20 });
      await thread.advance(19);
      expect(barrier.nWaiting).toBe(1);
      await thread.advance(1);
      expect((await waiting.outcomeWithin()).error).toBe("TimeoutError");
      expect([barrier.nWaiting, barrier.broken]).toEqual([0, false]);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("clears its timer when the round trips", async () => {
      const barrier = new Barrier(2);
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const waiting = await thread.call(barrier, "wait", [], { timeout: 20 });
      await barrier.wait();
      expect((await waiting.outcomeWithin()).value).toBe(0);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("with timeout 0 trips as the last party, else rejects at once without joining", async () => {
      const barrier = new Barrier(2);
      const early = await threads[0]!.call(barrier, "wait", [], { timeout: 0 });
      expect(barrier.nWaiting).toBe(0);
      expect((await early.outcomeWithin()).error).toBe("TimeoutError");
      const first = await threads[1]!.call(barrier, "wait");
      expect(await barrier.wait({ timeout: 0 })).toBe(1);
      expect((await first.outcomeWithin()).value).toBe(0);
    });
  });

  describe("reset()", () => {
    it("rejects those waiting in every thread with BrokenBarrierError and returns to an empty filling state", async () => {
      const barrier = new Barrier(3);
      const waiting = [await threads[0]!.call(barrier, "wait"), await threads[1]!.call(barrier, "wait")];
      barrier.reset();
      for (const call of waiting) expect((await call.outcomeWithin()).error).toBe("BrokenBarrierError");
      expect(barrier.statistics()).toEqual({ parties: 3, state: "filling", waiters: 0 });
    });

    it("lets a new round fill after it", async () => {
      const barrier = new Barrier(2);
      const before = await threads[0]!.call(barrier, "wait");
      barrier.reset();
      expect((await before.outcomeWithin()).error).toBe("BrokenBarrierError");
      const next = await threads[1]!.call(barrier, "wait");
      expect(await barrier.wait()).toBe(1);
      expect((await next.outcomeWithin()).value).toBe(0);
    });

    it("repairs a broken barrier", async () => {
      const barrier = new Barrier(2);
      barrier.abort();
      barrier.reset();
      expect(barrier.broken).toBe(false);
      expect(await Promise.all([barrier.wait(), barrier.wait()])).toEqual([0, 1]);
    });

    it("removes the listeners and timers of the waiters it rejects", async () => {
      const barrier = new Barrier(2);
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const signal = remoteSignal();
      const waiting = await thread.call(barrier, "wait", [], { signal, timeout: 100 });
      barrier.reset();
      expect((await waiting.outcomeWithin()).error).toBe("BrokenBarrierError");
      expect(await thread.listeners(signal)).toBe(0);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });
  });

  describe("abort()", () => {
    it("rejects those waiting with BrokenBarrierError and breaks the barrier for every thread (asyncio test_abort_barrier)", async () => {
      const barrier = new Barrier(3);
      const waiting = [await threads[0]!.call(barrier, "wait"), await threads[1]!.call(barrier, "wait")];
      Barrier.from(barrier.handle).abort();
      for (const call of waiting) expect((await call.outcomeWithin()).error).toBe("BrokenBarrierError");
      expect(barrier.broken).toBe(true);
      expect(barrier.statistics()).toEqual({ parties: 3, state: "broken", waiters: 0 });
    });

    it("makes every later wait() reject with BrokenBarrierError until reset()", async () => {
      const barrier = new Barrier(1);
      barrier.abort();
      await expect(barrier.wait()).rejects.toBeInstanceOf(BrokenBarrierError);
      const remote = await threads[0]!.call(barrier, "wait");
      expect((await remote.outcomeWithin()).error).toBe("BrokenBarrierError");
      expect(barrier.nWaiting).toBe(0);
      barrier.reset();
      expect(await barrier.wait()).toBe(0);
    });
  });

  describe("statistics() and String(barrier)", () => {
    it("count the parties waiting in every thread, and give asyncio's forms (asyncio test_repr)", async () => {
      const barrier = new Barrier(3);
      expect(String(barrier)).toBe("<Barrier [filling, waiters:0/3]>");
      await threads[0]!.call(barrier, "wait");
      await threads[1]!.call(barrier, "wait");
      expect(String(barrier)).toBe("<Barrier [filling, waiters:2/3]>");
      expect(Object.isFrozen(barrier.statistics())).toBe(true);
      barrier.abort();
      expect(String(barrier)).toBe("<Barrier [broken]>");
    });
  });
});
