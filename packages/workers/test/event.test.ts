/** Core's Event suite, translated: the waiters sit in other threads; set() wakes all of them. */
import { describe, expect, it } from "vitest";
import { flushMicrotasks, useVirtualTime } from "@syncio/core/testing";
import { Event, TimeoutError } from "@syncio/workers";
import { useThreads } from "./support/suite.js";
import { remoteSignal } from "./support/threads.js";

const threads = useThreads(4);

describe("Event", () => {
  describe("new Event()", () => {
    it("starts unset with nobody waiting", () => {
      const event = new Event();
      expect(event.isSet()).toBe(false);
      expect(event.statistics()).toEqual({ set: false, waiters: 0 });
    });
  });

  describe("set() and clear()", () => {
    it("set() sets the flag and clear() clears it, in every thread (asyncio test_clear)", async () => {
      const event = new Event();
      const there = Event.from(event.handle);
      event.set();
      expect(there.isSet()).toBe(true);
      event.set();
      there.clear();
      expect(event.isSet()).toBe(false);
      event.clear();
      expect(there.isSet()).toBe(false);
    });
  });

  describe("wait()", () => {
    it("resolves true at once when the flag is set (asyncio test_wait_on_set)", async () => {
      const event = new Event();
      event.set();
      const waiting = await threads[0]!.call(event, "wait");
      expect(await waiting.outcomeWithin()).toMatchObject({ ok: true, value: true });
    });

    it("blocks until set(), which wakes every waiter in every thread (asyncio test_wait)", async () => {
      const event = new Event();
      const waiters = [];
      for (const thread of threads.slice(0, 3)) waiters.push(await thread.call(event, "wait"));
      expect(event.statistics().waiters).toBe(3);
      expect(waiters.map((waiter) => waiter.state)).toEqual(["pending", "pending", "pending"]);
      event.set();
      expect(event.statistics().waiters).toBe(0);
      const outcomes = await Promise.all(waiters.map((waiter) => waiter.outcomeWithin()));
      expect(outcomes.map((outcome) => outcome.value)).toEqual([true, true, true]);
    });

    it("still resolves true for waiters woken by a set() that a clear() follows at once (asyncio test_clear_with_waiters)", async () => {
      const event = new Event();
      const waiting = await threads[0]!.call(event, "wait");
      event.set();
      event.clear();
      expect(event.isSet()).toBe(false);
      expect(await waiting.outcomeWithin()).toMatchObject({ ok: true, value: true });
    });

    it("blocks again after clear()", async () => {
      const event = new Event();
      event.set();
      event.clear();
      const waiting = await threads[0]!.call(event, "wait");
      expect(event.statistics().waiters).toBe(1);
      event.set();
      expect((await waiting.outcomeWithin()).value).toBe(true);
    });

    it("wakes a waiter in this thread and waiters in others with the same set()", async () => {
      const event = new Event();
      const local = event.wait();
      const remote = await threads[0]!.call(event, "wait");
      event.set();
      expect(await local).toBe(true);
      expect((await remote.outcomeWithin()).value).toBe(true);
    });
  });

  describe("wait({ signal })", () => {
    it("rejects with the signal's reason, leaving no waiter and no listener (asyncio test_wait_cancel)", async () => {
      const event = new Event();
      const signal = remoteSignal();
      const waiting = await threads[0]!.call(event, "wait", [], { signal });
      expect(await threads[0]!.listeners(signal)).toBe(1);
      await threads[0]!.abort(signal, new Error("stop"));
      expect(await waiting.outcomeWithin()).toMatchObject({ ok: false, sameReason: true, message: "stop" });
      expect(event.statistics().waiters).toBe(0);
      expect(await threads[0]!.listeners(signal)).toBe(0);
    });

    it("leaves the other waiters to be woken by set()", async () => {
      const event = new Event();
      const signal = remoteSignal();
      const aborted = await threads[0]!.call(event, "wait", [], { signal });
      const other = await threads[1]!.call(event, "wait");
      await threads[0]!.abort(signal, "leave");
      event.set();
      expect((await aborted.outcomeWithin()).ok).toBe(false);
      expect((await other.outcomeWithin()).value).toBe(true);
    });

    it("rejects at once when already aborted, even if the flag is set", async () => {
      const event = new Event();
      event.set();
      const waiting = await threads[0]!.call(event, "wait", [], { signal: "aborted" });
      expect(await waiting.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
    });

    it("resolves true when the abort comes after set(), and removes its listener", async () => {
      const event = new Event();
      const signal = remoteSignal();
      const waiting = await threads[0]!.call(event, "wait", [], { signal });
      event.set();
      await threads[0]!.abort(signal, "late");
      expect(await waiting.outcomeWithin()).toMatchObject({ ok: true, value: true });
      expect(await threads[0]!.listeners(signal)).toBe(0);
    });
  });

  describe("wait({ timeout })", () => {
    it("rejects with a TimeoutError after the timeout, leaving no waiter, no timer, no hold", async () => {
      const event = new Event();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const waiting = await thread.call(event, "wait", [], { timeout: 30 });
      await thread.advance(29);
      expect(event.statistics().waiters).toBe(1);
      await thread.advance(1);
      expect((await waiting.outcomeWithin()).error).toBe("TimeoutError");
      expect(event.statistics().waiters).toBe(0);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("clears its timer when set() wakes it", async () => {
      const event = new Event();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const waiting = await thread.call(event, "wait", [], { timeout: 30 });
      event.set();
      expect((await waiting.outcomeWithin()).value).toBe(true);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("with timeout 0 resolves if set, else rejects at once without waiting", async () => {
      using clock = useVirtualTime();
      const event = new Event();
      const unset = event.wait({ timeout: 0 });
      expect(event.statistics().waiters).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      await expect(unset).rejects.toBeInstanceOf(TimeoutError);
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

  describe("statistics() and String(event)", () => {
    it("count the waiters in every thread, and give asyncio's forms", async () => {
      const event = new Event();
      expect(String(event)).toBe("<Event [unset]>");
      await threads[0]!.call(event, "wait");
      void event.wait();
      const stats = event.statistics();
      expect(stats).toEqual({ set: false, waiters: 2 });
      expect(Object.isFrozen(stats)).toBe(true);
      expect(String(event)).toBe("<Event [unset, waiters:2]>");
      event.set();
      await flushMicrotasks();
      expect(String(event)).toBe("<Event [set]>");
    });
  });
});
