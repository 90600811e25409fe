/**
 * Core's Condition suite, translated: each waiter is a task in its own thread that takes the
 * condition, waits, notes whether it held the lock when the wait settled, and releases
 * (core's startWaiter, as the thread's "waitHoldingLock" scenario).
 */
import { describe, expect, it } from "vitest";
import { useVirtualTime } from "@syncio/core/testing";
import { Lock as CoreLock } from "@syncio/core";
import { Condition, Lock, TimeoutError } from "@syncio/workers";
import { useThreads } from "./support/suite.js";
import { remoteSignal, until, type RemoteCall, type RemoteSignal, type Thread } from "./support/threads.js";

const threads = useThreads(4);

interface Outcome {
  settled: "resolved" | "rejected";
  reason?: string;
  heldLockOnSettle: boolean;
}

/** A waiter in `thread`; resolves once it waits for a notification (the lock is free again then). */
function startWaiter(thread: Thread, condition: Condition, options?: { signal?: RemoteSignal; timeout?: number }): Promise<RemoteCall> {
  return thread.call(condition, "waitHoldingLock", [], options);
}

async function outcomeOf(call: RemoteCall): Promise<Outcome> {
  return (await call.outcomeWithin()).value as Outcome;
}

describe("Condition", () => {
  describe("constructor", () => {
    it("makes its own lock by default", () => {
      expect(new Condition().locked()).toBe(false);
    });

    it("uses the lock it is given, which other conditions may share", async () => {
      const lock = new Lock();
      const first = new Condition(lock);
      const second = new Condition(lock);
      await first.acquire();
      expect([lock.locked(), second.locked()]).toEqual([true, true]);
      second.release();
      expect(lock.locked()).toBe(false);
    });

    it.each([
      ["an object", {}],
      ["null", null],
      ["a Condition", new Condition()],
      ["a Lock of @syncio/core (not shared)", new CoreLock()],
    ])("throws a TypeError naming `lock` when given %s", (_label, lock) => {
      expect(() => new Condition(lock as never)).toThrow(TypeError);
      expect(() => new Condition(lock as never)).toThrow(/^Condition\(\): expected `lock`/);
    });
  });

  describe("wait()", () => {
    it("releases the lock, waits for a notification, and resolves true holding the lock again (asyncio test_wait)", async () => {
      const condition = new Condition();
      const waiters = [];
      for (const thread of threads.slice(0, 3)) waiters.push(await startWaiter(thread, condition));
      expect(condition.statistics()).toEqual({ locked: false, waiters: 3 });
      await condition.acquire();
      condition.notify();
      expect(condition.statistics().waiters).toBe(2);
      condition.release();
      expect(await outcomeOf(waiters[0]!)).toEqual({ settled: "resolved", heldLockOnSettle: true });
      await condition.acquire();
      condition.notify(2);
      condition.release();
      const rest = await Promise.all(waiters.slice(1).map(outcomeOf));
      expect(rest).toEqual([
        { settled: "resolved", heldLockOnSettle: true },
        { settled: "resolved", heldLockOnSettle: true },
      ]);
      await until(() => !condition.locked(), "the last waiter to release the lock");
    });

    it("throws an Error at once when the lock is not held, and changes nothing", () => {
      const condition = new Condition();
      expect(() => condition.wait()).toThrow(/^Condition\.wait\(\) called without holding the lock/);
      expect(condition.statistics()).toEqual({ locked: false, waiters: 0 });
    });

    it("checks its options before it releases anything", async () => {
      const condition = new Condition();
      await condition.acquire();
      expect(() => condition.wait({ timeout: -1 })).toThrow(RangeError);
      expect(() => condition.wait({ timeout: "1" as never })).toThrow(TypeError);
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
    });
  });

  describe("wait({ signal })", () => {
    it("rejects with the signal's reason, holding the lock again, leaving no waiter and no listener (asyncio test_wait_cancel)", async () => {
      const condition = new Condition();
      const signal = remoteSignal();
      const waiter = await startWaiter(threads[0]!, condition, { signal });
      expect(condition.statistics()).toEqual({ locked: false, waiters: 1 });
      expect(await threads[0]!.listeners(signal)).toBe(1);
      await threads[0]!.abort(signal, "stop");
      expect(await outcomeOf(waiter)).toEqual({ settled: "rejected", reason: "stop", heldLockOnSettle: true });
      expect(condition.statistics()).toEqual({ locked: false, waiters: 0 });
      expect(await threads[0]!.listeners(signal)).toBe(0);
    });

    it("rejects only once it has re-taken a contested lock (asyncio test_wait_cancel_contested)", async () => {
      const lock = new Lock();
      const condition = new Condition(lock);
      const signal = remoteSignal();
      const waiter = await startWaiter(threads[0]!, condition, { signal });
      await condition.acquire();
      await threads[0]!.abort(signal, "stop");
      expect(condition.statistics().waiters).toBe(0);
      // It queues on the lock, which this thread holds.
      expect(lock.statistics().waiters).toBe(1);
      expect(waiter.state).toBe("pending");
      condition.release();
      expect(await outcomeOf(waiter)).toMatchObject({ settled: "rejected", heldLockOnSettle: true });
    });

    it("passes a notification on when the notified waiter is aborted before it re-takes the lock", async () => {
      const condition = new Condition();
      const signal = remoteSignal();
      const aborted = await startWaiter(threads[0]!, condition, { signal });
      const other = await startWaiter(threads[1]!, condition);
      await condition.acquire();
      condition.notify(1);
      expect(condition.statistics().waiters).toBe(1);
      await threads[0]!.abort(signal, "late");
      // The notification went on to the other waiter.
      expect(condition.statistics().waiters).toBe(0);
      condition.release();
      expect(await outcomeOf(aborted)).toEqual({ settled: "rejected", reason: "late", heldLockOnSettle: true });
      expect(await outcomeOf(other)).toEqual({ settled: "resolved", heldLockOnSettle: true });
    });

    it("does not pass a notification on when aborted before being notified", async () => {
      const condition = new Condition();
      const signal = remoteSignal();
      const aborted = await startWaiter(threads[0]!, condition, { signal });
      const other = await startWaiter(threads[1]!, condition);
      await threads[0]!.abort(signal, "leave");
      expect((await outcomeOf(aborted)).settled).toBe("rejected");
      expect(other.state).toBe("pending");
      expect(condition.statistics().waiters).toBe(1);
    });

    it("resolves, keeping its notification, when the abort comes after it settled", async () => {
      const condition = new Condition();
      const signal = remoteSignal();
      const waiter = await startWaiter(threads[0]!, condition, { signal });
      await condition.acquire();
      condition.notify();
      condition.release();
      expect((await outcomeOf(waiter)).settled).toBe("resolved");
      expect(await threads[0]!.listeners(signal)).toBe(0);
      await threads[0]!.abort(signal, "after");
      expect(condition.statistics().waiters).toBe(0);
    });
  });

  describe("wait({ timeout })", () => {
    it("rejects with a TimeoutError holding the lock again, leaving no waiter, no timer, no hold (asyncio test_timeout_in_block)", async () => {
      const condition = new Condition();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const waiter = await startWaiter(thread, condition, { timeout: 10 });
      expect((await thread.clock()).pendingTimers).toBe(1);
      await thread.advance(9);
      expect(condition.statistics().waiters).toBe(1);
      await thread.advance(1);
      expect(await outcomeOf(waiter)).toEqual({ settled: "rejected", reason: "TimeoutError", heldLockOnSettle: true });
      await until(() => !condition.locked(), "the waiter to release the lock");
      expect(condition.statistics()).toEqual({ locked: false, waiters: 0 });
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("passes the notification on when it times out while queued on the lock", async () => {
      const condition = new Condition();
      await threads[0]!.useVirtualTime();
      const impatient = await startWaiter(threads[0]!, condition, { timeout: 10 });
      const other = await startWaiter(threads[1]!, condition);
      await condition.acquire();
      condition.notify();
      await threads[0]!.advance(10);
      expect(condition.statistics().waiters).toBe(0);
      condition.release();
      expect(await outcomeOf(impatient)).toMatchObject({ settled: "rejected", reason: "TimeoutError" });
      expect((await outcomeOf(other)).settled).toBe("resolved");
    });

    it("rejects at once with timeout 0, keeping the lock held", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      await condition.acquire();
      const waiting = condition.wait({ timeout: 0 });
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
      expect(clock.pendingTimers).toBe(0);
      await expect(waiting).rejects.toBeInstanceOf(TimeoutError);
      expect(condition.locked()).toBe(true);
    });
  });

  describe("waitFor()", () => {
    it("resolves to the predicate's truthy value at once when it already holds", async () => {
      const condition = new Condition();
      await condition.acquire();
      expect(await condition.waitFor(() => [1, 2, 3])).toEqual([1, 2, 3]);
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
    });

    it("re-checks the predicate after each notification, with the lock held, in the waiter's thread (asyncio test_wait_for)", async () => {
      const condition = new Condition();
      const flag = new SharedArrayBuffer(4);
      const waiter = await threads[0]!.call(condition, "waitForFlagHoldingLock", [flag]);
      await condition.acquire();
      condition.notify();
      condition.release();
      await until(() => condition.statistics().waiters === 1 && !condition.locked(), "the waiter to check and wait again");
      expect(waiter.state).toBe("pending");
      Atomics.store(new Int32Array(flag), 0, 7);
      await condition.acquire();
      condition.notify();
      condition.release();
      expect((await waiter.outcomeWithin()).value).toEqual({ value: 7, checks: [true, true, true], heldLockOnSettle: true });
    });

    it("throws an Error at once when the lock is not held, and a TypeError for a predicate that is not a function", async () => {
      const condition = new Condition();
      expect(() => condition.waitFor(() => true)).toThrow(/^Condition\.waitFor\(\) called without holding the lock/);
      await condition.acquire();
      expect(() => condition.waitFor("yes" as never)).toThrow(/`predicate`/);
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
    });

    it("applies its timeout to the whole call, not to each wait", async () => {
      const condition = new Condition();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const waiter = await thread.call(condition, "waitForFlagHoldingLock", [new SharedArrayBuffer(4)], { timeout: 100 });
      await thread.advance(60);
      await condition.acquire();
      condition.notify();
      condition.release();
      await until(() => condition.statistics().waiters === 1 && !condition.locked(), "the waiter to wait again");
      await thread.advance(39);
      expect(waiter.state).toBe("pending");
      await thread.advance(1);
      expect((await waiter.outcomeWithin()).value).toMatchObject({ reason: "TimeoutError", heldLockOnSettle: true });
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });
  });

  describe("notify()", () => {
    it("wakes the first n waiters in arrival order across threads, one lock holder at a time (asyncio test_notify)", async () => {
      const condition = new Condition();
      const waiters = [];
      for (const thread of threads.slice(0, 3)) waiters.push(await startWaiter(thread, condition));
      await condition.acquire();
      condition.notify(1);
      condition.release();
      await waiters[0]!.outcomeWithin();
      expect(waiters.map((waiter) => waiter.state)).toEqual(["fulfilled", "pending", "pending"]);
      await until(() => !condition.locked(), "the first waiter to release the lock");
      await condition.acquire();
      condition.notify(1);
      condition.notify(2048);
      condition.release();
      await Promise.all(waiters.map((waiter) => waiter.outcomeWithin()));
    });

    it("does nothing when nobody waits, or with n = 0", async () => {
      const condition = new Condition();
      await condition.acquire();
      condition.notify();
      condition.release();
      const waiter = await startWaiter(threads[0]!, condition);
      await condition.acquire();
      condition.notify(0);
      condition.release();
      expect(condition.statistics().waiters).toBe(1);
      expect(waiter.state).toBe("pending");
    });

    it("throws an Error when the lock is not held, and changes nothing (asyncio test_notify_unacquired)", async () => {
      const condition = new Condition();
      await startWaiter(threads[0]!, condition);
      expect(() => condition.notify()).toThrow(/^Condition\.notify\(\) called without holding the lock/);
      expect(condition.statistics().waiters).toBe(1);
    });

    it.each([
      ["a string", "1", TypeError],
      ["a negative number", -1, RangeError],
      ["a fraction", 0.5, RangeError],
    ])("throws on %s as n, naming `n`", async (_label, n, errorClass) => {
      const condition = new Condition();
      await condition.acquire();
      expect(() => condition.notify(n as never)).toThrow(errorClass);
      expect(() => condition.notify(n as never)).toThrow(/^Condition\.notify\(\): expected `n`/);
    });
  });

  describe("notifyAll()", () => {
    it("wakes every waiter in every thread, each taking the lock in turn (asyncio test_notify_all)", async () => {
      const condition = new Condition();
      const waiters = [];
      for (const thread of threads) waiters.push(await startWaiter(thread, condition));
      await condition.acquire();
      condition.notifyAll();
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
      condition.release();
      const outcomes = await Promise.all(waiters.map(outcomeOf));
      expect(outcomes.every((outcome) => outcome.settled === "resolved" && outcome.heldLockOnSettle)).toBe(true);
    });

    it("wakes only this condition's waiters when the lock is shared", async () => {
      const lock = new Lock();
      const first = new Condition(lock);
      const second = new Condition(lock);
      const woken = await startWaiter(threads[0]!, first);
      const staying = await startWaiter(threads[1]!, second);
      await first.acquire();
      first.notifyAll();
      first.release();
      expect((await outcomeOf(woken)).settled).toBe("resolved");
      expect(staying.state).toBe("pending");
      expect(second.statistics().waiters).toBe(1);
    });
  });

  describe("acquire() and release()", () => {
    it("names Condition.acquire() and its timeout when it times out", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      await condition.acquire();
      const timedOut = expect(condition.acquire({ timeout: 50 })).rejects.toThrow(new TimeoutError("Condition.acquire() timed out after 50 ms"));
      await clock.advance(50);
      await timedOut;
    });

    it("release() throws an Error when the lock is not held", () => {
      const condition = new Condition();
      expect(() => condition.release()).toThrow(Error);
      expect(condition.locked()).toBe(false);
    });
  });

  describe("statistics() and String(condition)", () => {
    it("count only waiters not yet notified, across threads, and give asyncio's forms", async () => {
      const condition = new Condition();
      expect(String(condition)).toBe("<Condition [unlocked]>");
      await startWaiter(threads[0]!, condition);
      await startWaiter(threads[1]!, condition);
      expect(String(condition)).toBe("<Condition [unlocked, waiters:2]>");
      await condition.acquire();
      condition.notify();
      const stats = condition.statistics();
      expect(stats).toEqual({ locked: true, waiters: 1 });
      expect(Object.isFrozen(stats)).toBe(true);
      expect(String(condition)).toBe("<Condition [locked, waiters:1]>");
    });
  });
});
