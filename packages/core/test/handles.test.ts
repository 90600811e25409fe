/**
 * What an acquisition's handle may release (only its own acquisition), tryAcquire()'s handle,
 * and run(fn), over every lock-like type.
 */
import { describe, expect, it } from "vitest";
import { Acquired, BoundedSemaphore, Condition, Lock, Semaphore, TimeoutError } from "syncio";
import { flushMicrotasks, useVirtualTime } from "syncio/testing";
import { lockLikes, rejectionOf, track } from "./support/index.js";

describe("Lock handles", () => {
  it("do not release a later holder's lock once a bare release() ended their acquisition", async () => {
    const lock = new Lock();
    const first = await lock.acquire();
    const second = track(lock.acquire());
    const third = track(lock.acquire());
    lock.release(); // a stray bare release elsewhere: the lock passes to the second caller
    await flushMicrotasks();
    expect(second.state).toBe("fulfilled");
    expect(() => first.release()).toThrow(/this handle's acquisition was already released by a bare Lock.release\(\)/);
    await flushMicrotasks();
    // The second caller is still alone inside: the third was not let in.
    expect(third.state).toBe("pending");
    expect(second.value!.held).toBe(true);
    expect(lock.statistics()).toEqual({ locked: true, waiters: 1 });
    second.value!.release();
    await flushMicrotasks();
    expect(third.state).toBe("fulfilled");
  });

  it("throw on the stray-released holder's dispose at the end of its using block, and never on the next caller's", async () => {
    const lock = new Lock();
    const inside: string[] = [];
    let most = 0;
    const enter = (name: string) => {
      inside.push(name);
      most = Math.max(most, inside.length);
    };
    const leave = (name: string) => inside.splice(inside.indexOf(name), 1);
    const caller = async (name: string, body: () => Promise<void>) => {
      using _held = await lock.acquire();
      enter(name);
      try {
        await body();
      } finally {
        leave(name);
      }
    };
    const a = track(
      caller("a", async () => {
        lock.release(); // the stray release, inside a's own critical section
        await flushMicrotasks();
      }),
    );
    const b = track(caller("b", () => flushMicrotasks()));
    const c = track(caller("c", () => flushMicrotasks()));
    for (let i = 0; i < 10 && !(a.settled && b.settled && c.settled); i++) await flushMicrotasks();
    expect(a.state).toBe("rejected");
    expect(String(a.reason)).toMatch(/already released by a bare Lock.release\(\)/);
    expect([b.state, c.state]).toEqual(["fulfilled", "fulfilled"]);
    // a and b overlapped (the stray release let b in), but a's dispose never let c in beside b.
    expect(most).toBe(2);
    expect(lock.locked()).toBe(false);
  });

  it("say they are no longer held once a bare release() ended their acquisition, even with nobody waiting", async () => {
    const lock = new Lock();
    const handle = await lock.acquire();
    lock.release();
    expect(handle.held).toBe(false);
    expect(() => handle.release()).toThrow(/already released.*the lock is unlocked/);
    expect(lock.locked()).toBe(false);
  });

  it("release once; a second release or dispose does nothing, also after the error", async () => {
    const lock = new Lock();
    const handle = await lock.acquire();
    lock.release();
    expect(() => handle.release()).toThrow();
    expect(() => handle[Symbol.dispose]()).not.toThrow();
    const again = await lock.acquire();
    again.release();
    again.release();
    expect(lock.locked()).toBe(false);
  });

  it("reject from an await using disposal instead of throwing synchronously", async () => {
    const lock = new Lock();
    const handle = await lock.acquire();
    lock.release();
    await expect(handle[Symbol.asyncDispose]()).rejects.toThrow(/already released/);
  });
});

describe("Condition handles", () => {
  it("still release the lock after the condition's wait() gave it up and took it back", async () => {
    const condition = new Condition();
    const handle = await condition.acquire();
    const waiting = condition.wait();
    const notifier = await condition.acquire();
    condition.notify();
    notifier.release();
    await waiting;
    expect(handle.held).toBe(true);
    handle.release();
    expect(condition.locked()).toBe(false);
  });

  it("still release the lock after wait() timed out and took the lock back", async () => {
    using clock = useVirtualTime();
    const condition = new Condition();
    const handle = await condition.acquire();
    const waiting = rejectionOf(condition.wait({ timeout: 10 }));
    await clock.advance(10);
    expect(await waiting).toBeInstanceOf(TimeoutError);
    expect(handle.held).toBe(true);
    handle.release();
    expect(condition.locked()).toBe(false);
  });

  it("are not held while their wait() has given the lock away", async () => {
    const condition = new Condition();
    const handle = await condition.acquire();
    const waiting = track(condition.wait());
    const other = await condition.acquire();
    expect(handle.held).toBe(false);
    expect(() => handle.release()).toThrow(/already released/);
    condition.notify();
    other.release();
    await flushMicrotasks();
    expect(waiting.state).toBe("fulfilled");
    expect(condition.locked()).toBe(true);
  });
});

describe("BoundedSemaphore handles", () => {
  it("refuse to release past the bound once a bare release() gave their permit back, changing nothing", async () => {
    const semaphore = new BoundedSemaphore(2);
    const handle = await semaphore.acquire();
    semaphore.release();
    expect(() => handle.release()).toThrow(/this handle's permit was already given back by a bare release\(\).*value 2 of 2/);
    expect(semaphore.value).toBe(2);
  });
});

describe("Semaphore handles", () => {
  it("each give one permit back: a semaphore's permits have no owner, so a bare release() cannot be told from a handle's", async () => {
    const semaphore = new Semaphore(1);
    const handle = await semaphore.acquire();
    semaphore.release();
    handle.release();
    expect(semaphore.value).toBe(2);
  });
});

describe.each(lockLikes.filter(({ name }) => name !== "Condition"))("$name.tryAcquire()", ({ make }) => {
  it("returns a handle that releases what it took, usable with using", () => {
    const { primitive, tryAcquire } = make();
    {
      using handle = tryAcquire!();
      expect(handle).toBeInstanceOf(Acquired);
      expect(handle!.held).toBe(true);
      expect(primitive.locked()).toBe(true);
    }
    expect(primitive.locked()).toBe(false);
  });

  it("returns null when it would have to wait, and `using` accepts that", async () => {
    const { primitive, tryAcquire } = make();
    await primitive.acquire();
    using handle = tryAcquire!();
    expect(handle).toBeNull();
    expect(primitive.locked()).toBe(true);
  });
});

describe.each(lockLikes)("$name.run()", ({ make }) => {
  it("runs fn holding it, releases once fn's promise settles, and resolves to fn's value", async () => {
    const { primitive } = make();
    let lockedInside: boolean | undefined;
    const result = await primitive.run(async () => {
      await flushMicrotasks();
      lockedInside = primitive.locked();
      return 42;
    });
    expect(result).toBe(42);
    expect(lockedInside).toBe(true);
    expect(primitive.locked()).toBe(false);
  });

  it("holds until the returned promise settles, not until fn returns it", async () => {
    const { primitive } = make();
    let finish!: () => void;
    const running = track(primitive.run(() => new Promise<void>((resolve) => (finish = resolve))));
    await flushMicrotasks();
    expect(primitive.locked()).toBe(true);
    finish();
    await flushMicrotasks();
    expect(running.state).toBe("fulfilled");
    expect(primitive.locked()).toBe(false);
  });

  it("rejects with fn's error and still releases", async () => {
    const { primitive } = make();
    const failure = new Error("boom");
    expect(await rejectionOf(primitive.run(() => Promise.reject(failure)))).toBe(failure);
    expect(await rejectionOf(primitive.run(() => { throw failure; }))).toBe(failure);
    expect(primitive.locked()).toBe(false);
  });

  it("waits its turn in arrival order and takes the usual options", async () => {
    using clock = useVirtualTime();
    const { primitive } = make();
    const holder = await primitive.acquire();
    const order: string[] = [];
    const first = primitive.run(() => order.push("first"));
    let called = false;
    const timedOut = rejectionOf(primitive.run(() => (called = true), { timeout: 5 }));
    const second = primitive.run(() => order.push("second"));
    await clock.advance(5);
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(called).toBe(false);
    holder.release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(primitive.locked()).toBe(false);
  });

  it("throws a TypeError naming run() at once when fn is not a function", () => {
    const { primitive } = make();
    expect(() => primitive.run("fn" as never)).toThrow(TypeError);
    expect(() => primitive.run("fn" as never)).toThrow(/\.run\(\): expected `fn` to be a function, got "fn" \(string\)/);
    expect(primitive.locked()).toBe(false);
  });
});

describe("Condition.run()", () => {
  it("lets fn wait for a notification and returns what it computed after", async () => {
    const condition = new Condition();
    const items: number[] = [];
    const consumer = condition.run(async () => {
      await condition.waitFor(() => items.length > 0);
      return items.shift();
    });
    await flushMicrotasks();
    await condition.run(() => {
      items.push(0);
      condition.notify();
    });
    expect(await consumer).toBe(0);
    expect(condition.locked()).toBe(false);
  });
});
