/**
 * Core's suite over every queue type (Queue, PriorityQueue, LifoQueue), translated: getters and
 * putters sit in other threads; items cross through cells. Items are put in the order 3, 1, 2 so
 * each type's own order shows; `serveOrder` says what comes out.
 */
import { describe, expect, it } from "vitest";
import { useVirtualTime } from "@syncio/core/testing";
import { QueueEmpty, QueueFull, QueueShutDown, TimeoutError } from "@syncio/workers";
import { queueKinds } from "./support/queue-kinds.js";
import { useThreads } from "./support/suite.js";
import { remoteSignal, until } from "./support/threads.js";

const threads = useThreads(4);
const ITEMS = [3, 1, 2];

describe.each(queueKinds)("$name (getters and putters in other threads)", (kind) => {
  const served = kind.serveOrder(ITEMS);

  function fullQueue(maxsize = ITEMS.length) {
    const queue = kind.create<number>(maxsize);
    for (const item of ITEMS) queue.putNowait(item);
    return queue;
  }

  describe("constructor", () => {
    it("is unbounded by default and with maxsize ≤ 0, up to its capacity (1024 unless given)", () => {
      for (const maxsize of [undefined, 0, -1]) {
        const queue = kind.create<number>(maxsize, { codec: "number" });
        for (let i = 0; i < 1000; i++) queue.putNowait(i);
        expect([queue.full(), queue.qsize(), queue.maxsize]).toEqual([false, 1000, maxsize ?? 0]);
      }
      const small = kind.create<number>(0, { capacity: 2 });
      small.putNowait(1);
      small.putNowait(2);
      expect(small.full()).toBe(true);
      expect(() => small.putNowait(3)).toThrow(`${kind.name}.putNowait() called on a full queue (capacity 2 of an unbounded queue)`);
      expect(small.maxsize).toBe(0);
    });

    it("throws a TypeError naming the type and the argument for a maxsize that is not a number", () => {
      for (const maxsize of ["1", null, {}, 1n]) expect(() => kind.create(maxsize as never)).toThrow(TypeError);
      expect(() => kind.create("1" as never)).toThrow(new RegExp(`^${kind.name}\\(\\): expected \`maxsize\` to be an integer, got "1" \\(string\\)$`));
    });

    it("throws a RangeError for a maxsize that is NaN, infinite or not an integer", () => {
      for (const maxsize of [Number.NaN, 1.3, Infinity, -Infinity]) expect(() => kind.create(maxsize)).toThrow(RangeError);
    });

    it("throws on bad options, naming them", () => {
      expect(() => kind.create(1, { codec: "xml" as never })).toThrow(TypeError);
      expect(() => kind.create(1, { cellBytes: 0 })).toThrow(RangeError);
      expect(() => kind.create(1, { cellBytes: 4, codec: "number" })).toThrow(RangeError);
      expect(() => kind.create(1, { capacity: 5 })).toThrow(/capacity.*unbounded/);
      expect(() => kind.create(0, { capacity: 0 })).toThrow(RangeError);
      expect(() => kind.create(1, { size: 3 } as never)).toThrow(/unknown option `size`/);
      expect(() => kind.create(1, { waiters: 0 })).toThrow(RangeError);
    });
  });

  describe("qsize(), empty(), full()", () => {
    it("report the items held against maxsize, as every thread sees them", async () => {
      const queue = kind.create<number>(2);
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([0, true, false]);
      await (await threads[0]!.call(queue, "putNowait", [1])).outcomeWithin();
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([1, false, false]);
      queue.putNowait(2);
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([2, false, true]);
      await (await threads[1]!.call(queue, "getNowait")).outcomeWithin();
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([1, false, false]);
    });

    it("count an item handed to a blocked getter in another thread as gone at once", async () => {
      const queue = kind.create<number>(1);
      const getter = await threads[0]!.call(queue, "get");
      queue.putNowait(7);
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([0, true, false]);
      expect(await getter.outcomeWithin()).toMatchObject({ ok: true, value: 7 });
    });
  });

  describe("putNowait() and getNowait()", () => {
    it(`serve items in ${kind.name} order, whichever thread put them`, async () => {
      const queue = kind.create<number>();
      for (const [i, item] of ITEMS.entries()) await (await threads[i]!.call(queue, "putNowait", [item])).outcomeWithin();
      expect(ITEMS.map(() => queue.getNowait())).toEqual(served);
    });

    it("keep serving in order across the store's wrap-around", () => {
      const queue = kind.create<number>(64, { codec: "number" });
      const items = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
      for (const item of items.slice(0, 50)) queue.putNowait(item);
      const out = Array.from({ length: 25 }, () => queue.getNowait());
      for (const item of items.slice(50, 89)) queue.putNowait(item);
      while (!queue.empty()) out.push(queue.getNowait());
      expect(out).toHaveLength(89);
      if (kind.name === "Queue") expect(out).toEqual(items.slice(0, 89));
      if (kind.name === "PriorityQueue") expect(out.slice(25)).toEqual([...out.slice(25)].sort((a, b) => a - b));
      if (kind.name === "LifoQueue") expect(out.slice(0, 25)).toEqual(items.slice(25, 50).reverse());
    });

    it("getNowait() throws QueueEmpty on an empty queue", () => {
      const queue = kind.create<number>();
      expect(() => queue.getNowait()).toThrow(QueueEmpty);
      expect(() => queue.getNowait()).toThrow(`${kind.name}.getNowait() called on an empty queue`);
    });

    it("putNowait() throws QueueFull on a full queue and adds nothing", () => {
      const queue = fullQueue();
      expect(() => queue.putNowait(9)).toThrow(QueueFull);
      expect(() => queue.putNowait(9)).toThrow(`${kind.name}.putNowait() called on a full queue (maxsize 3)`);
      expect(queue.statistics()).toMatchObject({ size: 3, unfinishedTasks: 3 });
    });
  });

  describe("get()", () => {
    it("takes an available item at once, before the caller awaits", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const got = queue.get();
      expect(queue.qsize()).toBe(0);
      expect(await got).toBe(1);
    });

    it("serves blocked getters in arrival order, across threads", async () => {
      const queue = kind.create<number>();
      const getters = [];
      for (const thread of threads.slice(0, 3)) getters.push(await thread.call(queue, "get"));
      for (const item of [10, 20, 30]) queue.putNowait(item);
      const values = await Promise.all(getters.map(async (getter) => (await getter.outcomeWithin()).value));
      expect(values).toEqual([10, 20, 30]);
    });

    it("admits the first blocked putter's item into the slot it frees (asyncio test_get_with_waiting_putters)", async () => {
      const queue = kind.create<string>(1);
      queue.putNowait("a");
      const putter = await threads[0]!.call(queue, "put", ["b"]);
      expect(await queue.get()).toBe("a");
      // Already in, though the putter's thread may not have woken yet.
      expect(queue.qsize()).toBe(1);
      expect(await putter.outcomeWithin()).toMatchObject({ ok: true });
      expect(await queue.get()).toBe("b");
    });

    it("with timeout: 0 takes what is there or rejects with TimeoutError at once, queuing nothing", async () => {
      const queue = kind.create<number>();
      const timedOut = queue.get({ timeout: 0 });
      expect(queue.statistics().getters).toBe(0);
      await expect(timedOut).rejects.toBeInstanceOf(TimeoutError);
      queue.putNowait(4);
      await expect(queue.get({ timeout: 0 })).resolves.toBe(4);
    });
  });

  describe("put()", () => {
    it("hands the item straight to a blocked getter in another thread (asyncio test_put_with_waiting_getters)", async () => {
      const queue = kind.create<string>();
      const getter = await threads[0]!.call(queue, "get");
      await queue.put("a");
      expect(queue.qsize()).toBe(0);
      expect(await getter.outcomeWithin()).toMatchObject({ ok: true, value: "a" });
    });

    it("serves blocked putters in arrival order, across threads", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(0);
      const putters = [];
      for (const [i, item] of [1, 2, 3].entries()) putters.push(await threads[i]!.call(queue, "put", [item]));
      expect(queue.statistics().putters).toBe(3);
      expect([queue.getNowait(), queue.getNowait(), queue.getNowait(), queue.getNowait()]).toEqual([0, 1, 2, 3]);
      for (const putter of putters) expect((await putter.outcomeWithin()).ok).toBe(true);
    });

    it("with timeout: 0 puts if there is room or rejects with TimeoutError at once, queuing nothing", async () => {
      const queue = kind.create<number>(1);
      await queue.put(1, { timeout: 0 });
      const timedOut = queue.put(2, { timeout: 0 });
      expect(queue.statistics().putters).toBe(0);
      await expect(timedOut).rejects.toBeInstanceOf(TimeoutError);
      expect(queue.statistics()).toMatchObject({ size: 1, unfinishedTasks: 1 });
    });
  });

  describe("no barging (asyncio gh-83055)", () => {
    it("getNowait() does not take an item handed to a getter whose thread has not woken yet", async () => {
      const queue = kind.create<number>();
      const getter = await threads[0]!.call(queue, "get");
      queue.putNowait(1);
      expect(() => queue.getNowait()).toThrow(QueueEmpty);
      expect((await getter.outcomeWithin()).value).toBe(1);
    });

    it("a new get() queues behind a woken getter instead of taking its item", async () => {
      const queue = kind.create<number>();
      const first = await threads[0]!.call(queue, "get");
      queue.putNowait(1);
      const newcomer = await threads[1]!.call(queue, "get");
      queue.putNowait(2);
      expect([(await first.outcomeWithin()).value, (await newcomer.outcomeWithin()).value]).toEqual([1, 2]);
    });

    it("putNowait() does not take a slot handed to a putter in another thread", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      const putter = await threads[0]!.call(queue, "put", [2]);
      expect(queue.getNowait()).toBe(1);
      expect(() => queue.putNowait(3)).toThrow(QueueFull);
      expect(queue.getNowait()).toBe(2);
      expect((await putter.outcomeWithin()).ok).toBe(true);
    });

    it("a new put() queues behind a woken putter instead of taking its slot", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      const first = await threads[0]!.call(queue, "put", [2]);
      queue.getNowait();
      const newcomer = await threads[1]!.call(queue, "put", [3]);
      expect(queue.statistics().putters).toBe(1);
      expect([queue.getNowait(), queue.getNowait()]).toEqual([2, 3]);
      expect([(await first.outcomeWithin()).ok, (await newcomer.outcomeWithin()).ok]).toEqual([true, true]);
    });
  });

  describe("abort", () => {
    it("a blocked get() rejects with signal.reason, unchanged, and leaves the queue", async () => {
      const queue = kind.create<number>();
      const signal = remoteSignal();
      const getter = await threads[0]!.call(queue, "get", [], { signal });
      expect(queue.statistics().getters).toBe(1);
      await threads[0]!.abort(signal, { why: "stop" });
      expect(await getter.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
      expect(queue.statistics().getters).toBe(0);
      queue.putNowait(1);
      expect(queue.qsize()).toBe(1);
    });

    it("an aborted getter is skipped; the next one gets the item (asyncio test_get_cancelled_race)", async () => {
      const queue = kind.create<string>();
      const signal = remoteSignal();
      const first = await threads[0]!.call(queue, "get", [], { signal });
      const second = await threads[1]!.call(queue, "get");
      await threads[0]!.abort(signal, "leave");
      queue.putNowait("a");
      expect((await first.outcomeWithin()).ok).toBe(false);
      expect(await second.outcomeWithin()).toMatchObject({ ok: true, value: "a" });
    });

    it("a getter aborted after it was handed an item still gets the item: nothing is lost", async () => {
      const queue = kind.create<number>();
      const signal = remoteSignal();
      const getter = await threads[0]!.call(queue, "get", [], { signal });
      queue.putNowait(1);
      await threads[0]!.abort(signal, "late");
      expect(await getter.outcomeWithin()).toMatchObject({ ok: true, value: 1 });
      expect(queue.qsize()).toBe(0);
    });

    it("a blocked put() rejects with signal.reason and its item never enters", async () => {
      const queue = fullQueue();
      const signal = remoteSignal();
      const putter = await threads[0]!.call(queue, "put", [9], { signal });
      await threads[0]!.abort(signal, "gone");
      expect(await putter.outcomeWithin()).toMatchObject({ ok: false, sameReason: true });
      expect(queue.statistics()).toMatchObject({ putters: 0, size: 3, unfinishedTasks: 3 });
      expect(ITEMS.map(() => queue.getNowait())).toEqual(served);
      expect(queue.empty()).toBe(true);
    });

    it("a putter aborted after it was handed a slot still put its item, once", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      const signal = remoteSignal();
      const putter = await threads[0]!.call(queue, "put", [2], { signal });
      expect(queue.getNowait()).toBe(1);
      await threads[0]!.abort(signal, "late");
      expect((await putter.outcomeWithin()).ok).toBe(true);
      expect(queue.getNowait()).toBe(2);
      expect(queue.empty()).toBe(true);
      expect(queue.statistics().unfinishedTasks).toBe(2);
    });

    it("an already-aborted signal rejects get() at once and takes nothing, even with items there", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const getter = await threads[0]!.call(queue, "get", [], { signal: "aborted" });
      expect((await getter.outcomeWithin()).sameReason).toBe(true);
      expect(queue.qsize()).toBe(1);
    });
  });

  describe("timeout", () => {
    it("a blocked get() rejects with TimeoutError when its thread's timeout elapses, not before, leaving nothing", async () => {
      const queue = kind.create<number>();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const getter = await thread.call(queue, "get", [], { timeout: 100 });
      await thread.advance(99);
      expect(queue.statistics().getters).toBe(1);
      await thread.advance(1);
      expect(await getter.outcomeWithin()).toMatchObject({ ok: false, error: "TimeoutError", message: `${kind.name}.get() timed out after 100 ms` });
      expect(queue.statistics().getters).toBe(0);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("a blocked put() rejects with TimeoutError and its item never enters", async () => {
      const queue = fullQueue();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const putter = await thread.call(queue, "put", [9], { timeout: 50 });
      await thread.advance(50);
      expect((await putter.outcomeWithin()).error).toBe("TimeoutError");
      expect(queue.statistics()).toMatchObject({ putters: 0, size: 3, unfinishedTasks: 3 });
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });

    it("a get() that gets its item in time returns it and clears its timer", async () => {
      const queue = kind.create<number>();
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const getter = await thread.call(queue, "get", [], { timeout: 51 });
      await thread.advance(10);
      queue.putNowait(1);
      expect((await getter.outcomeWithin()).value).toBe(1);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });
  });

  describe("bad options", () => {
    it.each([
      ["timeout: -1", { timeout: -1 }, RangeError],
      ["timeout: '10'", { timeout: "10" }, TypeError],
      ["signal: {}", { signal: {} }, TypeError],
      ["options: null", null, TypeError],
      ["an AbortSignal in place of the options", AbortSignal.abort(), TypeError],
    ])("%s throws synchronously from get(), put() and join(), changing nothing", (_label, options, errorClass) => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      expect(() => queue.get(options as never)).toThrow(errorClass);
      expect(() => queue.put(2, options as never)).toThrow(errorClass);
      expect(() => queue.join(options as never)).toThrow(errorClass);
      expect(queue.statistics()).toMatchObject({ size: 1, getters: 0, putters: 0, unfinishedTasks: 1 });
    });
  });

  describe("taskDone() and join()", () => {
    it("join() resolves at once when nothing was put", async () => {
      const queue = kind.create<number>();
      await queue.join();
      expect((await (await threads[0]!.call(queue, "join")).outcomeWithin()).ok).toBe(true);
    });

    it("join() in another thread waits until every item put was marked done", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      queue.putNowait(2);
      const joiners = [await threads[0]!.call(queue, "join"), await threads[1]!.call(queue, "join")];
      queue.getNowait();
      queue.getNowait();
      queue.taskDone();
      expect(joiners.map((joiner) => joiner.state)).toEqual(["pending", "pending"]);
      await (await threads[2]!.call(queue, "taskDone")).outcomeWithin();
      for (const joiner of joiners) expect((await joiner.outcomeWithin()).ok).toBe(true);
    });

    it("counts an item handed straight to a getter and one admitted from a blocked putter as tasks", async () => {
      const queue = kind.create<number>(1);
      const getter = await threads[0]!.call(queue, "get");
      queue.putNowait(1);
      expect(queue.statistics().unfinishedTasks).toBe(1);
      await getter.outcomeWithin();
      queue.putNowait(2);
      const putter = await threads[1]!.call(queue, "put", [3]);
      expect(queue.statistics().unfinishedTasks).toBe(2);
      queue.getNowait();
      expect(queue.statistics().unfinishedTasks).toBe(3);
      await putter.outcomeWithin();
    });

    it("taskDone() called more times than items were put throws an Error and changes nothing", () => {
      const queue = kind.create<number>();
      expect(() => queue.taskDone()).toThrow(`${kind.name}.taskDone() called more times than there were items`);
      queue.putNowait(1);
      queue.getNowait();
      queue.taskDone();
      expect(() => queue.taskDone()).toThrow(/more times/);
      expect(queue.statistics().unfinishedTasks).toBe(0);
    });

    it("join() takes a timeout and a signal, and a join that gives up leaves the count alone", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const thread = threads[0]!;
      await thread.useVirtualTime();
      const joined = await thread.call(queue, "join", [], { timeout: 10 });
      await thread.advance(10);
      expect((await joined.outcomeWithin()).error).toBe("TimeoutError");
      const signal = remoteSignal();
      const aborted = await thread.call(queue, "join", [], { signal });
      await thread.abort(signal, "enough");
      expect((await aborted.outcomeWithin()).sameReason).toBe(true);
      expect(queue.statistics().unfinishedTasks).toBe(1);
      expect(await thread.clock()).toEqual({ pendingTimers: 0, pendingHolds: 0 });
    });
  });

  describe("shutdown()", () => {
    it("makes every later put fail with QueueShutDown, in every thread", async () => {
      const queue = kind.create<number>();
      expect(queue.shutdown()).toEqual([]);
      expect(() => queue.putNowait(1)).toThrow(`${kind.name}.putNowait() called after shutdown()`);
      const remote = await threads[0]!.call(queue, "put", [1]);
      expect((await remote.outcomeWithin()).error).toBe("QueueShutDown");
      expect(() => queue.getNowait()).toThrow(QueueShutDown);
    });

    it("lets gets drain what is left, in order, then fail with QueueShutDown", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      queue.shutdown();
      expect(await queue.get()).toBe(served[0]);
      expect((await (await threads[0]!.call(queue, "getNowait")).outcomeWithin()).value).toBe(served[1]);
      expect(await queue.get({ timeout: 0 })).toBe(served[2]);
      await expect(queue.get()).rejects.toBeInstanceOf(QueueShutDown);
    });

    it("wakes every blocked getter in every thread with QueueShutDown", async () => {
      const queue = kind.create<number>();
      const getters = [await threads[0]!.call(queue, "get"), await threads[1]!.call(queue, "get", [], { timeout: 1000 })];
      queue.shutdown();
      for (const getter of getters) expect((await getter.outcomeWithin()).error).toBe("QueueShutDown");
      expect(queue.statistics().getters).toBe(0);
    });

    it("fails every blocked putter with QueueShutDown and keeps their items out", async () => {
      const queue = fullQueue();
      const putters = [await threads[0]!.call(queue, "put", [8]), await threads[1]!.call(queue, "put", [9])];
      queue.shutdown();
      for (const putter of putters) expect((await putter.outcomeWithin()).error).toBe("QueueShutDown");
      expect(queue.statistics()).toMatchObject({ putters: 0, size: 3, unfinishedTasks: 3 });
      expect(ITEMS.map(() => queue.getNowait())).toEqual(served);
    });

    it("with immediate drops what is left, returns it in serve order, and counts each dropped item as done", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      const joiner = await threads[0]!.call(queue, "join");
      expect(queue.shutdown(true)).toEqual(served);
      expect(queue.qsize()).toBe(0);
      expect((await joiner.outcomeWithin()).ok).toBe(true);
      expect(() => queue.taskDone()).toThrow(Error);
    });

    it("with immediate still waits for items already taken", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      queue.putNowait(2);
      queue.getNowait();
      const joiner = await threads[0]!.call(queue, "join");
      expect(queue.shutdown(true)).toHaveLength(1);
      expect(queue.statistics().unfinishedTasks).toBe(1);
      expect(joiner.state).toBe("pending");
      queue.taskDone();
      expect((await joiner.outcomeWithin()).ok).toBe(true);
    });

    it("leaves a getter already handed an item with that item", async () => {
      const queue = kind.create<number>();
      const getter = await threads[0]!.call(queue, "get");
      queue.putNowait(1);
      expect(queue.shutdown(true)).toEqual([]);
      expect((await getter.outcomeWithin()).value).toBe(1);
    });

    it("throws a TypeError for an immediate that is not a boolean, and does not shut down", () => {
      const queue = kind.create<number>();
      expect(() => queue.shutdown("yes" as never)).toThrow(`${kind.name}.shutdown(): expected \`immediate\` to be a boolean, got "yes" (string)`);
      expect(queue.statistics().shutdown).toBe(false);
    });
  });

  describe("items(), tasks() and for await", () => {
    it("a loop in another thread takes items in order, one handed to it while it waits, and ends once shut down and drained", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      const loop = await threads[0]!.call(queue, "drain", ["for await"]);
      await until(() => queue.statistics().getters === 1, "the loop to drain the queue and wait");
      // Handed straight to the waiting loop, so the shutdown that follows cannot take it away.
      queue.putNowait(5);
      queue.shutdown();
      expect((await loop.outcomeWithin()).value).toEqual([...served, 5]);
    });

    it("tasks() marks each item done when its loop body ends, so join() in a third thread resolves", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      const joiner = await threads[1]!.call(queue, "join");
      const loop = await threads[0]!.call(queue, "drain", ["tasks"]);
      expect((await joiner.outcomeWithin()).ok).toBe(true);
      queue.shutdown();
      expect((await loop.outcomeWithin()).value).toEqual(served);
      expect(queue.statistics().unfinishedTasks).toBe(0);
    });

    it("items({ signal }) ends with the signal's reason when aborted while waiting", async () => {
      const queue = kind.create<number>();
      const signal = remoteSignal();
      const loop = await threads[0]!.call(queue, "drain", ["items"], { signal });
      await until(() => queue.statistics().getters === 1, "the loop to wait");
      await threads[0]!.abort(signal, "stop");
      expect(await loop.outcomeWithin()).toMatchObject({ ok: false, value: "stop" });
      expect(queue.statistics().getters).toBe(0);
    });

    it("tasks() marks an item done also when the loop breaks", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      for await (const item of queue.tasks()) {
        expect(item).toBe(served[0]);
        break;
      }
      expect(queue.statistics()).toMatchObject({ size: 2, unfinishedTasks: 2, getters: 0 });
    });

    it("items() and tasks() throw a TypeError on bad options", () => {
      const queue = kind.create<number>();
      expect(() => queue.items({ timeout: 5 } as never)).toThrow(TypeError);
      expect(() => queue.tasks({ signal: "x" } as never)).toThrow(TypeError);
    });
  });

  describe("statistics() and String()", () => {
    it("is a frozen snapshot counting getters and putters in every thread", async () => {
      const queue = kind.create<number>(1);
      expect(queue.statistics()).toEqual({ size: 0, maxsize: 1, getters: 0, putters: 0, waiters: 0, unfinishedTasks: 0, shutdown: false });
      await threads[0]!.call(queue, "get");
      await threads[1]!.call(queue, "get");
      expect(queue.statistics()).toMatchObject({ getters: 2, waiters: 2 });
      queue.putNowait(1);
      queue.putNowait(2);
      queue.putNowait(3);
      await threads[2]!.call(queue, "put", [4]);
      await threads[3]!.call(queue, "put", [5]);
      const stats = queue.statistics();
      expect(stats).toEqual({ size: 1, maxsize: 1, getters: 0, putters: 2, waiters: 2, unfinishedTasks: 3, shutdown: false });
      expect(Object.isFrozen(stats)).toBe(true);
      expect(String(queue)).toBe(`<${kind.name} maxsize=1 _queue=[3] _putters[2] tasks=3>`);
      queue.shutdown(true);
      expect(queue.statistics()).toMatchObject({ size: 0, putters: 0, unfinishedTasks: 2, shutdown: true });
    });

    it("is asyncio's str() form, named after the type, with strings in single quotes", async () => {
      const queue = kind.create<string>(10);
      expect(String(queue)).toBe(`<${kind.name} maxsize=10>`);
      await threads[0]!.call(queue, "get");
      expect(String(queue)).toBe(`<${kind.name} maxsize=10 _getters[1]>`);
      queue.putNowait("x");
      queue.putNowait("b");
      queue.putNowait("a");
      const order = kind.name === "Queue" ? ["b", "a"] : kind.name === "LifoQueue" ? ["a", "b"] : ["a", "b"];
      expect(String(queue)).toBe(`<${kind.name} maxsize=10 _queue=[${order.map((s) => `'${s}'`).join(", ")}] tasks=3>`);
      queue.shutdown();
      expect(String(queue)).toMatch(/ shutdown>$/);
    });
  });
});
