import { describe, expect, it } from "vitest";
import { Acquired, BoundedSemaphore, Semaphore } from "syncio";
import { flushMicrotasks } from "syncio/testing";
import { nodeInspect, track } from "./support/index.js";

const inspect = await nodeInspect();

describe.each([
  ["Semaphore", Semaphore],
  ["BoundedSemaphore", BoundedSemaphore],
] as const)("%s", (name, SemaphoreClass) => {
  describe("constructor", () => {
    it("defaults to one permit", () => {
      const semaphore = new SemaphoreClass();
      expect(semaphore.value).toBe(1);
      expect(semaphore.locked()).toBe(false);
    });

    it("accepts zero permits, and is then locked", () => {
      const semaphore = new SemaphoreClass(0);
      expect(semaphore.value).toBe(0);
      expect(semaphore.locked()).toBe(true);
    });

    it.each([
      ["a string", "2", TypeError],
      ["null", null, TypeError],
      ["a negative number", -1, RangeError],
      ["a fraction", 1.5, RangeError],
      ["NaN", Number.NaN, RangeError],
      ["Infinity", Infinity, RangeError],
    ])("throws on %s, naming the class and `value`", (_label, value, errorClass) => {
      expect(() => new SemaphoreClass(value as never)).toThrow(errorClass);
      expect(() => new SemaphoreClass(value as never)).toThrow(new RegExp(`^${name}\\(\\): expected \`value\``));
    });
  });

  describe("acquire()", () => {
    it("admits `value` callers at once and queues the next", async () => {
      const semaphore = new SemaphoreClass(3);
      const admitted = [1, 2, 3].map(() => track(semaphore.acquire()));
      const fourth = track(semaphore.acquire());
      await flushMicrotasks();
      expect(admitted.map((call) => call.state)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
      expect(fourth.state).toBe("pending");
      expect(semaphore.statistics()).toEqual({ value: 0, waiters: 1 });
      admitted[0]!.value!.release();
      await flushMicrotasks();
      expect(fourth.state).toBe("fulfilled");
    });

    it("serves waiters one permit at a time, in arrival order (asyncio test_acquire_fifo_order)", async () => {
      const semaphore = new SemaphoreClass(2);
      const handles = [await semaphore.acquire(), await semaphore.acquire()];
      const order: number[] = [];
      const waiters = [1, 2, 3].map((n) => semaphore.acquire().then(() => order.push(n)));
      handles[1]!.release();
      await flushMicrotasks();
      expect(order).toEqual([1]);
      handles[0]!.release();
      await flushMicrotasks();
      expect(order).toEqual([1, 2]);
      expect(semaphore.statistics()).toEqual({ value: 0, waiters: 1 });
      await Promise.race([waiters[2], flushMicrotasks()]);
      expect(order).toEqual([1, 2]);
    });

    it("neither loses nor doubles a permit when an abort and a release meet", async () => {
      const semaphore = new SemaphoreClass(2);
      const [first, second] = [await semaphore.acquire(), await semaphore.acquire()];
      const controller = new AbortController();
      const aborted = track(semaphore.acquire({ signal: controller.signal }));
      const next = track(semaphore.acquire());
      first.release();
      controller.abort();
      second.release();
      await flushMicrotasks();
      // The permit first gave back was handed over before the abort, so the aborted call keeps it.
      expect(aborted.state).toBe("fulfilled");
      expect(next.state).toBe("fulfilled");
      expect(semaphore.value).toBe(0);
      aborted.value!.release();
      next.value!.release();
      expect(semaphore.value).toBe(2);
    });
  });

  describe("tryAcquire()", () => {
    it("takes a free permit and returns false once none is left", () => {
      const semaphore = new SemaphoreClass(2);
      expect(semaphore.tryAcquire()).toBeInstanceOf(Acquired);
      expect(semaphore.tryAcquire()).toBeInstanceOf(Acquired);
      expect(semaphore.tryAcquire()).toBeNull();
      expect(semaphore.value).toBe(0);
    });

    it("does not take a permit reserved for a waiter whose code has not run yet", async () => {
      const semaphore = new SemaphoreClass(1);
      const holder = await semaphore.acquire();
      const waiter = track(semaphore.acquire());
      holder.release();
      expect(semaphore.value).toBe(0);
      expect(semaphore.locked()).toBe(true);
      expect(semaphore.tryAcquire()).toBeNull();
      await flushMicrotasks();
      expect(waiter.state).toBe("fulfilled");
    });
  });

  describe("value", () => {
    it("counts permits free and not reserved", async () => {
      const semaphore = new SemaphoreClass(2);
      expect(semaphore.value).toBe(2);
      const handle = await semaphore.acquire();
      expect(semaphore.value).toBe(1);
      handle.release();
      expect(semaphore.value).toBe(2);
    });

    it("is read-only", () => {
      const semaphore = new SemaphoreClass(2);
      expect(() => {
        (semaphore as { value: number }).value = 5;
      }).toThrow(TypeError);
      expect(semaphore.value).toBe(2);
    });
  });

  describe("statistics()", () => {
    it("is a frozen { value, waiters }", async () => {
      const semaphore = new SemaphoreClass(1);
      await semaphore.acquire();
      void semaphore.acquire();
      const stats = semaphore.statistics();
      expect(stats).toEqual({ value: 0, waiters: 1 });
      expect(Object.isFrozen(stats)).toBe(true);
    });
  });

  describe(`String(${name.toLowerCase()})`, () => {
    it("gives asyncio's form in each state", async () => {
      const semaphore = new SemaphoreClass(2);
      expect(String(semaphore)).toBe(`<${name} [unlocked, value:2]>`);
      await semaphore.acquire();
      expect(String(semaphore)).toBe(`<${name} [unlocked, value:1]>`);
      await semaphore.acquire();
      expect(String(semaphore)).toBe(`<${name} [locked]>`);
      void semaphore.acquire();
      void semaphore.acquire();
      expect(String(semaphore)).toBe(`<${name} [locked, waiters:2]>`);
    });

    it.skipIf(inspect === undefined)("is what Node's util.inspect shows", async () => {
      const semaphore = new SemaphoreClass(0);
      void semaphore.acquire();
      expect(inspect!(semaphore)).toBe(`<${name} [locked, waiters:1]>`);
    });
  });
});

describe("Semaphore", () => {
  describe("release()", () => {
    it("adds a permit even when none was taken, as asyncio does", () => {
      const semaphore = new Semaphore(1);
      semaphore.release();
      expect(semaphore.value).toBe(2);
    });

    it("hands the permit straight to the first waiter", async () => {
      const semaphore = new Semaphore(0);
      const waiter = track(semaphore.acquire());
      semaphore.release();
      expect(semaphore.statistics()).toEqual({ value: 0, waiters: 0 });
      await flushMicrotasks();
      expect(waiter.state).toBe("fulfilled");
    });
  });
});

describe("BoundedSemaphore", () => {
  it("is a Semaphore", () => {
    expect(new BoundedSemaphore()).toBeInstanceOf(Semaphore);
  });

  describe("release()", () => {
    it("throws an Error naming the BoundedSemaphore when no permit is out, and changes nothing", () => {
      const semaphore = new BoundedSemaphore(2);
      expect(() => semaphore.release()).toThrow(Error);
      expect(() => semaphore.release()).toThrow(/^BoundedSemaphore\.release\(\) called more times than acquire\(\)/);
      expect(semaphore.value).toBe(2);
      expect(semaphore.statistics()).toEqual({ value: 2, waiters: 0 });
    });

    it("throws when every permit was given back", async () => {
      const semaphore = new BoundedSemaphore(2);
      await semaphore.acquire();
      semaphore.release();
      expect(() => semaphore.release()).toThrow(/no permit is out/);
      expect(semaphore.value).toBe(2);
    });

    it("always throws with zero permits", () => {
      const semaphore = new BoundedSemaphore(0);
      expect(() => semaphore.release()).toThrow(Error);
      expect(semaphore.value).toBe(0);
    });

    it("regression (asyncio, over-release while a permit is reserved): counts a permit handed to a waiter whose code has not run as out, and throws on the release after", async () => {
      const semaphore = new BoundedSemaphore(1);
      const holder = await semaphore.acquire();
      const woken = track(semaphore.acquire());
      holder.release();
      // The permit is reserved for `woken`, whose code has not run: it is out, not free.
      expect(semaphore.value).toBe(0);
      expect(woken.state).toBe("pending");
      semaphore.release(); // gives back the reserved permit on the waiter's behalf: allowed
      expect(semaphore.value).toBe(1);
      expect(() => semaphore.release()).toThrow(/no permit is out/);
      expect(semaphore.value).toBe(1);
      await flushMicrotasks();
      expect(woken.state).toBe("fulfilled");
    });

    it("regression (asyncio, over-release while a permit is reserved): a newcomer cannot take the reserved permit, so the bound is never exceeded", async () => {
      const semaphore = new BoundedSemaphore(1);
      const holder = await semaphore.acquire();
      const woken = track(semaphore.acquire());
      holder.release();
      expect(semaphore.tryAcquire()).toBeNull();
      const newcomer = track(semaphore.acquire());
      await flushMicrotasks();
      expect(woken.state).toBe("fulfilled");
      expect(newcomer.state).toBe("pending");
      expect(() => semaphore.release()).not.toThrow(); // woken's permit, which is out
      await flushMicrotasks();
      expect(newcomer.state).toBe("fulfilled");
      expect(() => semaphore.release()).not.toThrow();
      expect(() => semaphore.release()).toThrow(/no permit is out/);
    });
  });
});
