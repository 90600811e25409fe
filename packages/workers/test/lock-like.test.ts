/**
 * Core's lock-like suite (Lock, Semaphore(1), BoundedSemaphore(1), Condition), translated: every
 * waiter sits in a different real thread; the test thread holds and releases, and checks the shared
 * state, which a grant changes at once, before the waiter's thread has even woken.
 */
import { describe, expect, it } from "vitest";
import { flushMicrotasks, useVirtualTime } from "@syncio/core/testing";
import { TimeoutError } from "@syncio/workers";
import { lockLikes } from "./support/subjects.js";
import { useThreads } from "./support/suite.js";
import { remoteSignal } from "./support/threads.js";

const threads = useThreads(4);

describe.each(lockLikes)("$name (lock-like, each waiter in its own thread)", ({ make }) => {
  describe("acquire()", () => {
    it("resolves to a truthy handle and holds the lock", async () => {
      const { primitive } = make();
      const call = await threads[0]!.call(primitive, "acquire");
      expect(await call.outcomeWithin()).toMatchObject({ ok: true, acquired: true, held: true });
      expect(primitive.locked()).toBe(true);
    });

    it("queues while held and resolves when released", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const second = await threads[0]!.call(primitive, "acquire");
      expect(second.state).toBe("pending");
      expect(acquireWaiters()).toBe(1);
      primitive.release();
      expect(acquireWaiters()).toBe(0);
      expect(primitive.locked()).toBe(true);
      expect(await second.outcomeWithin()).toMatchObject({ ok: true, held: true });
    });

    it("serves waiters in arrival order, one thread after another", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const calls = [];
      for (const thread of threads) calls.push(await thread.call(primitive, "acquire"));
      expect(acquireWaiters()).toBe(4);
      for (let i = 0; i < 4; i++) {
        primitive.release();
        expect(acquireWaiters()).toBe(3 - i);
        await calls[i]!.outcomeWithin();
        expect(calls.map((call) => call.state)).toEqual(calls.map((_, k) => (k <= i ? "fulfilled" : "pending")));
      }
    });

    it("hands the lock straight to the first waiter, so a newcomer cannot barge in", async () => {
      const { primitive, acquireWaiters, tryAcquire } = make();
      await primitive.acquire();
      const first = await threads[0]!.call(primitive, "acquire");
      primitive.release();
      // The first waiter's thread may not have woken yet, but the lock is already its own.
      expect(primitive.locked()).toBe(true);
      expect(tryAcquire?.() ?? null).toBe(null);
      const newcomer = await threads[1]!.call(primitive, "acquire");
      expect(acquireWaiters()).toBe(1);
      await first.outcomeWithin();
      expect(newcomer.state).toBe("pending");
      await threads[0]!.callOn(first, "release");
      expect(await newcomer.outcomeWithin()).toMatchObject({ ok: true });
    });

    it("lets a queued waiter go first even when a newcomer arrives before the holder releases", async () => {
      const { primitive, acquireWaiters } = make();
      const holder = await primitive.acquire();
      const queued = await threads[0]!.call(primitive, "acquire");
      const newcomer = await threads[1]!.call(primitive, "acquire");
      holder.release();
      expect(acquireWaiters()).toBe(1);
      await queued.outcomeWithin();
      expect(newcomer.state).toBe("pending");
      await threads[0]!.callOn(queued, "release");
      await newcomer.outcomeWithin();
      expect(newcomer.state).toBe("fulfilled");
    });
  });

  describe("acquire({ signal })", () => {
    it("rejects with the signal's reason, unchanged", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const signal = remoteSignal();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal });
      await threads[0]!.abort(signal, { why: "stop" });
      expect(await acquiring.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
    });

    it("rejects with a reason that is not an Error, unchanged", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const signal = remoteSignal();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal });
      await threads[0]!.abort(signal, "just a string");
      expect(await acquiring.outcomeWithin()).toMatchObject({ ok: false, sameReason: true, value: "just a string" });
    });

    it("leaves no trace when aborted: no waiter, no listener on the signal", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const signal = remoteSignal();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal });
      expect(await threads[0]!.listeners(signal)).toBe(1);
      expect(acquireWaiters()).toBe(1);
      await threads[0]!.abort(signal, "stop");
      expect(acquireWaiters()).toBe(0);
      expect(await threads[0]!.listeners(signal)).toBe(0);
      expect((await acquiring.outcomeWithin()).ok).toBe(false);
      expect(primitive.statistics().waiters).toBe(0);
    });

    it("passes the lock over an aborted waiter to the next one in line", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const signal = remoteSignal();
      const first = await threads[0]!.call(primitive, "acquire");
      const aborted = await threads[1]!.call(primitive, "acquire", [], { signal });
      const third = await threads[2]!.call(primitive, "acquire");
      await threads[1]!.abort(signal, "leave");
      primitive.release();
      await first.outcomeWithin();
      await aborted.outcomeWithin();
      expect([first.state, aborted.state, third.state]).toEqual(["fulfilled", "rejected", "pending"]);
      expect(acquireWaiters()).toBe(1);
      primitive.release();
      await third.outcomeWithin();
      expect(third.state).toBe("fulfilled");
    });

    it("rejects at once when already aborted, and takes nothing even if the lock is free", async () => {
      const { primitive, acquireWaiters } = make();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal: "aborted" });
      expect(primitive.locked()).toBe(false);
      expect(acquireWaiters()).toBe(0);
      expect(await acquiring.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
      expect(primitive.locked()).toBe(false);
    });

    it("rejects at once when already aborted while the lock is held, without queuing", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal: "aborted" });
      expect(acquireWaiters()).toBe(0);
      expect(await acquiring.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
    });

    it("keeps the lock it was handed when the abort comes after the hand-off, even before its thread woke", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const signal = remoteSignal();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal });
      primitive.release();
      await threads[0]!.abort(signal, "too late");
      expect(await acquiring.outcomeWithin()).toMatchObject({ ok: true, held: true });
      expect(primitive.locked()).toBe(true);
      expect(acquireWaiters()).toBe(0);
      expect(await threads[0]!.listeners(signal)).toBe(0);
      await threads[0]!.callOn(acquiring, "release");
      expect(primitive.locked()).toBe(false);
    });

    it("removes its abort listener once it resolves", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const signal = remoteSignal();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal });
      primitive.release();
      await acquiring.outcomeWithin();
      expect(await threads[0]!.listeners(signal)).toBe(0);
    });

    it("adds no listener when the lock is free", async () => {
      const { primitive } = make();
      const signal = remoteSignal();
      const acquiring = await threads[0]!.call(primitive, "acquire", [], { signal });
      await acquiring.outcomeWithin();
      expect(await threads[0]!.listeners(signal)).toBe(0);
    });

    it("rejects every waiter sharing one signal, each with its reason", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const signal = remoteSignal();
      const waiters = [];
      for (let i = 0; i < 3; i++) waiters.push(await threads[0]!.call(primitive, "acquire", [], { signal }));
      await threads[0]!.abort(signal, "all");
      const outcomes = await Promise.all(waiters.map((waiter) => waiter.outcomeWithin()));
      expect(outcomes.map((outcome) => outcome.sameReason)).toEqual([true, true, true]);
      expect(acquireWaiters()).toBe(0);
      expect(await threads[0]!.listeners(signal)).toBe(0);
    });
  });

  describe("acquire({ timeout })", () => {
    it("rejects with a TimeoutError once the timeout elapses on its thread's clock, not before", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const acquiring = await thread.call(primitive, "acquire", [], { timeout: 100 });
      await thread.advance(99);
      expect(acquiring.state).toBe("pending");
      expect(acquireWaiters()).toBe(1);
      await thread.advance(1);
      expect(acquireWaiters()).toBe(0);
      expect(await acquiring.outcomeWithin()).toMatchObject({ ok: false, error: "TimeoutError" });
    });

    it("leaves no trace when timed out: no waiter, no timer, no listener, no hold on the thread", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const signal = remoteSignal();
      const acquiring = await thread.call(primitive, "acquire", [], { timeout: 50, signal });
      expect(await thread.clock()).toEqual({ pendingTimers: 1, pendingHolds: 1 });
      await thread.advance(50);
      expect((await acquiring.outcomeWithin()).error).toBe("TimeoutError");
      expect(acquireWaiters()).toBe(0);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
      expect(await thread.listeners(signal)).toBe(0);
    });

    it("clears its timer and its hold once it resolves", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const acquiring = await thread.call(primitive, "acquire", [], { timeout: 1000 });
      primitive.release();
      await acquiring.outcomeWithin();
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("passes the lock over a timed-out waiter to the next one", async () => {
      const { primitive } = make();
      await primitive.acquire();
      await threads[0]!.useVirtualTime();
      const impatient = await threads[0]!.call(primitive, "acquire", [], { timeout: 10 });
      const patient = await threads[1]!.call(primitive, "acquire");
      await threads[0]!.advance(10);
      primitive.release();
      expect((await impatient.outcomeWithin()).error).toBe("TimeoutError");
      expect((await patient.outcomeWithin()).ok).toBe(true);
    });

    it("takes a free lock with timeout 0", async () => {
      const { primitive } = make();
      const call = await threads[0]!.call(primitive, "acquire", [], { timeout: 0 });
      expect(await call.outcomeWithin()).toMatchObject({ ok: true, held: true });
      expect(primitive.locked()).toBe(true);
    });

    it("rejects at once with timeout 0 when held, without queuing or arming a timer", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      await threads[0]!.useVirtualTime();
      const call = await threads[0]!.call(primitive, "acquire", [], { timeout: 0 });
      expect(acquireWaiters()).toBe(0);
      expect(await threads[0]!.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
      expect((await call.outcomeWithin()).error).toBe("TimeoutError");
    });

    it("rejects with timeout 0 when the lock is free but a waiter in another thread was handed it", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const first = await threads[0]!.call(primitive, "acquire");
      primitive.release();
      await expect(primitive.acquire({ timeout: 0 })).rejects.toBeInstanceOf(TimeoutError);
      await first.outcomeWithin();
    });

    it("waits without a timer when the timeout is Infinity", async () => {
      const { primitive } = make();
      await primitive.acquire();
      await threads[0]!.useVirtualTime();
      const call = await threads[0]!.call(primitive, "acquire", [], { timeout: Infinity });
      expect((await threads[0]!.clock()).pendingTimers).toBe(0);
      await threads[0]!.advance(2 ** 40);
      expect(call.state).toBe("pending");
      primitive.release();
      expect((await call.outcomeWithin()).ok).toBe(true);
    });
  });

  describe("acquire() with bad options", () => {
    it.each([
      ["a string timeout", { timeout: "10" }, TypeError],
      ["a negative timeout", { timeout: -1 }, RangeError],
      ["a NaN timeout", { timeout: Number.NaN }, RangeError],
      ["a signal that is not an AbortSignal", { signal: {} }, TypeError],
      ["options that are not an object", 5, TypeError],
      ["null options", null, TypeError],
      ["an AbortSignal in place of the options", AbortSignal.abort(), TypeError],
      ["an unknown option key", { timout: 10 }, TypeError],
    ])("throws synchronously on %s and changes nothing", async (_label, options, errorClass) => {
      const { primitive, acquireWaiters } = make();
      expect(() => primitive.acquire(options as never)).toThrow(errorClass);
      expect(primitive.locked()).toBe(false);
      await primitive.acquire();
      expect(() => primitive.acquire(options as never)).toThrow(errorClass);
      expect(acquireWaiters()).toBe(0);
    });

    it("names the call and the argument in the message", () => {
      const { primitive } = make();
      expect(() => primitive.acquire({ timeout: -5 })).toThrow(/acquire\(\).*`options\.timeout`.*-5/);
    });
  });

  describe("the handle", () => {
    it("releases once on dispose; a second dispose is a no-op", async () => {
      const { primitive } = make();
      const first = await threads[0]!.call(primitive, "acquire");
      await first.outcomeWithin();
      const next = await threads[1]!.call(primitive, "acquire");
      await threads[0]!.callOn(first, "dispose");
      await next.outcomeWithin();
      expect(next.state).toBe("fulfilled");
      const again = await threads[0]!.callOn(first, "dispose");
      expect((await again.outcomeWithin()).ok).toBe(true);
      await threads[0]!.callOn(first, "release");
      // Still held by the next waiter: the stale handle released nothing more.
      expect(primitive.locked()).toBe(true);
      await threads[1]!.callOn(next, "release");
      expect(primitive.locked()).toBe(false);
    });

    it("releases on Symbol.asyncDispose too, once", async () => {
      const { primitive } = make();
      const handle = await primitive.acquire();
      await handle[Symbol.asyncDispose]();
      expect(primitive.locked()).toBe(false);
      const other = await threads[0]!.call(primitive, "acquire");
      await other.outcomeWithin();
      await handle[Symbol.asyncDispose]();
      expect(primitive.locked()).toBe(true);
      await threads[0]!.callOn(other, "release");
      expect(primitive.locked()).toBe(false);
    });

    it("releases at the end of a `using` block", async () => {
      const { primitive } = make();
      {
        using _held = await primitive.acquire();
        expect(primitive.locked()).toBe(true);
      }
      expect(primitive.locked()).toBe(false);
    });

    it("releases when a `using` block throws", async () => {
      const { primitive } = make();
      const failing = async () => {
        using _held = await primitive.acquire();
        throw new Error("inside");
      };
      await expect(failing()).rejects.toThrow("inside");
      expect(primitive.locked()).toBe(false);
    });

    it("is handed, not a new one made, to a waiter: releasing it in its thread serves the next thread", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const first = await threads[0]!.call(primitive, "acquire");
      const second = await threads[1]!.call(primitive, "acquire");
      primitive.release();
      await first.outcomeWithin();
      expect(second.state).toBe("pending");
      await threads[0]!.callOn(first, "release");
      await second.outcomeWithin();
      await threads[1]!.callOn(second, "release");
      expect(primitive.locked()).toBe(false);
    });
  });

  describe("run(fn)", () => {
    it("holds the primitive while fn runs, releases after, and resolves with fn's result", async () => {
      const { primitive } = make();
      const run = (primitive as unknown as { run<R>(fn: () => Promise<R>): Promise<R> }).run.bind(primitive);
      let heldInside = false;
      const result = await run(async () => {
        await flushMicrotasks();
        heldInside = primitive.locked();
        return 42;
      });
      expect(result).toBe(42);
      expect(heldInside).toBe(true);
      expect(primitive.locked()).toBe(false);
    });

    it("releases when fn rejects, and rejects with fn's error", async () => {
      const { primitive } = make();
      const run = (primitive as unknown as { run(fn: () => Promise<never>): Promise<never> }).run.bind(primitive);
      await expect(run(() => Promise.reject(new Error("failed inside")))).rejects.toThrow("failed inside");
      expect(primitive.locked()).toBe(false);
    });

    it("waits its turn behind a waiter in another thread, with the usual timeout", async () => {
      using clock = useVirtualTime();
      const { primitive } = make();
      await primitive.acquire();
      const queued = await threads[0]!.call(primitive, "acquire");
      const run = (primitive as unknown as { run(fn: () => number, options: object): Promise<number> }).run.bind(primitive);
      const late = run(() => 1, { timeout: 20 });
      const rejected = expect(late).rejects.toBeInstanceOf(TimeoutError);
      await clock.advance(20);
      await rejected;
      primitive.release();
      expect((await queued.outcomeWithin()).ok).toBe(true);
    });
  });

  describe("statistics()", () => {
    it("is a frozen plain object", () => {
      const { primitive } = make();
      const stats = primitive.statistics();
      expect(Object.isFrozen(stats)).toBe(true);
      expect(Object.getPrototypeOf(stats)).toBe(Object.prototype);
    });
  });
});
