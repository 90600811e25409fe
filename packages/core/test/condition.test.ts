import { describe, expect, it } from "vitest";
import { Condition, Lock, TimeoutError, type WaitOptions } from "syncio";
import { flushMicrotasks, useVirtualTime } from "syncio/testing";
import { countedSignal, nodeInspect, track } from "./support/index.js";

const inspect = await nodeInspect();

/** What one waiting task saw: how `wait()` settled, and whether it held the lock right then. */
interface Outcome {
  settled: "pending" | "resolved" | "rejected";
  reason?: unknown;
  heldLockOnSettle?: boolean;
}

/**
 * Starts a task that takes the condition's lock, waits with `options`, records how the wait
 * settled, then releases the lock — like asyncio's `async with cond: await cond.wait()`.
 */
function startWaiter(condition: Condition, options?: WaitOptions, log?: string[], name?: string): Outcome {
  const outcome: Outcome = { settled: "pending" };
  void (async () => {
    await condition.acquire();
    try {
      await condition.wait(options);
      outcome.settled = "resolved";
      log?.push(name ?? "?");
    } catch (reason) {
      outcome.settled = "rejected";
      outcome.reason = reason;
    } finally {
      outcome.heldLockOnSettle = condition.locked();
      condition.release();
    }
  })();
  return outcome;
}

describe("Condition", () => {
  describe("constructor", () => {
    it("makes its own lock by default", () => {
      const condition = new Condition();
      expect(condition.locked()).toBe(false);
    });

    it("uses the lock it is given, which other conditions may share", async () => {
      const lock = new Lock();
      const first = new Condition(lock);
      const second = new Condition(lock);
      await first.acquire();
      expect(lock.locked()).toBe(true);
      expect(second.locked()).toBe(true);
      second.release();
      expect(lock.locked()).toBe(false);
    });

    it.each([
      ["an object", {}],
      ["null", null],
      ["a Condition", new Condition()],
    ])("throws a TypeError naming `lock` when given %s", (_label, lock) => {
      expect(() => new Condition(lock as never)).toThrow(TypeError);
      expect(() => new Condition(lock as never)).toThrow(/^Condition\(\): expected `lock`/);
    });
  });

  describe("wait()", () => {
    it("releases the lock, waits for a notification, and resolves true holding the lock again (asyncio test_wait)", async () => {
      const condition = new Condition();
      const result: number[] = [];
      const tasks = [1, 2, 3].map(async (n) => {
        await condition.acquire();
        const woke = await condition.wait();
        if (woke === true) result.push(n);
        expect(condition.locked()).toBe(true);
        // holds the lock until the test releases it for the next
      });
      await flushMicrotasks();
      expect(result).toEqual([]);
      expect(condition.locked()).toBe(false);
      expect(condition.statistics().waiters).toBe(3);

      await condition.acquire();
      condition.notify();
      await flushMicrotasks();
      expect(result).toEqual([]);
      condition.release();
      await flushMicrotasks();
      expect(result).toEqual([1]);
      expect(condition.locked()).toBe(true);

      condition.notify(2);
      await flushMicrotasks();
      expect(result).toEqual([1]);
      condition.release();
      await flushMicrotasks();
      expect(result).toEqual([1, 2]);
      condition.release();
      await flushMicrotasks();
      expect(result).toEqual([1, 2, 3]);
      expect(condition.locked()).toBe(true);
      condition.release();
      await Promise.all(tasks);
    });

    it("throws an Error at once when the lock is not held, and changes nothing", () => {
      const condition = new Condition();
      expect(() => condition.wait()).toThrow(Error);
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

    it("can be used with the handle of acquire() in a using block", async () => {
      const condition = new Condition();
      const waiting = (async () => {
        using _held = await condition.acquire();
        await condition.wait();
        return condition.locked();
      })();
      await flushMicrotasks();
      {
        using _held = await condition.acquire();
        condition.notify();
      }
      expect(await waiting).toBe(true);
      expect(condition.locked()).toBe(false);
    });
  });

  describe("wait({ signal })", () => {
    it("rejects with the signal's reason, holding the lock again, leaving no waiter and no listener (asyncio test_wait_cancel)", async () => {
      const condition = new Condition();
      const counted = countedSignal();
      const outcome = startWaiter(condition, { signal: counted.signal });
      await flushMicrotasks();
      expect(condition.statistics()).toEqual({ locked: false, waiters: 1 });
      expect(counted.listeners).toBe(1);
      const reason = new Error("stop");
      counted.abort(reason);
      await flushMicrotasks();
      expect(outcome).toEqual({ settled: "rejected", reason, heldLockOnSettle: true });
      expect(condition.statistics()).toEqual({ locked: false, waiters: 0 });
      expect(counted.listeners).toBe(0);
    });

    it("rejects only once it has re-taken a contested lock (asyncio test_wait_cancel_contested)", async () => {
      const condition = new Condition();
      const controller = new AbortController();
      const outcome = startWaiter(condition, { signal: controller.signal });
      await flushMicrotasks();
      await condition.acquire();
      controller.abort();
      await flushMicrotasks();
      expect(outcome.settled).toBe("pending");
      expect(condition.statistics().waiters).toBe(0);
      condition.release();
      await flushMicrotasks();
      expect(outcome).toMatchObject({ settled: "rejected", heldLockOnSettle: true });
    });

    it("rejects at once when already aborted, keeping the lock held and queuing nothing", async () => {
      const condition = new Condition();
      await condition.acquire();
      const counted = countedSignal();
      counted.abort("early");
      const waiting = track(condition.wait({ signal: counted.signal }));
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
      expect(counted.added).toBe(0);
      await flushMicrotasks();
      expect(waiting.reason).toBe("early");
      expect(condition.locked()).toBe(true);
    });

    it("passes a notification on when the notified waiter is aborted before it re-takes the lock", async () => {
      const condition = new Condition();
      const log: string[] = [];
      const controller = new AbortController();
      const aborted = startWaiter(condition, { signal: controller.signal }, log, "aborted");
      const other = startWaiter(condition, undefined, log, "other");
      await flushMicrotasks();
      await condition.acquire();
      condition.notify(1);
      expect(condition.statistics().waiters).toBe(1);
      controller.abort("late");
      // The notification went on to the other waiter.
      expect(condition.statistics().waiters).toBe(0);
      condition.release();
      await flushMicrotasks();
      expect(aborted).toEqual({ settled: "rejected", reason: "late", heldLockOnSettle: true });
      expect(other).toMatchObject({ settled: "resolved", heldLockOnSettle: true });
      expect(log).toEqual(["other"]);
      expect(condition.locked()).toBe(false);
    });

    it("does not pass a notification on when aborted before being notified", async () => {
      const condition = new Condition();
      const controller = new AbortController();
      const aborted = startWaiter(condition, { signal: controller.signal });
      const other = startWaiter(condition);
      await flushMicrotasks();
      controller.abort();
      await flushMicrotasks();
      expect(aborted.settled).toBe("rejected");
      expect(other.settled).toBe("pending");
      expect(condition.statistics().waiters).toBe(1);
    });

    it("resolves, keeping its notification, when the abort comes after it settled", async () => {
      const condition = new Condition();
      const counted = countedSignal();
      const outcome = startWaiter(condition, { signal: counted.signal });
      await flushMicrotasks();
      await condition.acquire();
      condition.notify();
      condition.release();
      await flushMicrotasks();
      expect(outcome.settled).toBe("resolved");
      expect(counted.listeners).toBe(0);
      counted.abort();
      await flushMicrotasks();
      expect(outcome.settled).toBe("resolved");
    });
  });

  describe("wait({ timeout })", () => {
    it("rejects with a TimeoutError holding the lock again, leaving no waiter and no timer (asyncio test_timeout_in_block)", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      const outcome = startWaiter(condition, { timeout: 10 });
      await clock.flush();
      expect(clock.pendingTimers).toBe(1);
      await clock.advance(9);
      expect(outcome.settled).toBe("pending");
      await clock.advance(1);
      expect(outcome.settled).toBe("rejected");
      expect(outcome.reason).toBeInstanceOf(TimeoutError);
      expect(outcome.heldLockOnSettle).toBe(true);
      expect(condition.statistics()).toEqual({ locked: false, waiters: 0 });
      expect(clock.pendingTimers).toBe(0);
    });

    it("clears its timer when notified", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      const outcome = startWaiter(condition, { timeout: 1000 });
      await clock.flush();
      await condition.acquire();
      condition.notify();
      condition.release();
      await clock.flush();
      expect(outcome.settled).toBe("resolved");
      expect(clock.pendingTimers).toBe(0);
    });

    it("passes the notification on when it times out while queued on the lock", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      const impatient = startWaiter(condition, { timeout: 10 });
      const other = startWaiter(condition);
      await clock.flush();
      await condition.acquire();
      condition.notify();
      await clock.advance(10);
      expect(condition.statistics().waiters).toBe(0);
      condition.release();
      await clock.flush();
      expect(impatient.settled).toBe("rejected");
      expect(impatient.reason).toBeInstanceOf(TimeoutError);
      expect(other.settled).toBe("resolved");
    });

    it("rejects at once with timeout 0, keeping the lock held", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      await condition.acquire();
      const waiting = track(condition.wait({ timeout: 0 }));
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
      expect(clock.pendingTimers).toBe(0);
      await clock.flush();
      expect(waiting.reason).toBeInstanceOf(TimeoutError);
    });
  });

  describe("waitFor()", () => {
    it("resolves to the predicate's truthy value at once when it already holds", async () => {
      const condition = new Condition();
      await condition.acquire();
      expect(await condition.waitFor(() => [1, 2, 3])).toEqual([1, 2, 3]);
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
    });

    it("re-checks the predicate after each notification, with the lock held (asyncio test_wait_for)", async () => {
      const condition = new Condition();
      let ready: string | false = false;
      const checks: boolean[] = [];
      const waiting = (async () => {
        await condition.acquire();
        const value = await condition.waitFor(() => {
          checks.push(condition.locked());
          return ready;
        });
        condition.release();
        return value;
      })();
      const tracked = track(waiting);
      await flushMicrotasks();
      await condition.acquire();
      condition.notify();
      condition.release();
      await flushMicrotasks();
      expect(tracked.state).toBe("pending");
      expect(condition.statistics().waiters).toBe(1);
      ready = "go";
      await condition.acquire();
      condition.notify();
      condition.release();
      await flushMicrotasks();
      expect(tracked.value).toBe("go");
      expect(checks).toEqual([true, true, true]);
    });

    it("throws an Error at once when the lock is not held", () => {
      const condition = new Condition();
      expect(() => condition.waitFor(() => true)).toThrow(/^Condition\.waitFor\(\) called without holding the lock/);
    });

    it("throws a TypeError when the predicate is not a function, and changes nothing", async () => {
      const condition = new Condition();
      await condition.acquire();
      expect(() => condition.waitFor("yes" as never)).toThrow(TypeError);
      expect(() => condition.waitFor(null as never)).toThrow(/`predicate`/);
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
    });

    it("rejects with what the predicate throws, holding the lock", async () => {
      const condition = new Condition();
      await condition.acquire();
      const failure = new Error("predicate failed");
      const waiting = track(
        condition.waitFor(() => {
          throw failure;
        }),
      );
      await flushMicrotasks();
      expect(waiting.reason).toBe(failure);
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
    });

    it("throws on bad options before checking anything else, and changes nothing", async () => {
      const condition = new Condition();
      await condition.acquire();
      expect(() => condition.waitFor(() => false, { timeout: -1 })).toThrow(/^Condition\.waitFor\(\): expected `options\.timeout`/);
      expect(() => condition.waitFor(() => false, { signal: "x" as never })).toThrow(TypeError);
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
    });

    it("applies its timeout to the whole call, not to each wait", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      let settledAt: number | undefined;
      let reason: unknown;
      let heldLock: boolean | undefined;
      void (async () => {
        await condition.acquire();
        try {
          await condition.waitFor(() => false, { timeout: 100 });
        } catch (error) {
          reason = error;
          settledAt = clock.now();
          heldLock = condition.locked();
        }
        condition.release();
      })();
      await clock.advance(60);
      await condition.acquire();
      condition.notify();
      condition.release();
      await clock.advance(39);
      expect(settledAt).toBeUndefined();
      await clock.advance(1);
      expect(settledAt).toBe(100);
      expect(reason).toBeInstanceOf(TimeoutError);
      expect((reason as Error).message).toBe("Condition.waitFor() timed out after 100 ms");
      expect(heldLock).toBe(true);
      expect(clock.pendingTimers).toBe(0);
      expect(condition.statistics()).toEqual({ locked: false, waiters: 0 });
    });

    it("rejects with the signal's reason, holding the lock again", async () => {
      const condition = new Condition();
      const controller = new AbortController();
      await condition.acquire();
      const waiting = track(condition.waitFor(() => false, { signal: controller.signal }));
      await flushMicrotasks();
      expect(condition.locked()).toBe(false);
      controller.abort("enough");
      await flushMicrotasks();
      expect(waiting.reason).toBe("enough");
      expect(condition.locked()).toBe(true);
    });

    it("rejects at once when already aborted, even if the predicate holds", async () => {
      const condition = new Condition();
      await condition.acquire();
      let calls = 0;
      const waiting = track(condition.waitFor(() => ++calls, { signal: AbortSignal.abort("no") }));
      await flushMicrotasks();
      expect(waiting.reason).toBe("no");
      expect(calls).toBe(0);
      expect(condition.locked()).toBe(true);
    });
  });

  describe("notify()", () => {
    it("wakes the first n waiters in arrival order, one lock holder at a time (asyncio test_notify)", async () => {
      const condition = new Condition();
      const log: string[] = [];
      startWaiter(condition, undefined, log, "1");
      startWaiter(condition, undefined, log, "2");
      startWaiter(condition, undefined, log, "3");
      await flushMicrotasks();
      await condition.acquire();
      condition.notify(1);
      condition.release();
      await flushMicrotasks();
      expect(log).toEqual(["1"]);
      await condition.acquire();
      condition.notify(1);
      condition.notify(2048);
      condition.release();
      await flushMicrotasks();
      expect(log).toEqual(["1", "2", "3"]);
    });

    it("does nothing when nobody waits, or with n = 0", async () => {
      const condition = new Condition();
      await condition.acquire();
      condition.notify();
      const log: string[] = [];
      condition.release();
      startWaiter(condition, undefined, log, "waiter");
      await flushMicrotasks();
      await condition.acquire();
      condition.notify(0);
      condition.release();
      await flushMicrotasks();
      expect(log).toEqual([]);
      expect(condition.statistics().waiters).toBe(1);
    });

    it("throws an Error when the lock is not held, and changes nothing (asyncio test_notify_unacquired)", async () => {
      const condition = new Condition();
      startWaiter(condition);
      await flushMicrotasks();
      expect(() => condition.notify()).toThrow(/^Condition\.notify\(\) called without holding the lock/);
      expect(condition.statistics().waiters).toBe(1);
    });

    it.each([
      ["a string", "1", TypeError],
      ["a negative number", -1, RangeError],
      ["a fraction", 0.5, RangeError],
      ["NaN", Number.NaN, RangeError],
    ])("throws on %s as n, naming `n`", async (_label, n, errorClass) => {
      const condition = new Condition();
      await condition.acquire();
      expect(() => condition.notify(n as never)).toThrow(errorClass);
      expect(() => condition.notify(n as never)).toThrow(/^Condition\.notify\(\): expected `n`/);
    });
  });

  describe("notifyAll()", () => {
    it("wakes every waiter, each taking the lock in turn (asyncio test_notify_all)", async () => {
      const condition = new Condition();
      const log: string[] = [];
      const outcomes = ["1", "2", "3"].map((name) => startWaiter(condition, undefined, log, name));
      await flushMicrotasks();
      await condition.acquire();
      condition.notifyAll();
      expect(condition.statistics()).toEqual({ locked: true, waiters: 0 });
      condition.release();
      await flushMicrotasks();
      expect(log).toEqual(["1", "2", "3"]);
      expect(outcomes.every((outcome) => outcome.heldLockOnSettle)).toBe(true);
    });

    it("throws an Error when the lock is not held (asyncio test_notify_all_unacquired)", () => {
      const condition = new Condition();
      expect(() => condition.notifyAll()).toThrow(/^Condition\.notifyAll\(\) called without holding the lock/);
    });

    it("wakes only this condition's waiters when the lock is shared", async () => {
      const lock = new Lock();
      const first = new Condition(lock);
      const second = new Condition(lock);
      const log: string[] = [];
      startWaiter(first, undefined, log, "first");
      startWaiter(second, undefined, log, "second");
      await flushMicrotasks();
      await first.acquire();
      first.notifyAll();
      first.release();
      await flushMicrotasks();
      expect(log).toEqual(["first"]);
      expect(second.statistics().waiters).toBe(1);
    });
  });

  describe("acquire()", () => {
    it("names Condition.acquire() when its options are bad", () => {
      const condition = new Condition();
      expect(() => condition.acquire({ timeout: -1 })).toThrow(/^Condition\.acquire\(\): expected `options\.timeout`/);
    });

    it("names Condition.acquire() and its timeout when it times out, and passes a signal's reason unchanged", async () => {
      using clock = useVirtualTime();
      const condition = new Condition();
      await condition.acquire();
      const timedOut = expect(condition.acquire({ timeout: 50 })).rejects.toThrow(new TimeoutError("Condition.acquire() timed out after 50 ms"));
      const reason = new TimeoutError("the caller's own deadline");
      const controller = new AbortController();
      const aborted = expect(condition.acquire({ signal: controller.signal, timeout: 100 })).rejects.toBe(reason);
      controller.abort(reason);
      await clock.advance(50);
      await timedOut;
      await aborted;
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe("release()", () => {
    it("throws an Error when the lock is not held, and changes nothing", () => {
      const condition = new Condition();
      expect(() => condition.release()).toThrow(Error);
      expect(condition.locked()).toBe(false);
    });
  });

  describe("statistics()", () => {
    it("counts only waiters not yet notified, not callers queued on the lock", async () => {
      const condition = new Condition();
      startWaiter(condition);
      startWaiter(condition);
      await flushMicrotasks();
      await condition.acquire();
      void condition.acquire();
      expect(condition.statistics()).toEqual({ locked: true, waiters: 2 });
      condition.notify();
      const stats = condition.statistics();
      expect(stats).toEqual({ locked: true, waiters: 1 });
      expect(Object.isFrozen(stats)).toBe(true);
    });
  });

  describe("String(condition)", () => {
    it("gives asyncio's form in each state", async () => {
      const condition = new Condition();
      expect(String(condition)).toBe("<Condition [unlocked]>");
      startWaiter(condition);
      await flushMicrotasks();
      expect(String(condition)).toBe("<Condition [unlocked, waiters:1]>");
      await condition.acquire();
      expect(String(condition)).toBe("<Condition [locked, waiters:1]>");
      condition.notify();
      expect(String(condition)).toBe("<Condition [locked]>");
    });

    it.skipIf(inspect === undefined)("is what Node's util.inspect shows", async () => {
      const condition = new Condition();
      await condition.acquire();
      expect(inspect!(condition)).toBe("<Condition [locked]>");
    });
  });
});
