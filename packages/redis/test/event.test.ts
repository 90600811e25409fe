/**
 * Core's Event contract against RedisEvent: set() wakes every waiter in every process, waiters
 * woken stay woken through a clear() right after, abort and timeout leave no waiter behind — with
 * the parties on one connection, on two, and in child processes on the other runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TimeoutError, type RedisSync } from "@syncio/redis";
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
    ({ parties, observer, close } = await setup.open(server, `event-${Date.now()}`, 5_000));
  }, 60_000);
  afterAll(() => close?.());

  const fresh = (): Target => ({ kind: "event", name: freshName("event") });
  const queued = (target: Target, count: number) =>
    eventually(async () => (await observer.event(target.name).statistics()).waiters === count, `${count} waiter(s) in Redis`);

  describe("RedisEvent", () => {
    it("resolves wait() at once, true, when the flag is set", async () => {
      const target = fresh();
      await parties[0].set(target);
      expect(await observer.event(target.name).isSet()).toBe(true);
      expect(await parties[1].wait(target)).toBe(true);
      expect(await parties[2].wait(target, { timeout: 0 })).toBe(true);
    });

    it("wakes every waiter in every process with one set()", async () => {
      const target = fresh();
      const waits = [parties[1].wait(target), parties[2].wait(target), parties[1].wait(target)];
      await queued(target, 3);
      await parties[0].set(target);
      expect(await Promise.all(waits)).toEqual([true, true, true]);
      expect((await observer.event(target.name).statistics()).waiters).toBe(0);
    });

    it("keeps waiters woken by set() woken through a clear() right after", async () => {
      const target = fresh();
      const waits = [parties[1].wait(target), parties[2].wait(target)];
      await queued(target, 2);
      const local = parties[1].sync.event(target.name);
      await Promise.all([local.set(), local.clear()]);
      expect(await Promise.all(waits)).toEqual([true, true]);
      expect(await local.isSet()).toBe(false);
    });

    it("blocks wait() again after clear()", async () => {
      const target = fresh();
      await parties[0].set(target);
      await parties[0].clear(target);
      const error = await parties[1].wait(target, { timeout: 0 }).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((await observer.event(target.name).statistics()).waiters).toBe(0);
    });

    it("rejects an aborted wait with the signal's reason, leaving no waiter, and still wakes the others", async () => {
      const target = fresh();
      const controller = new AbortController();
      const aborted = parties[1].wait(target, { signal: controller.signal });
      const other = parties[2].wait(target);
      await queued(target, 2);
      const reason = new Error("stop");
      controller.abort(reason);
      await expect(aborted).rejects.toBe(reason);
      await queued(target, 1);
      await parties[0].set(target);
      expect(await other).toBe(true);
    });

    it("rejects a timed-out wait with a TimeoutError after the timeout, leaving no waiter", async () => {
      const target = fresh();
      const started = Date.now();
      const error = await parties[2].wait(target, { timeout: 120 }).catch((reason: unknown) => reason);
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
      expect((error as Error).name).toBe("TimeoutError");
      await queued(target, 0);
    });

    it("throws synchronously on bad options", () => {
      const event = parties[1].sync.event(fresh().name);
      expect(() => event.wait({ timeout: -1 })).toThrow(RangeError);
      expect(() => event.wait(new AbortController().signal as never)).toThrow(TypeError);
    });
  });
});
