/**
 * Core's Barrier contract against RedisBarrier: a round trips when the last party arrives, with
 * indices unique in the round (also when a waiter left it by abort or timeout — asyncio gh-155233),
 * reset() and abort() failing those inside with BrokenBarrierError, abort() breaking the barrier
 * until reset() — with the parties on one connection, on two, and in child processes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrokenBarrierError, connect, type RedisSync } from "@syncio/redis";
import { eventually, type Party, type Target } from "./support/party.js";
import { startRedis, type RedisServer } from "./support/server.js";
import { freshName, setups } from "./support/setups.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

describe.each(setups)("$name", (setup) => {
  let parties: [Party, Party & { sync: RedisSync }, Party];
  let observer: RedisSync;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ parties, observer, close } = await setup.open(server, `barrier-${Date.now()}`, 5_000));
  }, 60_000);
  afterAll(() => close?.());

  const fresh = (parties: number): Target => ({ kind: "barrier", name: freshName("barrier"), value: parties });
  const view = (target: Target) => observer.barrier(target.name, target.value!);
  const waiting = (target: Target, count: number) => eventually(async () => (await view(target).nWaiting()) === count, `${count} waiting in the round`);
  /** Starts `party`'s wait and waits until Redis has it in the round. */
  async function arrive(party: Party, target: Target, options: { timeout?: number; signal?: AbortSignal } = {}): Promise<{ waited: Promise<number> }> {
    const before = await view(target).nWaiting();
    const waited = party.call(target, "wait", [], options);
    waited.catch(() => {}); // asserted later
    await waiting(target, before + 1);
    return { waited }; // wrapped: an async function would wait for it
  }

  it("passes at once with one party, index 0", async () => {
    expect(await parties[2].call(fresh(1), "wait")).toBe(0);
  });

  it("blocks until the last party arrives, then releases all, in every process, with unique indices in arrival order", async () => {
    const target = fresh(3);
    const { waited: first } = await arrive(parties[0], target);
    const { waited: second } = await arrive(parties[2], target);
    expect(await view(target).statistics()).toEqual({ parties: 3, state: "filling", waiters: 2 });
    const last = await parties[1].call(target, "wait");
    expect([await first, await second, last]).toEqual([0, 1, 2]);
    expect(await view(target).nWaiting()).toBe(0);
  });

  it("can be used round after round", async () => {
    const target = fresh(2);
    for (let round = 0; round < 3; round++) {
      const { waited: first } = await arrive(parties[round % 3]!, target);
      expect(await parties[(round + 1) % 3]!.call(target, "wait")).toBe(1);
      expect(await first).toBe(0);
    }
  });

  it("regression gh-155233: hands out unique indices in a round that a waiter left by abort or timeout", async () => {
    const target = fresh(3);
    const { waited: stays } = await arrive(parties[1], target);
    const controller = new AbortController();
    const { waited: aborted } = await arrive(parties[0], target, { signal: controller.signal });
    controller.abort(new Error("left"));
    await expect(aborted).rejects.toThrow("left");
    await waiting(target, 1);
    await expect(parties[2].call(target, "wait", [], { timeout: 100 })).rejects.toMatchObject({ name: "TimeoutError" });
    await waiting(target, 1);
    const { waited: second } = await arrive(parties[0], target);
    const last = await parties[2].call(target, "wait");
    expect([await stays, await second, last]).toEqual([0, 1, 2]);
  });

  it("with timeout 0 trips as the last party, else rejects at once without joining", async () => {
    const target = fresh(2);
    await expect(parties[0].call(target, "wait", [], { timeout: 0 })).rejects.toMatchObject({ name: "TimeoutError" });
    expect(await view(target).nWaiting()).toBe(0);
    const { waited: first } = await arrive(parties[1], target);
    expect(await parties[2].call(target, "wait", [], { timeout: 0 })).toBe(1);
    expect(await first).toBe(0);
  });

  it("reset() fails those waiting, in every process, with BrokenBarrierError and leaves an empty filling round", async () => {
    const target = fresh(3);
    const { waited: a } = await arrive(parties[0], target);
    const { waited: b } = await arrive(parties[2], target);
    await parties[1].call(target, "reset");
    await expect(a).rejects.toMatchObject({ name: "BrokenBarrierError" });
    await expect(b).rejects.toMatchObject({ name: "BrokenBarrierError" });
    expect(await view(target).statistics()).toEqual({ parties: 3, state: "filling", waiters: 0 });
    const { waited: again } = await arrive(parties[2], target);
    await parties[1].call(target, "reset");
    await expect(again).rejects.toMatchObject({ name: "BrokenBarrierError" });
  });

  it("abort() fails those waiting and every later wait() until reset(), which repairs it", async () => {
    const target = fresh(2);
    const { waited: a } = await arrive(parties[0], target);
    await parties[2].call(target, "abort");
    await expect(a).rejects.toMatchObject({ name: "BrokenBarrierError" });
    expect(await view(target).broken()).toBe(true);
    await expect(parties[1].call(target, "wait")).rejects.toMatchObject({ name: "BrokenBarrierError" });
    await parties[2].call(target, "abort");
    expect(await view(target).statistics()).toEqual({ parties: 2, state: "broken", waiters: 0 });
    await parties[0].call(target, "reset");
    expect(await view(target).broken()).toBe(false);
    const { waited: first } = await arrive(parties[0], target);
    expect(await parties[1].call(target, "wait")).toBe(1);
    expect(await first).toBe(0);
  });
});

describe("RedisBarrier, locally", () => {
  let sync: RedisSync;
  beforeAll(async () => {
    sync = await connect(server.url, { prefix: `barrier-local-${Date.now()}` });
  });
  afterAll(() => sync?.close());

  it("checks parties and options at once, and shows itself locally", () => {
    expect(() => sync.barrier("b", 0)).toThrow(RangeError);
    expect(() => sync.barrier("b", "2" as never)).toThrow(TypeError);
    expect(() => sync.barrier("b", 1.5)).toThrow(RangeError);
    const barrier = sync.barrier("b", 2);
    expect(barrier.parties).toBe(2);
    expect(String(barrier)).toBe('<RedisBarrier "b">');
    expect(() => barrier.wait({ timeout: -1 })).toThrow(RangeError);
  });

  it("refuses the same name with other parties, naming both", async () => {
    const name = freshName("clash");
    await sync.barrier(name, 2).nWaiting();
    await expect(sync.barrier(name, 3).wait()).rejects.toThrow(/RedisBarrier .* \(parties 3\): the name is already used in Redis as a barrier of 2 parties/);
  });

  it("BrokenBarrierError is core's", async () => {
    expect(BrokenBarrierError).toBe((await import("@syncio/core")).BrokenBarrierError);
  });
});
