/** What Lock, Semaphore and BoundedSemaphore add to the lock-like suite: counts, bounds, handles, tryAcquire. */
import { describe, expect, it } from "vitest";
import { Acquired as CoreAcquired } from "@syncio/core";
import { Acquired, BoundedSemaphore, Lock, Semaphore } from "@syncio/workers";
import { useThreads } from "./support/suite.js";

const threads = useThreads(4);

/** `util.inspect` where `node:util` exists (Node, Deno, Bun), else undefined (a browser). */
async function nodeInspect(): Promise<((value: unknown) => string) | undefined> {
  const specifier = "node:util";
  try {
    return ((await import(/* @vite-ignore */ specifier)) as { inspect(value: unknown): string }).inspect;
  } catch {
    return undefined;
  }
}

describe("Lock", () => {
  it("tryAcquire() returns the handle while free, else null, and never barges past a waiter", async () => {
    const lock = new Lock();
    const handle = lock.tryAcquire();
    expect(handle?.held).toBe(true);
    expect(lock.tryAcquire()).toBe(null);
    const waiter = await threads[0]!.call(lock, "acquire");
    handle!.release();
    expect(lock.tryAcquire()).toBe(null);
    await waiter.outcomeWithin();
    await threads[0]!.callOn(waiter, "release");
    using held = lock.tryAcquire();
    expect(held).not.toBe(null);
  });

  it("release() on an unlocked Lock throws an Error and changes nothing", () => {
    const lock = new Lock();
    expect(() => lock.release()).toThrow("Lock.release() called on an unlocked Lock");
    expect(lock.statistics()).toEqual({ locked: false, waiters: 0 });
  });

  it("a handle whose acquisition a bare release() already ended throws instead of releasing the next holder's", async () => {
    const lock = new Lock();
    const stale = await lock.acquire();
    lock.release();
    const next = await threads[0]!.call(lock, "acquire");
    await next.outcomeWithin();
    expect(() => stale.release()).toThrow(/this handle's acquisition was already released/);
    expect(lock.locked()).toBe(true);
    expect(stale.held).toBe(false);
    await threads[0]!.callOn(next, "release");
    expect(lock.locked()).toBe(false);
  });

  it("hands out core's Acquired, whose held turns false as soon as a bare release() ends the acquisition", async () => {
    const lock = new Lock();
    const handle = await lock.acquire();
    expect(Acquired).toBe(CoreAcquired);
    expect(handle).toBeInstanceOf(CoreAcquired);
    expect(handle.held).toBe(true);
    lock.release();
    expect(handle.held).toBe(false);
    const next = lock.tryAcquire()!;
    // The lock is held again, but by a later acquisition: not this handle's.
    expect(handle.held).toBe(false);
    expect(next.held).toBe(true);
    next.release();
    expect(next.held).toBe(false);
  });

  it("a stale handle throws also when the lock is free again", async () => {
    const lock = new Lock();
    const stale = await lock.acquire();
    lock.release();
    expect(() => stale[Symbol.dispose]()).toThrow(Error);
    expect(lock.locked()).toBe(false);
  });

  it("shows asyncio's form in String() and util.inspect, counting waiters in every thread", async () => {
    const lock = new Lock();
    expect(String(lock)).toBe("<Lock [unlocked]>");
    await lock.acquire();
    expect(String(lock)).toBe("<Lock [locked]>");
    await threads[0]!.call(lock, "acquire");
    const inspect = await nodeInspect();
    expect(inspect?.(lock) ?? String(lock)).toBe("<Lock [locked, waiters:1]>");
  });

  it("rejects bad construction options", () => {
    expect(() => new Lock({ waiters: 0 })).toThrow(RangeError);
    expect(() => new Lock({ waiters: 1.5 })).toThrow(RangeError);
    expect(() => new Lock({ waiter: 4 } as never)).toThrow(/unknown option `waiter`/);
    expect(() => new Lock(5 as never)).toThrow(TypeError);
  });
});

describe("Semaphore", () => {
  it("a Semaphore's handle is held until it releases (a permit cannot be told from another)", async () => {
    const semaphore = new Semaphore(2);
    const handle = await semaphore.acquire();
    expect(handle.held).toBe(true);
    handle.release();
    expect(handle.held).toBe(false);
    expect(semaphore.value).toBe(2);
  });

  it("lets `value` holders in, in as many threads, and counts the free permits everyone sees", async () => {
    const semaphore = new Semaphore(3);
    const holders = [];
    for (const thread of threads.slice(0, 3)) holders.push(await thread.call(semaphore, "acquire"));
    for (const holder of holders) await holder.outcomeWithin();
    expect([semaphore.value, semaphore.locked()]).toEqual([0, true]);
    const fourth = await threads[3]!.call(semaphore, "acquire");
    expect(semaphore.statistics()).toEqual({ value: 0, waiters: 1 });
    await threads[1]!.callOn(holders[1]!, "release");
    await fourth.outcomeWithin();
    expect(semaphore.statistics()).toEqual({ value: 0, waiters: 0 });
  });

  it("grows past its initial value on release() when nobody waits, as asyncio's does", () => {
    const semaphore = new Semaphore(0);
    semaphore.release();
    semaphore.release();
    expect(semaphore.value).toBe(2);
    expect(String(semaphore)).toBe("<Semaphore [unlocked, value:2]>");
  });

  it("hands released permits to waiters in arrival order, before any newcomer", async () => {
    const semaphore = new Semaphore(0);
    const waiters = [];
    for (const thread of threads.slice(0, 3)) waiters.push(await thread.call(semaphore, "acquire"));
    semaphore.release();
    semaphore.release();
    expect(semaphore.tryAcquire()).toBe(null);
    expect(semaphore.statistics()).toEqual({ value: 0, waiters: 1 });
    await Promise.all(waiters.slice(0, 2).map((waiter) => waiter.outcomeWithin()));
    expect(waiters[2]!.state).toBe("pending");
    semaphore.release();
    await waiters[2]!.outcomeWithin();
  });

  it.each([
    ["a string", "1", TypeError],
    ["a negative number", -1, RangeError],
    ["a fraction", 1.5, RangeError],
    ["2³¹ (more than its Int32 count holds)", 2 ** 31, RangeError],
  ])("throws on %s as its value", (_label, value, errorClass) => {
    expect(() => new Semaphore(value as never)).toThrow(errorClass);
    expect(() => new Semaphore(value as never)).toThrow(/^Semaphore\(\): expected `value`/);
  });

  it("refuses to count past 2³¹−1 free permits", () => {
    const semaphore = new Semaphore(2 ** 31 - 1);
    expect(() => semaphore.release()).toThrow(/2147483647/);
    expect(semaphore.value).toBe(2 ** 31 - 1);
  });
});

describe("BoundedSemaphore", () => {
  it("throws when released with no permit out, and changes nothing", () => {
    const semaphore = new BoundedSemaphore(2);
    expect(() => semaphore.release()).toThrow("BoundedSemaphore.release() called more times than acquire(): no permit is out (value 2 of 2)");
    expect(semaphore.value).toBe(2);
  });

  it("counts a permit handed to a waiter whose thread has not run yet as out, and stays within its bound", async () => {
    const semaphore = new BoundedSemaphore(1);
    await semaphore.acquire();
    const waiter = await threads[0]!.call(semaphore, "acquire");
    semaphore.release();
    expect(semaphore.value).toBe(0);
    // The waiter's permit may be given back (no owners), once: then none is out.
    semaphore.release();
    expect(semaphore.value).toBe(1);
    expect(() => semaphore.release()).toThrow(/no permit is out/);
    await waiter.outcomeWithin();
    expect(semaphore.value).toBe(1);
  });

  it("a BoundedSemaphore(0) refuses every release", () => {
    const semaphore = new BoundedSemaphore(0);
    expect(() => semaphore.release()).toThrow(/no permit is out \(value 0 of 0\)/);
  });

  it("its handle still refuses to pass the bound after a bare release() gave its permit back", async () => {
    const semaphore = new BoundedSemaphore(1);
    const handle = await semaphore.acquire();
    semaphore.release();
    expect(() => handle.release()).toThrow(/no permit is out/);
    expect(semaphore.value).toBe(1);
  });

  it("shows its own name in String()", () => {
    expect(String(new BoundedSemaphore(2))).toBe("<BoundedSemaphore [unlocked, value:2]>");
  });

  it("from() a Semaphore's handle is a TypeError, and the other way round", () => {
    expect(() => BoundedSemaphore.from(new Semaphore().handle)).toThrow(TypeError);
    expect(() => Semaphore.from(new BoundedSemaphore().handle)).toThrow(TypeError);
  });
});
