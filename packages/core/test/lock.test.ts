import { describe, expect, it } from "vitest";
import { Acquired, Lock } from "syncio";
import { flushMicrotasks } from "syncio/testing";
import { nodeInspect, track } from "./support/index.js";

const inspect = await nodeInspect();

describe("Lock", () => {
  describe("new Lock()", () => {
    it("starts unlocked with nobody waiting", () => {
      const lock = new Lock();
      expect(lock.locked()).toBe(false);
      expect(lock.statistics()).toEqual({ locked: false, waiters: 0 });
    });
  });

  describe("tryAcquire()", () => {
    it("takes a free lock and returns true", () => {
      const lock = new Lock();
      expect(lock.tryAcquire()).toBeInstanceOf(Acquired);
      expect(lock.locked()).toBe(true);
    });

    it("returns false on a held lock and changes nothing", () => {
      const lock = new Lock();
      lock.tryAcquire();
      expect(lock.tryAcquire()).toBeNull();
      lock.release();
      expect(lock.locked()).toBe(false);
    });

    it("does not take the lock released to a waiter whose code has not run yet", async () => {
      const lock = new Lock();
      lock.tryAcquire();
      const waiter = track(lock.acquire());
      lock.release();
      expect(lock.tryAcquire()).toBeNull();
      await flushMicrotasks();
      expect(waiter.state).toBe("fulfilled");
    });
  });

  describe("acquire()", () => {
    it("resolves at once on a free lock", async () => {
      const lock = new Lock();
      const acquiring = track(lock.acquire());
      await flushMicrotasks();
      expect(acquiring.state).toBe("fulfilled");
      expect(lock.statistics()).toEqual({ locked: true, waiters: 0 });
    });

    it("serves waiters queued before and after a release in arrival order (asyncio test_acquire)", async () => {
      const lock = new Lock();
      await lock.acquire();
      const result: number[] = [];
      const acquireAndRecord = (n: number) => lock.acquire().then(() => result.push(n));
      const tasks = [acquireAndRecord(1), acquireAndRecord(2)];
      await flushMicrotasks();
      expect(result).toEqual([]);
      lock.release();
      await flushMicrotasks();
      expect(result).toEqual([1]);
      tasks.push(acquireAndRecord(3));
      lock.release();
      await flushMicrotasks();
      expect(result).toEqual([1, 2]);
      lock.release();
      await flushMicrotasks();
      expect(result).toEqual([1, 2, 3]);
      await Promise.all(tasks);
    });

    it("lets the holder release from anywhere, as asyncio does", async () => {
      const lock = new Lock();
      await lock.acquire();
      await Promise.resolve().then(() => lock.release());
      expect(lock.locked()).toBe(false);
    });

    it("serves the next waiter when the one before it is aborted in the same tick as the release (asyncio test_cancel_race)", async () => {
      const lock = new Lock();
      await lock.acquire();
      const controller = new AbortController();
      const b = track(lock.acquire({ signal: controller.signal }));
      const c = track(lock.acquire());
      controller.abort();
      lock.release();
      await flushMicrotasks();
      expect(b.state).toBe("rejected");
      expect(c.state).toBe("fulfilled");
      c.value!.release();
      expect(lock.locked()).toBe(false);
    });
  });

  describe("release()", () => {
    it("unlocks when nobody waits", async () => {
      const lock = new Lock();
      await lock.acquire();
      lock.release();
      expect(lock.locked()).toBe(false);
    });

    it("hands the lock to the first waiter synchronously: still locked, one waiter fewer", async () => {
      const lock = new Lock();
      await lock.acquire();
      void lock.acquire();
      void lock.acquire();
      lock.release();
      expect(lock.statistics()).toEqual({ locked: true, waiters: 1 });
    });

    it("throws an Error naming the Lock when it is not locked, and changes nothing", () => {
      const lock = new Lock();
      expect(() => lock.release()).toThrow(Error);
      expect(() => lock.release()).toThrow(/Lock\.release\(\).*unlocked/);
      expect(lock.locked()).toBe(false);
      expect(lock.tryAcquire()).toBeInstanceOf(Acquired);
    });

    it("throws on a second release after the first one unlocked it", async () => {
      const lock = new Lock();
      await lock.acquire();
      lock.release();
      expect(() => lock.release()).toThrow(/unlocked/);
      expect(lock.locked()).toBe(false);
    });
  });

  describe("statistics()", () => {
    it("counts the callers queued in acquire()", async () => {
      const lock = new Lock();
      await lock.acquire();
      void lock.acquire();
      void lock.acquire();
      const stats = lock.statistics();
      expect(stats).toEqual({ locked: true, waiters: 2 });
      expect(Object.isFrozen(stats)).toBe(true);
    });
  });

  describe("String(lock)", () => {
    it("gives asyncio's form in each state", async () => {
      const lock = new Lock();
      expect(String(lock)).toBe("<Lock [unlocked]>");
      await lock.acquire();
      expect(String(lock)).toBe("<Lock [locked]>");
      void lock.acquire();
      expect(String(lock)).toBe("<Lock [locked, waiters:1]>");
      void lock.acquire();
      expect(`${lock}`).toBe("<Lock [locked, waiters:2]>");
    });

    it.skipIf(inspect === undefined)("is what Node's util.inspect shows", async () => {
      const lock = new Lock();
      expect(inspect!(lock)).toBe("<Lock [unlocked]>");
      await lock.acquire();
      void lock.acquire();
      expect(inspect!(lock)).toBe("<Lock [locked, waiters:1]>");
    });
  });
});
