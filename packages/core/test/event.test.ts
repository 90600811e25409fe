import { describe, expect, it } from "vitest";
import { Event, TimeoutError } from "syncio";
import { flushMicrotasks, useVirtualTime } from "syncio/testing";
import { countedSignal, nodeInspect, rejectionOf, track } from "./support/index.js";

const inspect = await nodeInspect();

describe("Event", () => {
  describe("new Event()", () => {
    it("starts unset with nobody waiting", () => {
      const event = new Event();
      expect(event.isSet()).toBe(false);
      expect(event.statistics()).toEqual({ set: false, waiters: 0 });
    });
  });

  describe("set() and clear()", () => {
    it("set() sets the flag and clear() clears it (asyncio test_clear)", () => {
      const event = new Event();
      event.set();
      expect(event.isSet()).toBe(true);
      event.set();
      expect(event.isSet()).toBe(true);
      event.clear();
      expect(event.isSet()).toBe(false);
      event.clear();
      expect(event.isSet()).toBe(false);
    });
  });

  describe("wait()", () => {
    it("resolves true at once when the flag is set (asyncio test_wait_on_set)", async () => {
      const event = new Event();
      event.set();
      const waiting = track(event.wait());
      await flushMicrotasks();
      expect(waiting.value).toBe(true);
    });

    it("blocks until set(), which wakes every waiter in arrival order (asyncio test_wait)", async () => {
      const event = new Event();
      const result: number[] = [];
      const waiters = [1, 2, 3].map((n) => event.wait().then((value) => value === true && result.push(n)));
      await flushMicrotasks();
      expect(result).toEqual([]);
      expect(event.statistics().waiters).toBe(3);
      event.set();
      expect(event.statistics().waiters).toBe(0);
      await Promise.all(waiters);
      expect(result).toEqual([1, 2, 3]);
    });

    it("still resolves true for waiters woken by a set() that a clear() follows at once (asyncio test_clear_with_waiters)", async () => {
      const event = new Event();
      const waiting = track(event.wait());
      event.set();
      event.clear();
      expect(event.isSet()).toBe(false);
      await flushMicrotasks();
      expect(waiting.value).toBe(true);
    });

    it("blocks again after clear()", async () => {
      const event = new Event();
      event.set();
      event.clear();
      const waiting = track(event.wait());
      await flushMicrotasks();
      expect(waiting.state).toBe("pending");
      event.set();
      await flushMicrotasks();
      expect(waiting.value).toBe(true);
    });
  });

  describe("wait({ signal })", () => {
    it("rejects with the signal's reason, leaving no waiter and no listener (asyncio test_wait_cancel)", async () => {
      const event = new Event();
      const counted = countedSignal();
      const waiting = event.wait({ signal: counted.signal });
      expect(counted.listeners).toBe(1);
      const reason = new Error("stop");
      counted.abort(reason);
      expect(await rejectionOf(waiting)).toBe(reason);
      expect(event.statistics().waiters).toBe(0);
      expect(counted.listeners).toBe(0);
    });

    it("leaves the other waiters to be woken by set()", async () => {
      const event = new Event();
      const controller = new AbortController();
      const aborted = track(event.wait({ signal: controller.signal }));
      const other = track(event.wait());
      controller.abort();
      event.set();
      await flushMicrotasks();
      expect(aborted.state).toBe("rejected");
      expect(other.value).toBe(true);
    });

    it("rejects at once when already aborted, even if the flag is set", async () => {
      const event = new Event();
      event.set();
      const counted = countedSignal();
      counted.abort("gone");
      const waiting = track(event.wait({ signal: counted.signal }));
      await flushMicrotasks();
      expect(waiting.reason).toBe("gone");
      expect(counted.added).toBe(0);
    });

    it("resolves true when the abort comes after set() in the same tick, and removes its listener", async () => {
      const event = new Event();
      const counted = countedSignal();
      const waiting = track(event.wait({ signal: counted.signal }));
      event.set();
      expect(counted.listeners).toBe(0);
      counted.abort();
      await flushMicrotasks();
      expect(waiting.value).toBe(true);
    });
  });

  describe("wait({ timeout })", () => {
    it("rejects with a TimeoutError after the timeout, leaving no waiter and no timer", async () => {
      using clock = useVirtualTime();
      const event = new Event();
      const waiting = track(event.wait({ timeout: 30 }));
      await clock.advance(29);
      expect(waiting.state).toBe("pending");
      await clock.advance(1);
      expect(waiting.reason).toBeInstanceOf(TimeoutError);
      expect(event.statistics().waiters).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });

    it("clears its timer when set() wakes it", async () => {
      using clock = useVirtualTime();
      const event = new Event();
      const waiting = event.wait({ timeout: 30 });
      event.set();
      expect(await waiting).toBe(true);
      expect(clock.pendingTimers).toBe(0);
    });

    it("with timeout 0 resolves if set, else rejects at once without waiting", async () => {
      using clock = useVirtualTime();
      const event = new Event();
      const unset = track(event.wait({ timeout: 0 }));
      expect(event.statistics().waiters).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      await clock.flush();
      expect(unset.reason).toBeInstanceOf(TimeoutError);
      event.set();
      expect(await event.wait({ timeout: 0 })).toBe(true);
    });
  });

  describe("wait() with bad options", () => {
    it.each([
      ["a string timeout", { timeout: "5" }, TypeError],
      ["a negative timeout", { timeout: -1 }, RangeError],
      ["a signal that is not an AbortSignal", { signal: "abort" }, TypeError],
    ])("throws synchronously on %s, naming Event.wait(), and queues nothing", (_label, options, errorClass) => {
      const event = new Event();
      expect(() => event.wait(options as never)).toThrow(errorClass);
      expect(() => event.wait(options as never)).toThrow(/^Event\.wait\(\): expected `options\./);
      expect(event.statistics().waiters).toBe(0);
    });
  });

  describe("statistics()", () => {
    it("is a frozen { set, waiters }", () => {
      const event = new Event();
      void event.wait();
      const stats = event.statistics();
      expect(stats).toEqual({ set: false, waiters: 1 });
      expect(Object.isFrozen(stats)).toBe(true);
    });
  });

  describe("String(event)", () => {
    it("gives asyncio's form in each state (asyncio test_repr)", () => {
      const event = new Event();
      expect(String(event)).toBe("<Event [unset]>");
      void event.wait();
      void event.wait();
      expect(String(event)).toBe("<Event [unset, waiters:2]>");
      event.set();
      expect(String(event)).toBe("<Event [set]>");
    });

    it.skipIf(inspect === undefined)("is what Node's util.inspect shows", () => {
      const event = new Event();
      void event.wait();
      expect(inspect!(event)).toBe("<Event [unset, waiters:1]>");
    });
  });
});
