/**
 * Core's lock-like contract (FIFO, direct hand-off, no barging, abort and timeout leaving no
 * trace, handles that release once and only their own acquisition) against RedisLock,
 * RedisSemaphore(1) and RedisBoundedSemaphore(1) — with the holder and the waiters on one
 * connection, on two, and in child processes on the other runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TimeoutError, type RedisSync } from "@syncio/redis";
import { eventually, type Party, type Target } from "./support/party.js";
import { startRedis, type RedisServer } from "./support/server.js";
import { freshName, setups } from "./support/setups.js";

const LEASE = 5_000;
let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

const kinds: Array<{ name: string; target: (name: string) => Target }> = [
  { name: "RedisLock", target: (name) => ({ kind: "lock", name }) },
  { name: "RedisSemaphore(1)", target: (name) => ({ kind: "semaphore", name, value: 1 }) },
  { name: "RedisBoundedSemaphore(1)", target: (name) => ({ kind: "boundedSemaphore", name, value: 1 }) },
];

/** Whether a promise has settled yet, readable at any time; its rejection never goes unhandled. */
function track<T>(promise: Promise<T>) {
  const tracked = { state: "pending" as "pending" | "fulfilled" | "rejected", value: undefined as T | undefined, reason: undefined as unknown, promise };
  promise.then(
    (value) => Object.assign(tracked, { state: "fulfilled", value }),
    (reason: unknown) => Object.assign(tracked, { state: "rejected", reason }),
  );
  return tracked;
}

describe.each(setups)("$name", (setup) => {
  let parties: [Party, Party & { sync: RedisSync }, Party];
  let observer: RedisSync;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ parties, observer, close } = await setup.open(server, `lock-like-${Date.now()}`, LEASE));
  }, 60_000);
  afterAll(() => close?.());

  describe.each(kinds)("$name (lock-like)", ({ target: targetOf }) => {
    const view = (target: Target) => (target.kind === "lock" ? observer.lock(target.name) : observer[target.kind as "semaphore"](target.name, target.value));
    const waiters = async (target: Target) => (await view(target).statistics()).waiters;
    const queued = (target: Target, count: number) => eventually(async () => (await waiters(target)) === count, `${count} waiter(s) queued in Redis`);

    describe("acquire()", () => {
      it("resolves to a lease with a bigint fence, and the primitive is locked for everyone", async () => {
        const target = targetOf(freshName("a"));
        const [holder] = parties;
        const held = await holder.acquire(target);
        expect(typeof held.fence).toBe("bigint");
        expect(held.fence).toBeGreaterThan(0n);
        expect(await view(target).locked()).toBe(true);
        expect(await holder.leaseState(held)).toEqual({ held: true, aborted: false });
        await holder.release(held);
        expect(await view(target).locked()).toBe(false);
      });

      it("queues while held and resolves when released, in another process too", async () => {
        const target = targetOf(freshName("q"));
        const [holder, waiter] = parties;
        const held = await holder.acquire(target);
        const second = track(waiter.acquire(target));
        await queued(target, 1);
        expect(second.state).toBe("pending");
        await holder.release(held);
        const got = await second.promise;
        expect(got.fence).toBeGreaterThan(held.fence);
        expect(await waiters(target)).toBe(0);
        expect(await view(target).locked()).toBe(true);
        await waiter.release(got);
      });

      it("serves waiters in the order their requests reached Redis, whatever their process", async () => {
        const target = targetOf(freshName("fifo"));
        const [holder, a, b] = parties;
        let held = await holder.acquire(target);
        const order: string[] = [];
        const lineup: Array<[string, Party]> = [
          ["1", a],
          ["2", b],
          ["3", a],
          ["4", b],
        ];
        const calls = [];
        for (const [index, [label, party]] of lineup.entries()) {
          calls.push(party.acquire(target).then((lease) => (order.push(label), { party, lease })));
          await queued(target, index + 1);
        }
        let releaser = holder;
        for (let served = 0; served < 4; served++) {
          await releaser.release(held);
          const next = await calls[served]!;
          expect(order).toEqual(["1", "2", "3", "4"].slice(0, served + 1));
          expect(next.lease.fence).toBeGreaterThan(held.fence);
          ({ party: releaser, lease: held } = next);
        }
        await releaser.release(held);
      });

      it("hands the lock straight to the first waiter, so a newcomer cannot barge in", async () => {
        const target = targetOf(freshName("barge"));
        const [holder, newcomer, first] = parties;
        const held = await holder.acquire(target);
        const firstCall = track(first.acquire(target));
        await queued(target, 1);
        await holder.release(held);
        // Granted inside the release script: before the first waiter's code runs, it is taken.
        expect(await view(target).locked()).toBe(true);
        expect(await newcomer.tryAcquire(target)).toBeNull();
        const late = track(newcomer.acquire(target));
        const firstLease = await firstCall.promise;
        await queued(target, 1);
        expect(late.state).toBe("pending");
        await first.release(firstLease);
        const lateLease = await late.promise;
        expect(lateLease.fence).toBeGreaterThan(firstLease.fence);
        await newcomer.release(lateLease);
      });
    });

    describe("acquire({ signal })", () => {
      it("rejects with the signal's reason, unchanged, and leaves no waiter in Redis", async () => {
        const target = targetOf(freshName("abort"));
        const [holder, waiter] = parties;
        const held = await holder.acquire(target);
        const controller = new AbortController();
        const acquiring = track(waiter.acquire(target, { signal: controller.signal }));
        await queued(target, 1);
        const reason = { why: "stop" };
        controller.abort(reason);
        await expect(acquiring.promise).rejects.toBe(reason);
        await queued(target, 0);
        await holder.release(held);
        expect(await view(target).locked()).toBe(false);
      });

      it("passes the lock over an aborted waiter to the next one in line", async () => {
        const target = targetOf(freshName("skip"));
        const [holder, a, b] = parties;
        const held = await holder.acquire(target);
        const controller = new AbortController();
        const aborted = track(a.acquire(target, { signal: controller.signal }));
        await queued(target, 1);
        const next = track(b.acquire(target));
        await queued(target, 2);
        controller.abort(new Error("gone"));
        await expect(aborted.promise).rejects.toThrow("gone");
        await queued(target, 1); // its withdrawal reached Redis (faults.test.ts races the two)
        await holder.release(held);
        const lease = await next.promise;
        expect(lease.fence).toBe(held.fence + 1n);
        await b.release(lease);
      });

      it("rejects at once when already aborted, and takes nothing even if the lock is free", async () => {
        const target = targetOf(freshName("pre"));
        const local = parties[1];
        const reason = new Error("already");
        await expect(local.acquire(target, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
        expect(await view(target).locked()).toBe(false);
        expect(await waiters(target)).toBe(0);
      });
    });

    describe("acquire({ timeout })", () => {
      it("rejects with a TimeoutError once the timeout elapses, not before, leaving no waiter", async () => {
        const target = targetOf(freshName("timeout"));
        const [holder, waiter] = parties;
        const held = await holder.acquire(target);
        const started = Date.now();
        const error = await waiter.acquire(target, { timeout: 150 }).catch((reason: unknown) => reason);
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
        expect((error as Error).name).toBe("TimeoutError");
        await queued(target, 0);
        await holder.release(held);
      });

      it("takes a free lock with timeout 0, and rejects at once with timeout 0 when it is held, without queuing", async () => {
        const target = targetOf(freshName("zero"));
        const [holder, waiter] = parties;
        const held = await holder.acquire(target, { timeout: 0 });
        const error = await waiter.acquire(target, { timeout: 0 }).catch((reason: unknown) => reason);
        expect((error as Error).name).toBe("TimeoutError");
        expect(await waiters(target)).toBe(0);
        await holder.release(held);
      });
    });

    describe("the lease", () => {
      it("releases once; releasing again does nothing to a later holder", async () => {
        const target = targetOf(freshName("once"));
        const [holder, next] = parties;
        const held = await holder.acquire(target);
        const nextCall = track(next.acquire(target));
        await queued(target, 1);
        await holder.release(held);
        const nextLease = await nextCall.promise;
        await holder.release(held);
        expect(await view(target).locked()).toBe(true);
        expect(await holder.leaseState(held)).toEqual({ held: false, aborted: false });
        await next.release(nextLease);
        expect(await view(target).locked()).toBe(false);
      });

      it("a bare release() frees this connection's lease, never another process's", async () => {
        const target = targetOf(freshName("bare"));
        const [holder, other] = parties;
        const held = await holder.acquire(target);
        const sameConnection = "sync" in holder && holder.sync === other.sync;
        if (!sameConnection) await expect(other.bareRelease(target)).rejects.toThrow(/holds no lease/);
        expect(await view(target).locked()).toBe(true);
        await holder.bareRelease(target);
        expect(await view(target).locked()).toBe(false);
        // The lease's own acquisition was released some other way: for a Lock that is an error.
        if (target.kind === "lock") await expect(holder.release(held)).rejects.toThrow(/already released/);
        else await holder.release(held);
        await holder.release(held); // the first time only: later calls do nothing
        await expect(holder.bareRelease(target)).rejects.toThrow(/holds no lease/);
      });

      it("disposing a lease whose acquisition a bare release() ended never releases the next holder's", async () => {
        const target = targetOf(freshName("dispose"));
        const local = parties[1].sync;
        const primitive = target.kind === "lock" ? local.lock(target.name) : local[target.kind as "semaphore"](target.name, 1);
        const lease = await primitive.acquire();
        await primitive.release();
        const next = await primitive.acquire();
        // A Lock's lease says so (synchronously, as core's handle does); a semaphore's does nothing.
        if (target.kind === "lock") expect(() => lease[Symbol.dispose]()).toThrow(/already released by a bare release\(\)/);
        else lease[Symbol.dispose]();
        expect(lease.held).toBe(false);
        expect(next.held).toBe(true);
        expect(await view(target).locked()).toBe(true);
        await next.release();
      });

      it("run(fn) holds it while fn runs and releases after, passing on fn's outcome", async () => {
        const target = targetOf(freshName("run"));
        const local = parties[1];
        const primitive = target.kind === "lock" ? local.sync.lock(target.name) : local.sync[target.kind as "semaphore"](target.name, 1);
        const fences: bigint[] = [];
        const result = await primitive.run(async (lease) => {
          fences.push(lease.fence);
          expect(await view(target).locked()).toBe(true);
          return 42;
        });
        expect(result).toBe(42);
        expect(await view(target).locked()).toBe(false);
        await expect(
          primitive.run(() => {
            throw new Error("inside");
          }),
        ).rejects.toThrow("inside");
        expect(await view(target).locked()).toBe(false);
      });
    });

    describe("bad options", () => {
      it.each([
        ["a string timeout", { timeout: "10" }, TypeError],
        ["a negative timeout", { timeout: -1 }, RangeError],
        ["a signal that is not an AbortSignal", { signal: {} }, TypeError],
        ["an AbortSignal in place of the options", new AbortController().signal, TypeError],
        ["an unknown option", { timeot: 5 }, TypeError],
      ])("throws synchronously on %s and changes nothing", async (_label, options, errorClass) => {
        const target = targetOf(freshName("bad"));
        const primitive = target.kind === "lock" ? parties[1].sync.lock(target.name) : parties[1].sync[target.kind as "semaphore"](target.name, 1);
        expect(() => primitive.acquire(options as never)).toThrow(errorClass);
        expect(await view(target).locked()).toBe(false);
      });
    });
  });
});

describe("TimeoutError", () => {
  it("is core's class", async () => {
    expect(new TimeoutError("x")).toBeInstanceOf(Error);
    expect((await import("@syncio/core")).TimeoutError).toBe(TimeoutError);
  });
});
