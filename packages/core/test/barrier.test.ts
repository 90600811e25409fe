import { describe, expect, it } from "vitest";
import { Barrier, BrokenBarrierError, TimeoutError } from "syncio";
import { flushMicrotasks, useVirtualTime } from "syncio/testing";
import { countedSignal, nodeInspect, rejectionOf, track } from "./support/index.js";

const inspect = await nodeInspect();

describe("Barrier", () => {
  describe("new Barrier(parties)", () => {
    it("starts filling and empty", () => {
      const barrier = new Barrier(3);
      expect(barrier.parties).toBe(3);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
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
      expect(await barrier.wait()).toBe(0);
    });

    it("blocks until the last party arrives, then releases all with unique indices (asyncio test_filling_task_by_task)", async () => {
      const barrier = new Barrier(3);
      const first = track(barrier.wait());
      expect(barrier.nWaiting).toBe(1);
      const second = track(barrier.wait());
      expect(barrier.nWaiting).toBe(2);
      await flushMicrotasks();
      expect([first.state, second.state]).toEqual(["pending", "pending"]);
      const last = track(barrier.wait());
      expect(barrier.nWaiting).toBe(0);
      await flushMicrotasks();
      expect([first.value, second.value, last.value]).toEqual([0, 1, 2]);
    });

    it("gives the last arrival index parties-1", async () => {
      const barrier = new Barrier(4);
      const others = [barrier.wait(), barrier.wait(), barrier.wait()];
      expect(await barrier.wait()).toBe(3);
      expect((await Promise.all(others)).sort()).toEqual([0, 1, 2]);
    });

    it("can be used round after round (asyncio test_filling_tasks_wait_twice)", async () => {
      const barrier = new Barrier(2);
      for (let round = 0; round < 3; round++) {
        const indices = await Promise.all([barrier.wait(), barrier.wait()]);
        expect(indices).toEqual([0, 1]);
        expect(barrier.statistics()).toEqual({ parties: 2, state: "filling", waiters: 0 });
      }
    });

    it("starts a new round with a party that arrives right after a trip", async () => {
      const barrier = new Barrier(2);
      const round1 = [track(barrier.wait()), track(barrier.wait())];
      const nextRound = track(barrier.wait());
      expect(barrier.nWaiting).toBe(1);
      await flushMicrotasks();
      expect(round1.map((call) => call.value)).toEqual([0, 1]);
      expect(nextRound.state).toBe("pending");
      barrier.wait();
      await flushMicrotasks();
      expect(nextRound.value).toBe(0);
    });
  });

  describe("wait({ signal })", () => {
    it("rejects with the signal's reason and leaves the round without breaking it (asyncio test_filling_tasks_cancel_one)", async () => {
      const barrier = new Barrier(3);
      const counted = countedSignal();
      const staying = track(barrier.wait());
      const leaving = barrier.wait({ signal: counted.signal });
      expect(barrier.nWaiting).toBe(2);
      counted.abort("leave");
      expect(await rejectionOf(leaving)).toBe("leave");
      expect(barrier.nWaiting).toBe(1);
      expect(barrier.broken).toBe(false);
      expect(counted.listeners).toBe(0);
      expect(staying.state).toBe("pending");
    });

    it("regression gh-155233: hands out unique indices in a round that a waiter left by abort", async () => {
      const barrier = new Barrier(4);
      const controller = new AbortController();
      const first = barrier.wait();
      // Not the latest arrival: asyncio's arrival counter then gives the next arrival a taken index.
      const leaving = barrier.wait({ signal: controller.signal }).catch(() => "left");
      const second = barrier.wait();
      controller.abort();
      expect(await leaving).toBe("left");
      expect(barrier.nWaiting).toBe(2);
      const indices = await Promise.all([first, second, barrier.wait(), barrier.wait()]);
      expect(indices).toEqual([0, 1, 2, 3]);
    });

    it("regression gh-155233: hands out unique indices in a round that a waiter left by timeout", async () => {
      using clock = useVirtualTime();
      const barrier = new Barrier(4);
      const leaving = track(barrier.wait({ timeout: 5 }));
      const first = track(barrier.wait());
      const second = track(barrier.wait());
      await clock.advance(5);
      expect(leaving.reason).toBeInstanceOf(TimeoutError);
      const third = track(barrier.wait());
      const last = track(barrier.wait());
      await clock.flush();
      const indices = [first.value, second.value, third.value, last.value];
      expect(indices).toEqual([0, 1, 2, 3]);
    });

    it("rejects at once when already aborted, even as the last party, and joins nothing", async () => {
      const barrier = new Barrier(2);
      const waiting = track(barrier.wait());
      const counted = countedSignal();
      counted.abort("no");
      const aborted = track(barrier.wait({ signal: counted.signal }));
      expect(barrier.nWaiting).toBe(1);
      expect(counted.added).toBe(0);
      await flushMicrotasks();
      expect(aborted.reason).toBe("no");
      expect(waiting.state).toBe("pending");
    });

    it("keeps its index when the abort comes after the trip", async () => {
      const barrier = new Barrier(2);
      const counted = countedSignal();
      const waiting = track(barrier.wait({ signal: counted.signal }));
      void barrier.wait();
      counted.abort();
      await flushMicrotasks();
      expect(waiting.value).toBe(0);
      expect(counted.listeners).toBe(0);
    });
  });

  describe("wait({ timeout })", () => {
    it("rejects with a TimeoutError, leaving the round and no timer", async () => {
      using clock = useVirtualTime();
      const barrier = new Barrier(2);
      const waiting = track(barrier.wait({ timeout: 20 }));
      await clock.advance(19);
      expect(waiting.state).toBe("pending");
      await clock.advance(1);
      expect(waiting.reason).toBeInstanceOf(TimeoutError);
      expect(barrier.nWaiting).toBe(0);
      expect(barrier.broken).toBe(false);
      expect(clock.pendingTimers).toBe(0);
    });

    it("clears its timer when the round trips", async () => {
      using clock = useVirtualTime();
      const barrier = new Barrier(2);
      const waiting = barrier.wait({ timeout: 20 });
      await barrier.wait();
      expect(await waiting).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });

    it("with timeout 0 trips as the last party, else rejects at once without joining", async () => {
      using clock = useVirtualTime();
      const barrier = new Barrier(2);
      const early = track(barrier.wait({ timeout: 0 }));
      expect(barrier.nWaiting).toBe(0);
      await clock.flush();
      expect(early.reason).toBeInstanceOf(TimeoutError);
      const first = barrier.wait();
      expect(await barrier.wait({ timeout: 0 })).toBe(1);
      expect(await first).toBe(0);
    });
  });

  describe("reset()", () => {
    it("rejects those waiting with BrokenBarrierError and returns to an empty filling state (asyncio test_reset_barrier_while_tasks_waiting)", async () => {
      const barrier = new Barrier(3);
      const waiting = [track(barrier.wait()), track(barrier.wait())];
      barrier.reset();
      await flushMicrotasks();
      for (const call of waiting) expect(call.reason).toBeInstanceOf(BrokenBarrierError);
      expect(barrier.statistics()).toEqual({ parties: 3, state: "filling", waiters: 0 });
      expect(barrier.broken).toBe(false);
    });

    it("lets a new round fill after it (asyncio test_reset_barrier_while_tasks_waiting_and_waiting_again)", async () => {
      const barrier = new Barrier(2);
      const before = barrier.wait().catch((error: unknown) => error);
      barrier.reset();
      expect(await before).toBeInstanceOf(BrokenBarrierError);
      expect(await Promise.all([barrier.wait(), barrier.wait()])).toEqual([0, 1]);
    });

    it("does nothing to an empty barrier (asyncio test_reset_barrier)", () => {
      const barrier = new Barrier(2);
      barrier.reset();
      expect(barrier.statistics()).toEqual({ parties: 2, state: "filling", waiters: 0 });
    });

    it("repairs a broken barrier", async () => {
      const barrier = new Barrier(2);
      barrier.abort();
      barrier.reset();
      expect(barrier.broken).toBe(false);
      expect(await Promise.all([barrier.wait(), barrier.wait()])).toEqual([0, 1]);
    });

    it("removes the listeners and timers of the waiters it rejects", async () => {
      using clock = useVirtualTime();
      const barrier = new Barrier(2);
      const counted = countedSignal();
      const waiting = track(barrier.wait({ signal: counted.signal, timeout: 100 }));
      barrier.reset();
      await clock.flush();
      expect(waiting.reason).toBeInstanceOf(BrokenBarrierError);
      expect(counted.listeners).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe("abort()", () => {
    it("rejects those waiting with BrokenBarrierError and breaks the barrier (asyncio test_abort_barrier)", async () => {
      const barrier = new Barrier(3);
      const waiting = [track(barrier.wait()), track(barrier.wait())];
      barrier.abort();
      await flushMicrotasks();
      for (const call of waiting) expect(call.reason).toBeInstanceOf(BrokenBarrierError);
      expect(barrier.broken).toBe(true);
      expect(barrier.statistics()).toEqual({ parties: 3, state: "broken", waiters: 0 });
    });

    it("makes every later wait() reject with BrokenBarrierError until reset()", async () => {
      const barrier = new Barrier(1);
      barrier.abort();
      await expect(barrier.wait()).rejects.toBeInstanceOf(BrokenBarrierError);
      await expect(barrier.wait({ timeout: 0 })).rejects.toBeInstanceOf(BrokenBarrierError);
      expect(barrier.nWaiting).toBe(0);
      barrier.reset();
      expect(await barrier.wait()).toBe(0);
    });

    it("can be called twice", () => {
      const barrier = new Barrier(2);
      barrier.abort();
      barrier.abort();
      expect(barrier.broken).toBe(true);
    });
  });

  describe("wait() with bad options", () => {
    it.each([
      ["a string timeout", { timeout: "1" }, TypeError],
      ["a NaN timeout", { timeout: Number.NaN }, RangeError],
      ["a signal that is not an AbortSignal", { signal: 1 }, TypeError],
    ])("throws synchronously on %s, naming Barrier.wait(), and joins nothing", (_label, options, errorClass) => {
      const barrier = new Barrier(1);
      expect(() => barrier.wait(options as never)).toThrow(errorClass);
      expect(() => barrier.wait(options as never)).toThrow(/^Barrier\.wait\(\): expected `options\./);
      expect(barrier.nWaiting).toBe(0);
    });
  });

  describe("statistics()", () => {
    it("is a frozen { parties, state, waiters }", () => {
      const barrier = new Barrier(3);
      void barrier.wait();
      const stats = barrier.statistics();
      expect(stats).toEqual({ parties: 3, state: "filling", waiters: 1 });
      expect(Object.isFrozen(stats)).toBe(true);
    });
  });

  describe("String(barrier)", () => {
    it("gives asyncio's form in each state (asyncio test_repr)", () => {
      const barrier = new Barrier(3);
      expect(String(barrier)).toBe("<Barrier [filling, waiters:0/3]>");
      track(barrier.wait());
      track(barrier.wait());
      expect(String(barrier)).toBe("<Barrier [filling, waiters:2/3]>");
      barrier.abort();
      expect(String(barrier)).toBe("<Barrier [broken]>");
    });

    it.skipIf(inspect === undefined)("is what Node's util.inspect shows", () => {
      const barrier = new Barrier(2);
      void barrier.wait();
      expect(inspect!(barrier)).toBe("<Barrier [filling, waiters:1/2]>");
    });
  });
});
