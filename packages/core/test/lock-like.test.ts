/**
 * One suite over everything acquirable — Lock, Semaphore(1), BoundedSemaphore(1), Condition —
 * for the contract's common rules: FIFO, no barging, abort and timeout, handles.
 */
import { describe, expect, it } from "vitest";
import { TimeoutError, type Acquired } from "syncio";
import { flushMicrotasks, useVirtualTime } from "syncio/testing";
import { countedSignal, lockLikes, rejectionOf, track } from "./support/index.js";

describe.each(lockLikes)("$name (lock-like)", ({ make }) => {
  describe("acquire()", () => {
    it("resolves to a truthy handle and holds the lock", async () => {
      const { primitive } = make();
      const handle = await primitive.acquire();
      expect(handle).toBeTruthy();
      expect(handle.held).toBe(true);
      expect(primitive.locked()).toBe(true);
    });

    it("queues while held and resolves when released", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const second = track(primitive.acquire());
      await flushMicrotasks();
      expect(second.state).toBe("pending");
      expect(acquireWaiters()).toBe(1);
      primitive.release();
      await flushMicrotasks();
      expect(second.state).toBe("fulfilled");
      expect(primitive.locked()).toBe(true);
      expect(acquireWaiters()).toBe(0);
    });

    it("serves waiters in arrival order", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const order: number[] = [];
      const waiters = [1, 2, 3, 4].map((n) => primitive.acquire().then(() => order.push(n)));
      for (let i = 0; i < 4; i++) {
        primitive.release();
        await flushMicrotasks();
        expect(order).toEqual([1, 2, 3, 4].slice(0, i + 1));
      }
      await Promise.all(waiters);
    });

    it("hands the lock straight to the first waiter, so a newcomer cannot barge in", async () => {
      const { primitive, acquireWaiters, tryAcquire } = make();
      await primitive.acquire();
      const first = track(primitive.acquire());
      primitive.release();
      // The first waiter's code has not run yet, but the lock is already its own.
      expect(primitive.locked()).toBe(true);
      expect(tryAcquire?.() ?? null).toBeNull();
      const newcomer = track(primitive.acquire());
      expect(acquireWaiters()).toBe(1);
      await flushMicrotasks();
      expect(first.state).toBe("fulfilled");
      expect(newcomer.state).toBe("pending");
      first.value!.release();
      await flushMicrotasks();
      expect(newcomer.state).toBe("fulfilled");
    });

    it("lets a queued waiter go first even when a newcomer arrives before the holder releases", async () => {
      const { primitive } = make();
      const holder = await primitive.acquire();
      const order: string[] = [];
      const queued = primitive.acquire().then((handle) => {
        order.push("queued");
        handle.release();
      });
      holder.release();
      const newcomer = primitive.acquire().then((handle) => {
        order.push("newcomer");
        handle.release();
      });
      await Promise.all([queued, newcomer]);
      expect(order).toEqual(["queued", "newcomer"]);
    });
  });

  describe("acquire({ signal })", () => {
    it("rejects with the signal's reason, unchanged", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const controller = new AbortController();
      const acquiring = primitive.acquire({ signal: controller.signal });
      const reason = { why: "stop" };
      controller.abort(reason);
      expect(await rejectionOf(acquiring)).toBe(reason);
    });

    it("rejects with a reason that is not an Error, unchanged", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const controller = new AbortController();
      const acquiring = primitive.acquire({ signal: controller.signal });
      controller.abort("just a string");
      expect(await rejectionOf(acquiring)).toBe("just a string");
    });

    it("leaves no trace when aborted: no waiter, no listener on the signal", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const counted = countedSignal();
      const acquiring = track(primitive.acquire({ signal: counted.signal }));
      expect(counted.listeners).toBe(1);
      expect(acquireWaiters()).toBe(1);
      counted.abort();
      expect(acquireWaiters()).toBe(0);
      expect(counted.listeners).toBe(0);
      await flushMicrotasks();
      expect(acquiring.state).toBe("rejected");
      expect(primitive.statistics().waiters).toBe(0);
    });

    it("passes the lock over an aborted waiter to the next one in line", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const controller = new AbortController();
      const first = track(primitive.acquire());
      const aborted = track(primitive.acquire({ signal: controller.signal }));
      const third = track(primitive.acquire());
      controller.abort();
      primitive.release();
      await flushMicrotasks();
      expect([first.state, aborted.state, third.state]).toEqual(["fulfilled", "rejected", "pending"]);
      primitive.release();
      await flushMicrotasks();
      expect(third.state).toBe("fulfilled");
    });

    it("rejects at once when already aborted, and takes nothing even if the lock is free", async () => {
      const { primitive, acquireWaiters } = make();
      const counted = countedSignal();
      const reason = new Error("already");
      counted.abort(reason);
      const acquiring = track(primitive.acquire({ signal: counted.signal }));
      expect(primitive.locked()).toBe(false);
      expect(acquireWaiters()).toBe(0);
      expect(counted.added).toBe(0);
      await flushMicrotasks();
      expect(acquiring.state).toBe("rejected");
      expect(acquiring.reason).toBe(reason);
      expect(primitive.locked()).toBe(false);
    });

    it("rejects at once when already aborted while the lock is held, without queuing", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const acquiring = track(primitive.acquire({ signal: AbortSignal.abort("gone") }));
      expect(acquireWaiters()).toBe(0);
      await flushMicrotasks();
      expect(acquiring.reason).toBe("gone");
    });

    it("keeps the lock it was handed when the abort comes after the hand-off", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const counted = countedSignal();
      const acquiring = track(primitive.acquire({ signal: counted.signal }));
      primitive.release();
      counted.abort();
      await flushMicrotasks();
      expect(acquiring.state).toBe("fulfilled");
      expect(primitive.locked()).toBe(true);
      expect(acquireWaiters()).toBe(0);
      acquiring.value!.release();
      expect(primitive.locked()).toBe(false);
    });

    it("removes its abort listener once it resolves", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const counted = countedSignal();
      const acquiring = primitive.acquire({ signal: counted.signal });
      primitive.release();
      await acquiring;
      expect(counted.listeners).toBe(0);
    });

    it("adds no listener when the lock is free", async () => {
      const { primitive } = make();
      const counted = countedSignal();
      await primitive.acquire({ signal: counted.signal });
      expect(counted.added).toBe(0);
    });

    it("rejects every waiter sharing one signal, each with its reason", async () => {
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const counted = countedSignal();
      const waiters = [1, 2, 3].map(() => track(primitive.acquire({ signal: counted.signal })));
      counted.abort("all");
      await flushMicrotasks();
      expect(waiters.map((waiter) => waiter.reason)).toEqual(["all", "all", "all"]);
      expect(acquireWaiters()).toBe(0);
      expect(counted.listeners).toBe(0);
    });
  });

  describe("acquire({ timeout })", () => {
    it("rejects with a TimeoutError once the timeout elapses on the runtime's clock, not before", async () => {
      using clock = useVirtualTime();
      const { primitive } = make();
      await primitive.acquire();
      const acquiring = track(primitive.acquire({ timeout: 100 }));
      await clock.advance(99);
      expect(acquiring.state).toBe("pending");
      await clock.advance(1);
      expect(acquiring.state).toBe("rejected");
      expect(acquiring.reason).toBeInstanceOf(TimeoutError);
      expect((acquiring.reason as Error).name).toBe("TimeoutError");
    });

    it("leaves no trace when timed out: no waiter, no timer, no listener", async () => {
      using clock = useVirtualTime();
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const counted = countedSignal();
      const acquiring = primitive.acquire({ timeout: 50, signal: counted.signal });
      expect(clock.pendingTimers).toBe(1);
      const timedOut = expect(acquiring).rejects.toBeInstanceOf(TimeoutError);
      await clock.advance(50);
      await timedOut;
      expect(acquireWaiters()).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      expect(counted.listeners).toBe(0);
    });

    it("clears its timer once it resolves", async () => {
      using clock = useVirtualTime();
      const { primitive } = make();
      await primitive.acquire();
      const acquiring = primitive.acquire({ timeout: 1000 });
      primitive.release();
      await acquiring;
      expect(clock.pendingTimers).toBe(0);
    });

    it("passes the lock over a timed-out waiter to the next one", async () => {
      using clock = useVirtualTime();
      const { primitive } = make();
      await primitive.acquire();
      const impatient = track(primitive.acquire({ timeout: 10 }));
      const patient = track(primitive.acquire());
      await clock.advance(10);
      primitive.release();
      await clock.flush();
      expect(impatient.reason).toBeInstanceOf(TimeoutError);
      expect(patient.state).toBe("fulfilled");
    });

    it("takes a free lock with timeout 0", async () => {
      using clock = useVirtualTime();
      const { primitive } = make();
      const handle = await primitive.acquire({ timeout: 0 });
      expect(handle.held).toBe(true);
      expect(primitive.locked()).toBe(true);
      expect(clock.pendingTimers).toBe(0);
    });

    it("rejects at once with timeout 0 when held, without queuing or arming a timer", async () => {
      using clock = useVirtualTime();
      const { primitive, acquireWaiters } = make();
      await primitive.acquire();
      const acquiring = track(primitive.acquire({ timeout: 0 }));
      expect(acquireWaiters()).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      await clock.flush();
      expect(acquiring.reason).toBeInstanceOf(TimeoutError);
    });

    it("rejects with timeout 0 when the lock is free but a waiter was handed it", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const first = primitive.acquire();
      primitive.release();
      await expect(primitive.acquire({ timeout: 0 })).rejects.toBeInstanceOf(TimeoutError);
      await first;
    });

    it("waits without a timer when the timeout is Infinity", async () => {
      using clock = useVirtualTime();
      const { primitive } = make();
      await primitive.acquire();
      const acquiring = track(primitive.acquire({ timeout: Infinity }));
      expect(clock.pendingTimers).toBe(0);
      await clock.advance(2 ** 40);
      expect(acquiring.state).toBe("pending");
      primitive.release();
      await clock.flush();
      expect(acquiring.state).toBe("fulfilled");
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
      const handle = await primitive.acquire();
      const next = track(primitive.acquire());
      handle[Symbol.dispose]();
      expect(handle.held).toBe(false);
      await flushMicrotasks();
      expect(next.state).toBe("fulfilled");
      handle[Symbol.dispose]();
      handle.release();
      // Still held by the next waiter: the stale handle released nothing more.
      expect(primitive.locked()).toBe(true);
      next.value!.release();
      expect(primitive.locked()).toBe(false);
    });

    it("releases on Symbol.asyncDispose too, once", async () => {
      const { primitive } = make();
      const handle = await primitive.acquire();
      await handle[Symbol.asyncDispose]();
      expect(primitive.locked()).toBe(false);
      const other = await primitive.acquire();
      await handle[Symbol.asyncDispose]();
      expect(primitive.locked()).toBe(true);
      other.release();
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

    it("works in the try/finally style", async () => {
      const { primitive } = make();
      await primitive.acquire();
      try {
        expect(primitive.locked()).toBe(true);
      } finally {
        primitive.release();
      }
      expect(primitive.locked()).toBe(false);
    });

    it("is handed, not a new one made, to a waiter: releasing it serves the next", async () => {
      const { primitive } = make();
      await primitive.acquire();
      const order: string[] = [];
      const first = primitive.acquire().then((handle: Acquired) => {
        order.push("first");
        handle.release();
      });
      const second = primitive.acquire().then((handle: Acquired) => {
        order.push("second");
        handle.release();
      });
      primitive.release();
      await Promise.all([first, second]);
      expect(order).toEqual(["first", "second"]);
      expect(primitive.locked()).toBe(false);
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
