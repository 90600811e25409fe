/**
 * Core's queue contract (order per type, FIFO waiters, direct hand-off, no barging by
 * getNowait/putNowait, abort and timeout leaving no trace, taskDone/join, asyncio 3.13's
 * shutdown, iteration) against RedisQueue, RedisPriorityQueue and RedisLifoQueue — with the
 * parties on one connection, on two, and in child processes on the other runtimes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueueEmpty, QueueFull, QueueShutDown, TimeoutError, type RedisQueue, type RedisSync } from "@syncio/redis";
import { eventually, primitive, type Party, type Target } from "./support/party.js";
import { startRedis, type RedisServer } from "./support/server.js";
import { freshName, setups } from "./support/setups.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

const kinds = [
  { kind: "queue", serveOrder: (items: number[]) => [...items] },
  { kind: "priorityQueue", serveOrder: (items: number[]) => [...items].sort((a, b) => a - b) },
  { kind: "lifoQueue", serveOrder: (items: number[]) => [...items].reverse() },
] as const;

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
    ({ parties, observer, close } = await setup.open(server, `queue-${Date.now()}`, 5_000));
  }, 60_000);
  afterAll(() => close?.());

  describe.each(kinds)("$kind", ({ kind, serveOrder }) => {
    const fresh = (maxsize = 0): Target => ({ kind, name: freshName(kind), value: maxsize });
    const view = (target: Target) => primitive(observer, target) as RedisQueue<unknown>;
    const stats = (target: Target) => view(target).statistics();
    const waiting = (target: Target, getters: number, putters: number) =>
      eventually(async () => {
        const now = await stats(target);
        return now.getters === getters && now.putters === putters;
      }, `${getters} getter(s) and ${putters} putter(s) waiting in Redis`);

    describe("putNowait() and getNowait()", () => {
      it(`serve items in ${kind} order, whichever process put them`, async () => {
        const target = fresh();
        const [a, , b] = parties;
        for (const item of [1, 3, 2]) await a.call(target, "putNowait", [item]);
        await parties[1].call(target, "putNowait", [0]);
        const out = [await b.call(target, "getNowait"), await b.call(target, "getNowait"), await a.call(target, "getNowait"), await b.call(target, "getNowait")];
        expect(out).toEqual(serveOrder([1, 3, 2, 0]));
      });

      it("reject with QueueEmpty on an empty queue and QueueFull on a full one, changing nothing", async () => {
        const target = fresh(1);
        const [a, , b] = parties;
        await expect(a.call(target, "getNowait")).rejects.toMatchObject({ name: "QueueEmpty" });
        await b.call(target, "putNowait", [101]);
        await expect(a.call(target, "putNowait", [102])).rejects.toMatchObject({ name: "QueueFull" });
        expect(await stats(target)).toMatchObject({ size: 1, unfinishedTasks: 1, waiters: 0 });
        const local = parties[1].sync;
        const error = await (primitive(local, target) as RedisQueue<number>).putNowait(103).catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(QueueFull);
        expect((error as Error).name).toBe("QueueFull");
        expect(await (primitive(local, target) as RedisQueue<number>).getNowait()).toBe(101);
        expect(await (primitive(local, target) as RedisQueue<number>).getNowait().catch((reason: unknown) => reason)).toBeInstanceOf(QueueEmpty);
      });
    });

    describe("get()", () => {
      it("waits for an item, and blocked getters are served in the order they reached Redis, whatever their process", async () => {
        const target = fresh();
        const [a, b, c] = parties;
        const getters = [];
        for (const party of [b, c, b]) {
          getters.push(track(party.call(target, "get", [], {})));
          await waiting(target, getters.length, 0);
        }
        expect(getters.map((getter) => getter.state)).toEqual(["pending", "pending", "pending"]);
        for (const item of [10, 20, 30]) await a.call(target, "put", [item]);
        expect(await Promise.all(getters.map((getter) => getter.promise))).toEqual([10, 20, 30]);
        expect(await stats(target)).toMatchObject({ size: 0, getters: 0, unfinishedTasks: 3 });
      });

      it("with timeout 0 takes what is there, or rejects with TimeoutError at once, queuing nothing", async () => {
        const target = fresh();
        const [a, b] = parties;
        await expect(b.call(target, "get", [], { timeout: 0 })).rejects.toMatchObject({ name: "TimeoutError" });
        expect(await stats(target)).toMatchObject({ getters: 0 });
        await a.call(target, "put", [104]);
        expect(await b.call(target, "get", [], { timeout: 0 })).toBe(104);
      });
    });

    describe("put()", () => {
      it("hands the item straight to a blocked getter in another process, so getNowait() elsewhere finds nothing (no barging)", async () => {
        const target = fresh();
        const [a, b, c] = parties;
        const getter = track(b.call(target, "get", [], {}));
        await waiting(target, 1, 0);
        await a.call(target, "put", [105]);
        // Handed over inside the put's script: before the getter's code runs, the item is taken.
        await expect(c.call(target, "getNowait")).rejects.toMatchObject({ name: "QueueEmpty" });
        expect(await getter.promise).toBe(105);
      });

      it("waits while full, and each get lets the first blocked putter's item in, in arrival order", async () => {
        const target = fresh(1);
        const [a, b, c] = parties;
        await a.call(target, "put", [1]);
        const second = track(b.call(target, "put", [2], {}));
        await waiting(target, 0, 1);
        const third = track(c.call(target, "put", [3], {}));
        await waiting(target, 0, 2);
        expect([second.state, third.state]).toEqual(["pending", "pending"]);
        expect(await a.call(target, "get")).toBe(1);
        await second.promise;
        expect(third.state).toBe("pending");
        expect(await c.call(target, "get")).toBe(2);
        await third.promise;
        expect(await b.call(target, "get")).toBe(3);
        expect(await stats(target)).toMatchObject({ size: 0, waiters: 0, unfinishedTasks: 3 });
      });

      it("gives a slot freed for a blocked putter to that putter, so putNowait() elsewhere still finds the queue full (no barging)", async () => {
        const target = fresh(1);
        const [a, b, c] = parties;
        await a.call(target, "putNowait", [11]);
        const blocked = track(b.call(target, "put", [12], {}));
        await waiting(target, 0, 1);
        expect(await a.call(target, "getNowait")).toBe(11);
        await expect(c.call(target, "putNowait", [13])).rejects.toMatchObject({ name: "QueueFull" });
        await blocked.promise;
        expect(await c.call(target, "getNowait")).toBe(12);
      });

      it("with timeout 0 puts if there is room, or rejects with TimeoutError at once, queuing nothing", async () => {
        const target = fresh(1);
        const [a, b] = parties;
        await a.call(target, "put", [1], { timeout: 0 });
        await expect(b.call(target, "put", [2], { timeout: 0 })).rejects.toMatchObject({ name: "TimeoutError" });
        expect(await stats(target)).toMatchObject({ size: 1, putters: 0 });
      });
    });

    describe("abort and timeout", () => {
      it("a blocked get() rejects with the signal's reason and leaves the queue; the next getter gets the item", async () => {
        const target = fresh();
        const [a, b, c] = parties;
        const controller = new AbortController();
        const aborted = track(b.call(target, "get", [], { signal: controller.signal }));
        await waiting(target, 1, 0);
        const next = track(c.call(target, "get", [], {}));
        await waiting(target, 2, 0);
        const reason = new Error("stop");
        controller.abort(reason);
        await expect(aborted.promise).rejects.toBe(reason);
        await waiting(target, 1, 0);
        await a.call(target, "put", [106]);
        expect(await next.promise).toBe(106);
      });

      it("a blocked put() that is aborted rejects with the signal's reason and its item never enters", async () => {
        const target = fresh(1);
        const [a, b] = parties;
        await a.call(target, "put", [107]);
        const controller = new AbortController();
        const aborted = track(b.call(target, "put", [108], { signal: controller.signal }));
        await waiting(target, 0, 1);
        controller.abort(new Error("no"));
        await expect(aborted.promise).rejects.toThrow("no");
        await waiting(target, 0, 0);
        expect(await a.call(target, "get")).toBe(107);
        await expect(a.call(target, "getNowait")).rejects.toMatchObject({ name: "QueueEmpty" });
        expect(await stats(target)).toMatchObject({ unfinishedTasks: 1 });
      });

      it("a blocked get() rejects with a TimeoutError once its timeout elapses, not before, leaving no getter", async () => {
        const target = fresh();
        const started = Date.now();
        const error = await parties[2].call(target, "get", [], { timeout: 150 }).catch((reason: unknown) => reason);
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
        expect((error as Error).name).toBe("TimeoutError");
        await waiting(target, 0, 0);
      });

      it("an already-aborted signal rejects get() and put() at once and takes or puts nothing", async () => {
        const target = fresh();
        const queue = primitive(parties[1].sync, target) as RedisQueue<number>;
        await queue.put(1);
        const reason = new Error("already");
        await expect(queue.get({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
        await expect(queue.put(2, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
        expect(await stats(target)).toMatchObject({ size: 1, unfinishedTasks: 1 });
      });

      it("throws synchronously on bad options and changes nothing", async () => {
        const target = fresh();
        const queue = primitive(parties[1].sync, target) as RedisQueue<number>;
        expect(() => queue.get({ timeout: -1 })).toThrow(RangeError);
        expect(() => queue.put(1, new AbortController().signal as never)).toThrow(TypeError);
        expect(() => queue.join({ timeot: 1 } as never)).toThrow(TypeError);
        expect(() => queue.getLeased({ timeout: "1" } as never)).toThrow(TypeError);
        expect(await stats(target)).toMatchObject({ size: 0, waiters: 0 });
      });
    });

    describe("taskDone() and join()", () => {
      it("join() resolves once every item put in any process was marked done in any process", async () => {
        const target = fresh();
        const [a, b, c] = parties;
        await b.call(target, "join");
        await a.call(target, "put", [1]);
        await c.call(target, "put", [2]);
        expect(await b.call(target, "get")).toBeDefined();
        expect(await b.call(target, "get")).toBeDefined();
        const joined = track(b.call(target, "join", [], {}));
        await a.call(target, "taskDone");
        expect(await stats(target)).toMatchObject({ unfinishedTasks: 1 });
        expect(joined.state).toBe("pending");
        await c.call(target, "taskDone");
        await joined.promise;
        await expect(a.call(target, "join", [], { timeout: 0 })).resolves.toBeUndefined();
      });

      it("taskDone() called more times than items were put rejects with an Error and changes nothing", async () => {
        const target = fresh();
        const [a, b] = parties;
        await a.call(target, "put", [1]);
        await b.call(target, "taskDone");
        await expect(b.call(target, "taskDone")).rejects.toThrow(/called more times than there were items/);
        expect(await stats(target)).toMatchObject({ unfinishedTasks: 0, size: 1 });
      });

      it("a join() that times out leaves the count alone", async () => {
        const target = fresh();
        await parties[0].call(target, "put", [1]);
        await expect(parties[2].call(target, "join", [], { timeout: 50 })).rejects.toMatchObject({ name: "TimeoutError" });
        await expect(parties[2].call(target, "join", [], { timeout: 0 })).rejects.toMatchObject({ name: "TimeoutError" });
        expect(await stats(target)).toMatchObject({ unfinishedTasks: 1 });
      });
    });

    describe("shutdown()", () => {
      it("makes every later put fail with QueueShutDown, and gets drain what is left, then fail", async () => {
        const target = fresh();
        const [a, b, c] = parties;
        for (const item of [1, 2]) await a.call(target, "put", [item]);
        expect(await c.call(target, "shutdown")).toEqual([]);
        await expect(b.call(target, "put", [3])).rejects.toMatchObject({ name: "QueueShutDown" });
        await expect(b.call(target, "putNowait", [3])).rejects.toMatchObject({ name: "QueueShutDown" });
        expect([await b.call(target, "get"), await a.call(target, "getNowait")]).toEqual(serveOrder([1, 2]));
        await expect(b.call(target, "get")).rejects.toMatchObject({ name: "QueueShutDown" });
        await expect(b.call(target, "getNowait")).rejects.toMatchObject({ name: "QueueShutDown" });
        expect(await stats(target)).toMatchObject({ shutdown: true, size: 0 });
      });

      it("wakes blocked getters and putters in every process with QueueShutDown; the putters' items never enter", async () => {
        const empty = fresh();
        const full = fresh(1);
        const [a, b, c] = parties;
        await a.call(full, "put", [109]);
        const getters = [track(b.call(empty, "get", [], {})), track(c.call(empty, "get", [], {}))];
        const putter = track(c.call(full, "put", [110], {}));
        await waiting(empty, 2, 0);
        await waiting(full, 0, 1);
        await a.call(empty, "shutdown");
        await a.call(full, "shutdown");
        for (const getter of getters) await expect(getter.promise).rejects.toMatchObject({ name: "QueueShutDown" });
        await expect(putter.promise).rejects.toMatchObject({ name: "QueueShutDown" });
        expect(await b.call(full, "get")).toBe(109);
        await expect(b.call(full, "get")).rejects.toMatchObject({ name: "QueueShutDown" });
        expect(await stats(full)).toMatchObject({ waiters: 0, unfinishedTasks: 1 });
      });

      it("with immediate drops what is left, returns it in serving order, counts it done for join(), and still waits for items taken", async () => {
        const target = fresh();
        const [a, b, c] = parties;
        for (const item of [5, 7, 6]) await a.call(target, "put", [item]);
        const taken = await b.call(target, "get");
        const joined = track(c.call(target, "join", [], {}));
        const dropped = await a.call(target, "shutdown", [true]);
        expect([taken, ...dropped]).toEqual(serveOrder([5, 7, 6]));
        expect(await stats(target)).toMatchObject({ size: 0, unfinishedTasks: 1, shutdown: true });
        expect(joined.state).toBe("pending");
        await b.call(target, "taskDone");
        await joined.promise;
      });
    });

    describe("getLeased()", () => {
      it("resolves to the item, kept in Redis until done(), which marks its task done and resolves true once", async () => {
        const target = fresh();
        const [a, b] = parties;
        await a.call(target, "put", [111]);
        const leased = await b.call(target, "getLeased", [], {});
        expect(leased.item).toBe(111);
        expect(await stats(target)).toMatchObject({ size: 0, unfinishedTasks: 1 });
        expect(await b.call(target, "done", [leased.token])).toBe(true);
        expect(await b.call(target, "done", [leased.token])).toBe(true);
        expect(await stats(target)).toMatchObject({ unfinishedTasks: 0 });
        await a.call(target, "join", [], { timeout: 0 });
      });

      it("wakes a blocked leasing getter with the next item put in any process", async () => {
        const target = fresh();
        const [a, b] = parties;
        const leasing = track(b.call(target, "getLeased", [], {}));
        await waiting(target, 1, 0);
        await a.call(target, "put", [112]);
        const leased = await leasing.promise;
        expect(leased.item).toBe(112);
        expect(await b.call(target, "done", [leased.token])).toBe(true);
      });
    });
  });

  describe("iteration (this process)", () => {
    it("for await yields items as they come and ends once the queue is shut down and drained", async () => {
      const name = freshName("iterate");
      const queue = parties[1].sync.queue<number>(name);
      const seen: number[] = [];
      const loop = (async () => {
        for await (const item of queue) seen.push(item);
      })();
      await parties[0].call({ kind: "queue", name }, "put", [1]);
      await parties[2].call({ kind: "queue", name }, "put", [2]);
      await parties[0].call({ kind: "queue", name }, "shutdown");
      await loop;
      expect(seen).toEqual([1, 2]);
    });

    it("items({ signal }) throws the signal's reason out of the loop, leaving no getter", async () => {
      const name = freshName("items");
      const queue = parties[1].sync.queue<number>(name);
      const controller = new AbortController();
      const loop = (async () => {
        for await (const _ of queue.items({ signal: controller.signal }));
      })();
      await eventually(async () => (await observer.queue(name).statistics()).getters === 1, "the loop waits");
      const reason = new Error("enough");
      controller.abort(reason);
      await expect(loop).rejects.toBe(reason);
      await eventually(async () => (await observer.queue(name).statistics()).getters === 0, "no getter left");
      expect(() => queue.items({ timeout: 5 } as never)).toThrow(TypeError);
    });

    it("tasks() marks each item done when its loop body ends, also by break, so join() in another process sees it", async () => {
      const name = freshName("tasks");
      const queue = parties[1].sync.queue<number>(name);
      for (const item of [1, 2, 3]) await queue.put(item);
      const joined = track(parties[2].call({ kind: "queue", name }, "join", [], {}));
      let bodies = 0;
      for await (const item of queue.tasks()) {
        bodies++;
        expect((await observer.queue(name).statistics()).unfinishedTasks).toBe(4 - item);
        if (item === 3) break;
      }
      await joined.promise;
      expect(bodies).toBe(3);
      expect((await observer.queue(name).statistics()).unfinishedTasks).toBe(0);
    });
  });
});

describe("queues, locally", () => {
  let sync: RedisSync;
  beforeAll(async () => {
    const { connect } = await import("@syncio/redis");
    sync = await connect(server.url, { prefix: `queue-local-${Date.now()}` });
  });
  afterAll(() => sync?.close());

  it("carry items through the codec, JSON by default, and a codec of your own", async () => {
    const plain = sync.queue<{ n: number; tags: string[] }>(freshName("json"));
    await plain.put({ n: 1, tags: ["a"] });
    expect(await plain.get()).toEqual({ n: 1, tags: ["a"] });
    const dates = sync.queue<Date>(freshName("dates"), { codec: { encode: (date) => String(date.getTime()), decode: (text) => new Date(Number(text)) } });
    await dates.put(new Date(86_400_000));
    expect((await dates.get()).toISOString()).toBe("1970-01-02T00:00:00.000Z");
    expect(() => plain.put(undefined as never)).toThrow(TypeError);
  });

  it("orders a priority queue by priority(item), equal priorities first in, first out, and refuses an item with no priority", async () => {
    const jobs = sync.priorityQueue<{ rank: number; id: string }>(freshName("ranked"), { priority: (job) => job.rank });
    for (const [rank, id] of [[2, "a"], [1, "b"], [2, "c"], [1, "d"], [-Infinity, "e"]] as const) await jobs.put({ rank, id });
    const out = [];
    for (let i = 0; i < 5; i++) out.push((await jobs.get()).id);
    expect(out).toEqual(["e", "b", "d", "a", "c"]);
    const plain = sync.priorityQueue<unknown>(freshName("plain"));
    expect(() => plain.put("text")).toThrow(TypeError);
    expect(() => plain.put([Number.NaN, "x"])).toThrow(RangeError);
  });

  it("checks the factories' options at once", () => {
    expect(() => sync.queue("q", { maxsize: 1.5 })).toThrow(RangeError);
    expect(() => sync.queue("q", { maxsize: "2" } as never)).toThrow(TypeError);
    expect(() => sync.queue("q", { size: 2 } as never)).toThrow(/unknown option `size`/);
    expect(() => sync.queue("q", { codec: JSON } as never)).toThrow(/encode\(item\) and decode\(text\)/);
    expect(() => sync.queue("q", { codec: { encode: 1 } } as never)).toThrow(TypeError);
    expect(() => sync.priorityQueue("q", { priority: 3 } as never)).toThrow(TypeError);
    expect(() => sync.lifoQueue("")).toThrow(RangeError);
    expect(() => sync.queue("q").shutdown("yes" as never)).toThrow(TypeError);
  });

  it("refuses the same name with another maxsize or kind, naming both", async () => {
    const name = freshName("clash");
    await sync.queue(name, { maxsize: 2 }).put(1);
    await expect(sync.queue(name, { maxsize: 3 }).put(1)).rejects.toThrow(/RedisQueue .* \(maxsize 3\): the name is already used in Redis as a queue of maxsize 2/);
    await expect(sync.lifoQueue(name, { maxsize: 2 }).get()).rejects.toThrow(/as a queue of maxsize 2/);
    await expect(sync.lock(name).acquire()).rejects.toThrow(/as a queue/);
  });

  it("shows itself locally as <RedisQueue \"name\">, and its statistics as core's", async () => {
    const name = freshName("shown");
    const queue = sync.queue(name, { maxsize: 4 });
    expect(String(queue)).toBe(`<RedisQueue "${name}">`);
    expect(String(sync.priorityQueue("p"))).toBe('<RedisPriorityQueue "p">');
    await queue.put("x");
    const statistics = await queue.statistics();
    expect(statistics).toEqual({ size: 1, maxsize: 4, getters: 0, putters: 0, waiters: 0, unfinishedTasks: 1, shutdown: false });
    expect(Object.isFrozen(statistics)).toBe(true);
    expect([await queue.qsize(), await queue.empty(), await queue.full(), queue.maxsize]).toEqual([1, false, false, 4]);
  });

  it("leaves no key of a waiter behind when shutdown() fails a waiting getLeased()", async () => {
    const name = freshName("leftover");
    const queue = sync.queue<number>(name);
    const leasing = queue.getLeased();
    await eventually(async () => (await queue.statistics()).getters === 1, "the leasing getter waits");
    await queue.shutdown();
    await expect(leasing).rejects.toBeInstanceOf(QueueShutDown);
    const key = (suffix: string) => `${sync.prefix}:{${name}}:${suffix}`;
    await eventually(async () => Number(await server.command("HLEN", key("granted"))) === 0, "its grant record cleared");
    expect(await server.command("HLEN", key("carried"))).toBe(0);
    expect(await server.command("ZCARD", key("expiry"))).toBe(0);
  });

  it("errors are core's classes", async () => {
    const core = await import("@syncio/core");
    expect([QueueEmpty, QueueFull, QueueShutDown, TimeoutError]).toEqual([core.QueueEmpty, core.QueueFull, core.QueueShutDown, core.TimeoutError]);
  });
});
