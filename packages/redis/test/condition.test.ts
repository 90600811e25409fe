/**
 * Core's Condition contract against RedisCondition: wait() releases the lock and queues in one
 * script, notify wakes the first waiters in arrival order (whatever their process), each takes
 * the lock back in turn, a rejected wait (abort, timeout) still holds the lock when it settles and
 * passes on a notification it got — with the parties on one connection, on two, and in child
 * processes on the other runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, LeaseLostError, type RedisSync } from "@syncio/redis";
import { eventually, type Held, type Party, type Target } from "./support/party.js";
import { startRedis, type RedisServer } from "./support/server.js";
import { freshName, setups } from "./support/setups.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

function track<T>(promise: Promise<T>) {
  const tracked = { state: "pending" as "pending" | "fulfilled" | "rejected", promise };
  promise.then(
    () => (tracked.state = "fulfilled"),
    () => (tracked.state = "rejected"),
  );
  return tracked;
}

describe.each(setups)("$name", (setup) => {
  let parties: [Party, Party & { sync: RedisSync }, Party];
  let observer: RedisSync;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ parties, observer, close } = await setup.open(server, `condition-${Date.now()}`, 5_000));
  }, 60_000);
  afterAll(() => close?.());

  const fresh = (): Target => ({ kind: "condition", name: freshName("cond") });
  const stats = (target: Target) => observer.condition(target.name).statistics();
  const waiters = (target: Target, count: number) => eventually(async () => (await stats(target)).waiters === count, `${count} condition waiter(s) in Redis`);
  const lockWaiters = (target: Target, count: number) => eventually(async () => (await observer.lock(target.name).statistics()).waiters === count, `${count} waiter(s) on the lock`);

  /** `party` acquires the condition's lock and waits; resolves to the lease it holds again after. */
  async function waitIn(party: Party, target: Target, options?: { timeout?: number; signal?: AbortSignal }): Promise<{ held: Held; waited: Promise<true> }> {
    const held = await party.acquire(target);
    const waited = party.call(target, "wait", [], options ?? {});
    waited.catch(() => {}); // asserted later; never an unhandled rejection meanwhile
    return { held, waited };
  }

  describe("wait()", () => {
    it("releases the lock, waits for a notification from another process, and resolves holding the lock again", async () => {
      const target = fresh();
      const [notifier, waiter] = parties;
      const { held, waited } = await waitIn(waiter, target);
      const tracked = track(waited);
      await waiters(target, 1);
      expect((await stats(target)).locked).toBe(false);
      const notifierLease = await notifier.acquire(target);
      await notifier.call(target, "notify");
      expect(await stats(target)).toEqual({ locked: true, waiters: 0 });
      expect(tracked.state).toBe("pending"); // notified, queued on the lock its notifier holds
      await notifier.release(notifierLease);
      expect(await waited).toBe(true);
      expect((await stats(target)).locked).toBe(true);
      // The waiter's lease holds the lock again and releases it.
      expect(await waiter.leaseState(held)).toEqual({ held: true, aborted: false });
      await waiter.release(held);
      expect((await stats(target)).locked).toBe(false);
    });

    it("takes the lock back under a larger fence, which the same lease reports", async () => {
      const target = fresh();
      const sync = parties[1].sync;
      const condition = sync.condition(target.name);
      const lease = await condition.acquire();
      const before = lease.fence;
      const waited = condition.wait();
      await waiters(target, 1);
      const other = await parties[0].acquire(target);
      await parties[0].call(target, "notify");
      await parties[0].release(other);
      await waited;
      expect(lease.fence).toBeGreaterThan(other.fence);
      expect(other.fence).toBeGreaterThan(before);
      expect(String(lease)).toMatch(/held>$/);
      await lease.release();
    });

    it("throws an Error at once when this connection does not hold the lock, and changes nothing", async () => {
      const target = fresh();
      const condition = parties[1].sync.condition(target.name);
      expect(() => condition.wait()).toThrow(/without holding the lock/);
      expect(() => condition.notify()).toThrow(/without holding the lock/);
      expect(() => condition.notifyAll()).toThrow(/without holding the lock/);
      expect(() => condition.waitFor(() => true)).toThrow(/without holding the lock/);
      const held = await parties[0].acquire(target);
      const sameConnection = "sync" in parties[0] && parties[0].sync === parties[1].sync;
      if (!sameConnection) expect(() => condition.wait()).toThrow(/without holding the lock/);
      await parties[0].release(held);
      expect(await stats(target)).toEqual({ locked: false, waiters: 0 });
    });
  });

  describe("wait({ signal, timeout })", () => {
    it("rejects with the signal's reason only once it holds the lock again, leaving no waiter", async () => {
      const target = fresh();
      const [other, waiter] = parties;
      const controller = new AbortController();
      const { held, waited } = await waitIn(waiter, target, { signal: controller.signal });
      const tracked = track(waited);
      await waiters(target, 1);
      const otherLease = await other.acquire(target);
      const reason = new Error("stop");
      controller.abort(reason);
      await waiters(target, 0);
      await lockWaiters(target, 1);
      expect(tracked.state).toBe("pending"); // the lock is contested: it waits to take it back
      await other.release(otherLease);
      await expect(waited).rejects.toBe(reason);
      expect(await waiter.leaseState(held)).toEqual({ held: true, aborted: false });
      await waiter.release(held);
    });

    it("rejects with a TimeoutError holding the lock again, leaving no waiter", async () => {
      const target = fresh();
      const waiter = parties[2];
      const started = Date.now();
      const { held, waited } = await waitIn(waiter, target, { timeout: 120 });
      await expect(waited).rejects.toMatchObject({ name: "TimeoutError" });
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
      expect(await stats(target)).toEqual({ locked: true, waiters: 0 });
      await waiter.release(held);
    });

    it("with timeout 0 rejects at once, keeping the lock held", async () => {
      const target = fresh();
      const { held, waited } = await waitIn(parties[0], target, { timeout: 0 });
      await expect(waited).rejects.toMatchObject({ name: "TimeoutError" });
      expect(await stats(target)).toEqual({ locked: true, waiters: 0 });
      await parties[0].release(held);
    });

    it("passes a notification on when the notified waiter is aborted before it takes the lock back", async () => {
      const target = fresh();
      const [notifier, first, second] = parties;
      const controller = new AbortController();
      const a = await waitIn(first, target, { signal: controller.signal });
      await waiters(target, 1);
      const b = await waitIn(second, target);
      await waiters(target, 2);
      const lease = await notifier.acquire(target);
      await notifier.call(target, "notify", [1]);
      expect((await stats(target)).waiters).toBe(1);
      controller.abort(new Error("gave up"));
      // Its notification went to the second waiter: both now queue for the lock.
      await waiters(target, 0);
      await notifier.release(lease);
      await expect(a.waited).rejects.toThrow("gave up");
      await first.release(a.held);
      expect(await b.waited).toBe(true);
      await second.release(b.held);
    });
  });

  describe("notify() and notifyAll()", () => {
    it("notify(n) wakes the first n waiters in arrival order, one lock holder at a time", async () => {
      const target = fresh();
      const [notifier, a, b] = parties;
      const order: string[] = [];
      const calls = [];
      for (const [label, party] of [["1", a], ["2", b], ["3", a]] as const) {
        const { held, waited } = await waitIn(party, target);
        calls.push(waited.then(async () => (order.push(label), party.release(held))));
        await waiters(target, calls.length);
      }
      const lease = await notifier.acquire(target);
      await notifier.call(target, "notify", [2]);
      await notifier.call(target, "notify", [0]);
      expect((await stats(target)).waiters).toBe(1);
      await notifier.release(lease);
      await Promise.all(calls.slice(0, 2));
      expect(order).toEqual(["1", "2"]);
      const again = await notifier.acquire(target);
      await notifier.call(target, "notifyAll");
      await notifier.release(again);
      await calls[2];
      expect(order).toEqual(["1", "2", "3"]);
      expect(await stats(target)).toEqual({ locked: false, waiters: 0 });
    });

    it("notifyAll() wakes only this condition's waiters when two conditions share a lock", async () => {
      const lockName = freshName("shared");
      const sync = parties[1].sync;
      const lock = sync.lock(lockName);
      const [left, right] = [sync.condition(`${lockName}-left`, lock), sync.condition(`${lockName}-right`, lock)];
      const first = await lock.acquire();
      const leftWait = left.wait();
      await eventually(async () => (await left.statistics()).waiters === 1, "left waits");
      const second = await lock.acquire();
      const rightWait = track(right.wait());
      await eventually(async () => (await right.statistics()).waiters === 1, "right waits");
      const third = await lock.acquire();
      await left.notifyAll();
      await third.release();
      await leftWait;
      expect(rightWait.state).toBe("pending");
      expect((await right.statistics()).waiters).toBe(1);
      await right.notify();
      await first.release();
      await rightWait.promise;
      await second.release();
      expect(await lock.locked()).toBe(false);
    });
  });

  describe("waitFor()", () => {
    it("re-checks the predicate after each notification, with the lock held, and resolves to its value", async () => {
      const target = fresh();
      const sync = parties[1].sync;
      const condition = sync.condition(target.name);
      const counter = sync.event(`${target.name}-flag`);
      const lease = await condition.acquire();
      let checks = 0;
      const waiting = condition.waitFor(async () => {
        checks++;
        expect(await condition.locked()).toBe(true);
        return (await counter.isSet()) && "ready";
      });
      for (let round = 0; round < 2; round++) {
        await waiters(target, 1);
        const other = await parties[0].acquire(target);
        if (round === 1) await parties[0].set({ kind: "event", name: `${target.name}-flag` });
        await parties[0].call(target, "notify");
        await parties[0].release(other);
      }
      expect(await waiting).toBe("ready");
      expect(checks).toBe(3);
      await lease.release();
    });
  });
});

describe("RedisCondition, locally", () => {
  let sync: RedisSync;
  beforeAll(async () => {
    sync = await connect(server.url, { prefix: `condition-local-${Date.now()}`, lease: 1_000 });
  });
  afterAll(() => sync?.close());

  it("uses the lock of its name by default, and the lock it is given (of this connection only)", async () => {
    const name = freshName("default");
    const condition = sync.condition(name);
    const lease = await sync.lock(name).acquire();
    expect(await condition.locked()).toBe(true);
    await condition.release();
    expect(lease.held).toBe(false);
    const other = await connect(server.url, { prefix: sync.prefix });
    expect(() => sync.condition("c", other.lock("l"))).toThrow(TypeError);
    expect(() => sync.condition("c", {} as never)).toThrow(TypeError);
    expect(() => sync.condition("")).toThrow(RangeError);
    await other.close();
  });

  it("rejects wait() with LeaseLostError when its lease was lost in Redis before it could wait", async () => {
    const name = freshName("lost");
    const condition = sync.condition(name);
    const lease = await condition.acquire();
    // Redis loses the grant (as after a restart without persistence); this process still thinks it holds.
    const { createClient } = await import("@redis/client");
    const raw = createClient({ url: server.url });
    await raw.connect();
    await raw.del(`${sync.prefix}:{${name}}:granted`);
    raw.destroy();
    await expect(condition.wait()).rejects.toBeInstanceOf(LeaseLostError);
    expect(lease.held).toBe(false);
  });

  it("shows itself locally and counts only waiters not yet notified", async () => {
    const name = freshName("shown");
    const condition = sync.condition(name);
    expect(String(condition)).toBe(`<RedisCondition "${name}">`);
    expect(await condition.statistics()).toEqual({ locked: false, waiters: 0 });
    expect(() => condition.notify(-1)).toThrow(RangeError);
    expect(() => condition.run(5 as never)).toThrow(TypeError);
    expect(await condition.run(async (lease) => (await condition.locked()) && typeof lease.fence)).toBe("bigint");
  });
});
