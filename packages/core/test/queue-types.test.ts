/**
 * The behaviour every queue type shares (Queue, PriorityQueue, LifoQueue): what CPython's
 * test_asyncio/test_queues.py checks, translated (task cancellation → abort), and every line
 * of the contract about queues. Items are put in the order 3, 1, 2 so each type's own order
 * shows; `serveOrder` says what comes out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QueueEmpty, QueueFull, QueueShutDown, sleep, TimeoutError } from "syncio";
import { flushMicrotasks, useVirtualTime } from "syncio/testing";
import { countedSignal, nodeInspect, track, type Tracked } from "./support/index.js";
import { queueKinds, states, thrown } from "./support/queue-kinds.js";
import { QueueModel, type Operation } from "./support/queue-model.js";

const ABORTED = new Error("aborted by the test");

const ITEMS = [3, 1, 2];

describe.each(queueKinds)("$name", (kind) => {
  const served = kind.serveOrder(ITEMS);

  /** A queue holding ITEMS, bounded at exactly that many. */
  function fullQueue(maxsize = ITEMS.length) {
    const queue = kind.create<number>(maxsize);
    for (const item of ITEMS) queue.putNowait(item);
    return queue;
  }

  describe("constructor", () => {
    it("is unbounded by default and with maxsize ≤ 0", () => {
      for (const maxsize of [undefined, 0, -1]) {
        const queue = kind.create<number>(maxsize);
        for (let i = 0; i < 1000; i++) queue.putNowait(i);
        expect(queue.full()).toBe(false);
        expect(queue.qsize()).toBe(1000);
        expect(queue.maxsize).toBe(maxsize ?? 0);
      }
    });

    it("throws a TypeError naming the type and the argument for a maxsize that is not a number", () => {
      for (const maxsize of ["1", null, {}, 1n]) {
        expect(() => kind.create(maxsize as never)).toThrow(TypeError);
      }
      expect(() => kind.create("1" as never)).toThrow(new RegExp(`^${kind.name}\\(\\): expected \`maxsize\` to be an integer, got "1" \\(string\\)$`));
    });

    it("throws a RangeError for a maxsize that is NaN, infinite or not an integer (asyncio accepts 1.3)", () => {
      for (const maxsize of [Number.NaN, 1.3, Infinity, -Infinity]) {
        expect(() => kind.create(maxsize)).toThrow(RangeError);
      }
      expect(() => kind.create(1.3)).toThrow(/maxsize.*1\.3 \(number\)/);
    });
  });

  describe("qsize(), empty(), full()", () => {
    it("report the items held against maxsize", () => {
      const queue = kind.create<number>(2);
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([0, true, false]);
      queue.putNowait(1);
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([1, false, false]);
      queue.putNowait(2);
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([2, false, true]);
      queue.getNowait();
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([1, false, false]);
    });

    it("count an item handed to a blocked getter as gone at once", async () => {
      const queue = kind.create<number>(1);
      const getter = track(queue.get());
      queue.putNowait(7);
      expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([0, true, false]);
      await flushMicrotasks();
      expect(getter).toMatchObject({ state: "fulfilled", value: 7 });
    });
  });

  describe("putNowait() and getNowait()", () => {
    it(`serve items in ${kind.name} order`, () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      expect(ITEMS.map(() => queue.getNowait())).toEqual(served);
    });

    it("keep serving in order across a growing store", () => {
      const queue = kind.create<number>();
      const items = Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
      for (const item of items.slice(0, 50)) queue.putNowait(item);
      const out = Array.from({ length: 25 }, () => queue.getNowait());
      for (const item of items.slice(50)) queue.putNowait(item);
      while (!queue.empty()) out.push(queue.getNowait());
      expect(out).toHaveLength(100);
      if (kind.name === "Queue") expect(out).toEqual(items);
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
      expect(queue.qsize()).toBe(3);
      expect(queue.statistics().unfinishedTasks).toBe(3);
    });

    it("throw errors that are Errors named after their class", () => {
      const queue = kind.create<number>(1);
      const empty = thrown(() => queue.getNowait());
      queue.putNowait(1);
      const full = thrown(() => queue.putNowait(2));
      queue.shutdown();
      const shutDown = thrown(() => queue.putNowait(2));
      expect(empty).toBeInstanceOf(Error);
      expect(full).toBeInstanceOf(Error);
      expect(shutDown).toBeInstanceOf(Error);
      expect([(empty as Error).name, (full as Error).name, (shutDown as Error).name]).toEqual(["QueueEmpty", "QueueFull", "QueueShutDown"]);
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

    it("waits for an item when empty (asyncio test_blocking_get_wait)", async () => {
      using clock = useVirtualTime();
      const queue = kind.create<number>();
      const getter = track(queue.get());
      void sleep(10).then(() => queue.putNowait(1));
      await clock.advance(9);
      expect(getter.state).toBe("pending");
      await clock.advance(1);
      expect(getter).toMatchObject({ state: "fulfilled", value: 1 });
    });

    it("serves blocked getters in arrival order", async () => {
      const queue = kind.create<number>();
      const getters = [0, 1, 2].map(() => track(queue.get()));
      for (const item of [10, 20, 30]) queue.putNowait(item);
      await flushMicrotasks();
      expect(getters).toMatchObject([10, 20, 30].map((value) => ({ state: "fulfilled", value })));
    });

    it("admits the first blocked putter's item into the slot it frees (asyncio test_get_with_waiting_putters)", async () => {
      const queue = kind.create<string>(1);
      queue.putNowait("a");
      const putter = track(queue.put("b"));
      expect(await queue.get()).toBe("a");
      expect(queue.qsize()).toBe(1);
      await flushMicrotasks();
      expect(putter).toMatchObject({ state: "fulfilled", value: undefined });
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
    it("puts at once while there is room, before the caller awaits (asyncio test_blocking_put)", async () => {
      const queue = kind.create<number>(1);
      const put = queue.put(1);
      expect(queue.qsize()).toBe(1);
      await expect(put).resolves.toBeUndefined();
    });

    it("hands the item straight to a blocked getter (asyncio test_put_with_waiting_getters)", async () => {
      const queue = kind.create<string>();
      const getter = track(queue.get());
      await queue.put("a");
      expect(queue.qsize()).toBe(0);
      await flushMicrotasks();
      expect(getter).toMatchObject({ state: "fulfilled", value: "a" });
    });

    it("waits while full, and each get lets one putter in (asyncio test_maxsize)", async () => {
      const queue = kind.create<number>(2);
      const havePut: number[] = [];
      const producer = (async () => {
        for (const item of [0, 1, 2]) {
          await queue.put(item);
          havePut.push(item);
        }
      })();
      await flushMicrotasks();
      expect(havePut).toEqual([0, 1]);
      queue.getNowait();
      await flushMicrotasks();
      expect(havePut).toEqual([0, 1, 2]);
      expect(queue.qsize()).toBe(2);
      await producer;
    });

    it("serves blocked putters in arrival order (asyncio test_put_cancelled_race, without the abort)", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(0);
      const putters = [1, 2, 3].map((item) => track(queue.put(item)));
      expect([queue.getNowait(), queue.getNowait(), queue.getNowait(), queue.getNowait()]).toEqual([0, 1, 2, 3]);
      await flushMicrotasks();
      expect(states(putters)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    });

    it("with timeout: 0 puts if there is room or rejects with TimeoutError at once, queuing nothing", async () => {
      const queue = kind.create<number>(1);
      await queue.put(1, { timeout: 0 });
      const timedOut = queue.put(2, { timeout: 0 });
      expect(queue.statistics().putters).toBe(0);
      await expect(timedOut).rejects.toBeInstanceOf(TimeoutError);
      expect(queue.qsize()).toBe(1);
      expect(queue.statistics().unfinishedTasks).toBe(1);
    });
  });

  describe("no barging (asyncio gh-83055: queue FIFO after a steal)", () => {
    it("getNowait() does not take an item handed to a woken getter", async () => {
      const queue = kind.create<number>();
      const getter = track(queue.get());
      queue.putNowait(1);
      expect(() => queue.getNowait()).toThrow(QueueEmpty);
      await flushMicrotasks();
      expect(getter).toMatchObject({ state: "fulfilled", value: 1 });
    });

    it("a new get() queues behind a woken getter instead of taking its item", async () => {
      const queue = kind.create<number>();
      const first = track(queue.get());
      queue.putNowait(1);
      const newcomer = track(queue.get());
      queue.putNowait(2);
      await flushMicrotasks();
      expect([first, newcomer]).toMatchObject([
        { state: "fulfilled", value: 1 },
        { state: "fulfilled", value: 2 },
      ]);
    });

    it("putNowait() does not take a slot handed to a woken putter", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      const putter = track(queue.put(2));
      expect(queue.getNowait()).toBe(1);
      expect(() => queue.putNowait(3)).toThrow(QueueFull);
      expect(queue.getNowait()).toBe(2);
      await flushMicrotasks();
      expect(putter.state).toBe("fulfilled");
    });

    it("a new put() queues behind a woken putter instead of taking its slot", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      const first = track(queue.put(2));
      queue.getNowait();
      const newcomer = track(queue.put(3));
      expect(queue.statistics().putters).toBe(1);
      expect(queue.getNowait()).toBe(2);
      expect(queue.getNowait()).toBe(3);
      await flushMicrotasks();
      expect(states([first, newcomer])).toEqual(["fulfilled", "fulfilled"]);
    });

    it("a woken getter keeps its place even when a steal would have been possible before it runs", async () => {
      // asyncio's scenario: getter A waits, put_nowait wakes it, get_nowait steals the item before A
      // runs, and A goes to the back behind getter B. Here A keeps the item and B gets the next one.
      const queue = kind.create<string>();
      const a = track(queue.get());
      const b = track(queue.get());
      queue.putNowait("x");
      expect(() => queue.getNowait()).toThrow(QueueEmpty);
      queue.putNowait("y");
      await flushMicrotasks();
      expect([a, b]).toMatchObject([
        { state: "fulfilled", value: "x" },
        { state: "fulfilled", value: "y" },
      ]);
    });
  });

  describe("abort", () => {
    it("a blocked get() rejects with signal.reason, unchanged, and leaves the queue (asyncio test_cancelled_getters_not_being_held_in_self_getters)", async () => {
      const queue = kind.create<number>();
      const controller = new AbortController();
      const reason = { why: "stop" };
      const getter = queue.get({ signal: controller.signal });
      expect(queue.statistics().getters).toBe(1);
      controller.abort(reason);
      await expect(getter).rejects.toBe(reason);
      expect(queue.statistics().getters).toBe(0);
      queue.putNowait(1);
      expect(queue.qsize()).toBe(1);
    });

    it("an aborted getter is skipped; the next one gets the item (asyncio test_get_cancelled_race)", async () => {
      const queue = kind.create<string>();
      const controller = new AbortController();
      const first = track(queue.get({ signal: controller.signal }));
      const second = track(queue.get());
      controller.abort();
      queue.putNowait("a");
      await flushMicrotasks();
      expect(first.state).toBe("rejected");
      expect(second).toMatchObject({ state: "fulfilled", value: "a" });
    });

    it("a getter aborted after it was handed an item still gets the item: nothing is lost (asyncio test_get_cancel_drop_one_pending_reader)", async () => {
      const queue = kind.create<number>();
      const controller = new AbortController();
      const getter = track(queue.get({ signal: controller.signal }));
      queue.putNowait(1);
      controller.abort();
      await flushMicrotasks();
      expect(getter).toMatchObject({ state: "fulfilled", value: 1 });
      expect(queue.qsize()).toBe(0);
    });

    it("aborting some of many getters loses no item (asyncio test_get_cancel_drop_many_pending_readers)", async () => {
      const queue = kind.create<number>();
      const controllers = [0, 1, 2, 3].map(() => new AbortController());
      const getters = controllers.map((controller) => track(queue.get({ signal: controller.signal })));
      controllers[1]!.abort();
      queue.putNowait(1);
      queue.putNowait(2);
      controllers[0]!.abort(); // already handed item 1
      controllers[3]!.abort();
      queue.putNowait(3);
      await flushMicrotasks();
      expect(getters.map((getter) => getter.state)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
      const received = getters.flatMap((getter) => (getter.state === "fulfilled" ? [getter.value] : []));
      expect([...received, ...[queue.getNowait()]]).toEqual([1, 2, 3]);
    });

    it("a blocked put() rejects with signal.reason and its item never enters (asyncio test_cancelled_puts_not_being_held_in_self_putters)", async () => {
      const queue = fullQueue();
      const controller = new AbortController();
      const putter = queue.put(9, { signal: controller.signal });
      controller.abort("gone");
      await expect(putter).rejects.toBe("gone");
      expect(queue.statistics()).toMatchObject({ putters: 0, size: 3, unfinishedTasks: 3 });
      const drained = ITEMS.map(() => queue.getNowait());
      expect(drained).toEqual(served);
      expect(queue.empty()).toBe(true);
    });

    it("an aborted putter is skipped; the next putter gets the slot (asyncio test_put_cancelled_race)", async () => {
      const queue = kind.create<string>(1);
      const putA = track(queue.put("a"));
      const putB = track(queue.put("b"));
      const controller = new AbortController();
      const putX = track(queue.put("X", { signal: controller.signal }));
      controller.abort();
      expect(queue.getNowait()).toBe("a");
      expect(queue.getNowait()).toBe("b");
      expect(queue.empty()).toBe(true);
      await flushMicrotasks();
      expect(states([putA, putB])).toEqual(["fulfilled", "fulfilled"]);
      expect(putX.state).toBe("rejected");
    });

    it("a putter aborted after it was handed a slot still put its item, once (asyncio test_put_cancel_drop)", async () => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      const controller = new AbortController();
      const putter = track(queue.put(2, { signal: controller.signal }));
      expect(queue.getNowait()).toBe(1);
      controller.abort();
      await flushMicrotasks();
      expect(putter.state).toBe("fulfilled");
      expect(queue.getNowait()).toBe(2);
      expect(queue.empty()).toBe(true);
      expect(queue.statistics().unfinishedTasks).toBe(2);
    });

    it("an already-aborted signal rejects get() at once and takes nothing, even with items there", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const reason = new Error("aborted before");
      await expect(queue.get({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(queue.qsize()).toBe(1);
    });

    it("an already-aborted signal rejects put() at once and puts nothing, even with room", async () => {
      const queue = kind.create<number>();
      const getter = track(queue.get());
      await expect(queue.put(1, { signal: AbortSignal.abort("no") })).rejects.toBe("no");
      expect(queue.statistics()).toMatchObject({ size: 0, unfinishedTasks: 0, getters: 1 });
      await flushMicrotasks();
      expect(getter.state).toBe("pending");
    });

    it("an already-aborted signal rejects join() at once, even with nothing pending", async () => {
      const queue = kind.create<number>();
      await expect(queue.join({ signal: AbortSignal.abort("no") })).rejects.toBe("no");
    });

    it("leaves no listener on the signal once every call on it settled", async () => {
      const queue = kind.create<number>(1);
      const counted = countedSignal();
      const { signal } = counted;
      const getters = [queue.get({ signal }), queue.get({ signal })];
      expect(counted.listeners).toBe(1);
      queue.putNowait(1);
      queue.putNowait(2);
      await Promise.all(getters);
      expect(counted.listeners).toBe(0);
      queue.putNowait(3);
      const putter = queue.put(4, { signal });
      const other = queue.put(5, { signal });
      expect(counted.listeners).toBe(1);
      counted.abort();
      await Promise.allSettled([putter, other]);
      expect(counted.listeners).toBe(0);
    });
  });

  describe("timeout", () => {
    it("a blocked get() rejects with TimeoutError when its timeout elapses, not before", async () => {
      using clock = useVirtualTime();
      const queue = kind.create<number>();
      const getter = track(queue.get({ timeout: 100 }));
      await clock.advance(99);
      expect(getter.state).toBe("pending");
      await clock.advance(1);
      expect(getter.state).toBe("rejected");
      const reason = getter.reason as Error;
      expect(reason).toBeInstanceOf(TimeoutError);
      expect(reason.name).toBe("TimeoutError");
      expect(reason.message).toBe(`${kind.name}.get() timed out after 100 ms`);
      expect(queue.statistics().getters).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });

    it("a get() that gets its item in time returns it and clears its timer (asyncio test_get_cancelled)", async () => {
      using clock = useVirtualTime();
      const queue = kind.create<number>();
      const getter = queue.get({ timeout: 51 });
      await clock.advance(10);
      queue.putNowait(1);
      expect(clock.pendingTimers).toBe(0);
      expect(await getter).toBe(1);
    });

    it("a blocked put() rejects with TimeoutError and its item never enters", async () => {
      using clock = useVirtualTime();
      const queue = fullQueue();
      const putter = queue.put(9, { timeout: 50 });
      const timedOut = expect(putter).rejects.toBeInstanceOf(TimeoutError);
      await clock.advance(50);
      await timedOut;
      expect(queue.statistics()).toMatchObject({ putters: 0, size: 3, unfinishedTasks: 3 });
      expect(clock.pendingTimers).toBe(0);
    });

    it("a getter handed an item at the moment its timeout is due keeps the item", async () => {
      using clock = useVirtualTime();
      const queue = kind.create<number>();
      void sleep(100).then(() => queue.putNowait(1)); // its timer is armed first, so it fires first
      const getter = track(queue.get({ timeout: 100 }));
      await clock.advance(100);
      expect(getter).toMatchObject({ state: "fulfilled", value: 1 });
      expect(clock.pendingTimers).toBe(0);
    });

    it("timeout: Infinity waits without arming a timer", async () => {
      using clock = useVirtualTime();
      const queue = kind.create<number>();
      const getter = queue.get({ timeout: Infinity });
      expect(clock.pendingTimers).toBe(0);
      queue.putNowait(1);
      expect(await getter).toBe(1);
    });

    it("a signal and a timeout together: whichever comes first wins and both are cleaned up", async () => {
      using clock = useVirtualTime();
      const queue = kind.create<number>();
      const counted = countedSignal();
      const getter = queue.get({ signal: counted.signal, timeout: 1000 });
      const timedOut = expect(getter).rejects.toBeInstanceOf(TimeoutError);
      await clock.advance(1000);
      await timedOut;
      expect(counted.listeners).toBe(0);
      const aborted = queue.get({ signal: counted.signal, timeout: 1000 });
      expect([counted.listeners, clock.pendingTimers]).toEqual([1, 1]);
      counted.abort("first");
      await expect(aborted).rejects.toBe("first");
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe("bad options", () => {
    it.each([
      ["timeout: -1", { timeout: -1 }, RangeError],
      ["timeout: NaN", { timeout: Number.NaN }, RangeError],
      ["timeout: '10'", { timeout: "10" }, TypeError],
      ["signal: {}", { signal: {} }, TypeError],
      ["options: 5", 5, TypeError],
      ["options: null", null, TypeError],
    ])("%s throws synchronously from get(), put() and join(), changing nothing", (_label, options, errorClass) => {
      const queue = kind.create<number>(1);
      queue.putNowait(1);
      expect(() => queue.get(options as never)).toThrow(errorClass);
      expect(() => queue.put(2, options as never)).toThrow(errorClass);
      expect(() => queue.join(options as never)).toThrow(errorClass);
      expect(queue.statistics()).toMatchObject({ size: 1, getters: 0, putters: 0, unfinishedTasks: 1 });
    });

    it("names the call and the option in the message", () => {
      const queue = kind.create<number>();
      expect(() => queue.get({ timeout: -1 })).toThrow(`${kind.name}.get(): expected \`options.timeout\` to be a number of milliseconds ≥ 0, got -1 (number)`);
      expect(() => queue.put(1, { timeout: "1" as never })).toThrow(new RegExp(`^${kind.name}\\.put\\(\\): expected \`options\\.timeout\``));
    });
  });

  describe("taskDone() and join()", () => {
    it("join() resolves at once when nothing was put, twice over (asyncio test_join_empty_queue)", async () => {
      const queue = kind.create<number>();
      await queue.join();
      await queue.join();
    });

    it("join() waits until every item put was marked done (asyncio test_task_done)", async () => {
      const queue = kind.create<number>();
      for (let i = 0; i < 100; i++) queue.putNowait(i);
      let total = 0;
      const worker = async () => {
        for await (const item of queue) {
          total += item;
          await Promise.resolve();
          queue.taskDone();
        }
      };
      const workers = [worker(), worker()];
      await queue.join();
      expect(total).toBe(4950);
      expect(queue.statistics().unfinishedTasks).toBe(0);
      queue.shutdown();
      await Promise.all(workers);
    });

    it("join() stays pending while one task is unfinished", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      queue.putNowait(2);
      const joiners = [track(queue.join()), track(queue.join())];
      queue.getNowait();
      queue.getNowait();
      queue.taskDone();
      await flushMicrotasks();
      expect(states(joiners)).toEqual(["pending", "pending"]);
      queue.taskDone();
      await flushMicrotasks();
      expect(states(joiners)).toEqual(["fulfilled", "fulfilled"]);
    });

    it("counts an item handed straight to a getter and one admitted from a blocked putter as tasks", async () => {
      const queue = kind.create<number>(1);
      const getter = queue.get();
      queue.putNowait(1);
      expect(queue.statistics().unfinishedTasks).toBe(1);
      await getter;
      queue.putNowait(2);
      const putter = queue.put(3);
      expect(queue.statistics().unfinishedTasks).toBe(2);
      queue.getNowait();
      expect(queue.statistics().unfinishedTasks).toBe(3);
      await putter;
    });

    it("taskDone() called more times than items were put throws an Error and changes nothing (asyncio test_task_done_underflow)", () => {
      const queue = kind.create<number>();
      expect(() => queue.taskDone()).toThrow(Error);
      expect(() => queue.taskDone()).toThrow(`${kind.name}.taskDone() called more times than there were items`);
      queue.putNowait(1);
      queue.getNowait();
      queue.taskDone();
      expect(() => queue.taskDone()).toThrow(/more times/);
      expect(queue.statistics().unfinishedTasks).toBe(0);
    });

    it("join() takes a timeout and a signal, and a join that gives up leaves the count alone", async () => {
      using clock = useVirtualTime();
      const queue = kind.create<number>();
      queue.putNowait(1);
      const joined = queue.join({ timeout: 10 });
      const timedOut = expect(joined).rejects.toBeInstanceOf(TimeoutError);
      await clock.advance(10);
      await timedOut;
      await expect(queue.join({ timeout: 0 })).rejects.toBeInstanceOf(TimeoutError);
      const controller = new AbortController();
      const aborted = queue.join({ signal: controller.signal });
      controller.abort("enough");
      await expect(aborted).rejects.toBe("enough");
      expect(queue.statistics().unfinishedTasks).toBe(1);
      expect(clock.pendingTimers).toBe(0);
      queue.getNowait();
      queue.taskDone();
      await queue.join({ timeout: 0 });
    });
  });

  describe("shutdown()", () => {
    it("makes every later put fail with QueueShutDown, even with room (asyncio test_shutdown_empty)", async () => {
      const queue = kind.create<number>();
      queue.shutdown();
      expect(() => queue.putNowait(1)).toThrow(QueueShutDown);
      expect(() => queue.putNowait(1)).toThrow(`${kind.name}.putNowait() called after shutdown()`);
      await expect(queue.put(1)).rejects.toBeInstanceOf(QueueShutDown);
      expect(() => queue.getNowait()).toThrow(QueueShutDown);
      await expect(queue.get()).rejects.toBeInstanceOf(QueueShutDown);
      expect(queue.statistics().unfinishedTasks).toBe(0);
    });

    it("lets gets drain what is left, in order, then fail with QueueShutDown (asyncio test_shutdown_nonempty)", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      queue.shutdown();
      expect(await queue.get()).toBe(served[0]);
      expect(queue.getNowait()).toBe(served[1]);
      expect(await queue.get({ timeout: 0 })).toBe(served[2]);
      await expect(queue.get()).rejects.toBeInstanceOf(QueueShutDown);
      expect(() => queue.getNowait()).toThrow(`${kind.name}.getNowait() called on a queue shut down and empty`);
    });

    it("wakes every blocked getter with QueueShutDown", async () => {
      const queue = kind.create<number>();
      const getters = [track(queue.get()), track(queue.get({ timeout: 1000 }))];
      queue.shutdown();
      await flushMicrotasks();
      for (const getter of getters) expect(getter.reason).toBeInstanceOf(QueueShutDown);
      expect(queue.statistics().getters).toBe(0);
    });

    it("fails every blocked putter with QueueShutDown and keeps their items out (asyncio test_shutdown_putter)", async () => {
      const queue = fullQueue();
      const putters = [track(queue.put(8)), track(queue.put(9))];
      queue.shutdown();
      await flushMicrotasks();
      for (const putter of putters) expect(putter.reason).toBeInstanceOf(QueueShutDown);
      expect(queue.statistics()).toMatchObject({ putters: 0, size: 3, unfinishedTasks: 3 });
      expect(ITEMS.map(() => queue.getNowait())).toEqual(served);
    });

    it("does not fail join(): it still waits for taskDone()", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const joiner = track(queue.join());
      queue.shutdown();
      await flushMicrotasks();
      expect(joiner.state).toBe("pending");
      queue.getNowait();
      queue.taskDone();
      await flushMicrotasks();
      expect(joiner.state).toBe("fulfilled");
    });

    it("with immediate drops what is left and counts each dropped item as done (asyncio test_shutdown_immediate)", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      const joiner = track(queue.join());
      queue.shutdown(true);
      expect(queue.qsize()).toBe(0);
      expect(() => queue.getNowait()).toThrow(QueueShutDown);
      await expect(queue.get()).rejects.toBeInstanceOf(QueueShutDown);
      await flushMicrotasks();
      expect(joiner.state).toBe("fulfilled");
      expect(() => queue.taskDone()).toThrow(Error);
    });

    it("with immediate still waits for items already taken (asyncio test_shutdown_immediate_with_unfinished)", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      queue.putNowait(2);
      queue.getNowait();
      const joiner = track(queue.join());
      queue.shutdown(true);
      await flushMicrotasks();
      expect(joiner.state).toBe("pending");
      expect(queue.statistics().unfinishedTasks).toBe(1);
      queue.taskDone();
      await flushMicrotasks();
      expect(joiner.state).toBe("fulfilled");
      expect(() => queue.taskDone()).toThrow(Error);
    });

    it("with immediate wakes blocked getters and putters with QueueShutDown", async () => {
      const getting = kind.create<number>();
      const getter = track(getting.get());
      const putting = fullQueue();
      const putter = track(putting.put(9));
      getting.shutdown(true);
      putting.shutdown(true);
      await flushMicrotasks();
      expect(getter.reason).toBeInstanceOf(QueueShutDown);
      expect(putter.reason).toBeInstanceOf(QueueShutDown);
      expect(putting.statistics()).toMatchObject({ size: 0, unfinishedTasks: 0, putters: 0 });
    });

    it("may be called again, and a later immediate shutdown drops what is left (asyncio test_shutdown_allowed_transitions)", () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      queue.shutdown();
      queue.shutdown();
      expect(queue.qsize()).toBe(1);
      queue.shutdown(true);
      expect(queue.qsize()).toBe(0);
      queue.shutdown(false);
      expect(queue.statistics().shutdown).toBe(true);
    });

    it("leaves a getter already handed an item with that item", async () => {
      const queue = kind.create<number>();
      const getter = track(queue.get());
      queue.putNowait(1);
      queue.shutdown(true);
      await flushMicrotasks();
      expect(getter).toMatchObject({ state: "fulfilled", value: 1 });
    });

    it("throws a TypeError for an immediate that is not a boolean, and does not shut down", () => {
      const queue = kind.create<number>();
      expect(() => queue.shutdown(1 as never)).toThrow(TypeError);
      expect(() => queue.shutdown("yes" as never)).toThrow(`${kind.name}.shutdown(): expected \`immediate\` to be a boolean, got "yes" (string)`);
      expect(queue.statistics().shutdown).toBe(false);
      queue.putNowait(1);
    });
  });

  describe("for await", () => {
    it("yields items as they come, in order, and ends once shut down and drained", async () => {
      const queue = kind.create<number>();
      const received: number[] = [];
      const consumer = (async () => {
        for await (const item of queue) received.push(item);
        return "ended";
      })();
      queue.putNowait(5);
      await flushMicrotasks();
      expect(received).toEqual([5]);
      for (const item of ITEMS) queue.putNowait(item);
      queue.shutdown();
      expect(await consumer).toBe("ended");
      // The loop was blocked in get(), so 3 went straight to it; 1 and 2 waited in the queue.
      expect(received).toEqual([5, 3, ...kind.serveOrder([1, 2])]);
    });

    it("ends when the queue is shut down while the loop waits for an item", async () => {
      const queue = kind.create<number>();
      const consumer = track(
        (async () => {
          let count = 0;
          for await (const _item of queue) count++;
          return count;
        })(),
      );
      await flushMicrotasks();
      expect(queue.statistics().getters).toBe(1);
      queue.shutdown();
      await flushMicrotasks();
      expect(consumer).toMatchObject({ state: "fulfilled", value: 0 });
    });

    it("ends at once on an immediate shutdown, dropping what is left", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      queue.shutdown(true);
      const received: number[] = [];
      for await (const item of queue) received.push(item);
      expect(received).toEqual([]);
    });

    it("takes no item after the loop breaks", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      for await (const item of queue) {
        expect(item).toBe(served[0]);
        break;
      }
      expect(queue.qsize()).toBe(2);
      expect(queue.statistics().getters).toBe(0);
    });
  });

  describe("against a reference model", () => {
    it("agrees on every result, size and waiter count under any mix of calls and aborts (property)", async () => {
      const operation: fc.Arbitrary<Operation> = fc.oneof(
        fc.record({ op: fc.constantFrom("putNowait" as const, "put" as const), item: fc.integer({ min: 0, max: 9 }) }),
        fc.record({ op: fc.constantFrom("getNowait" as const, "get" as const, "taskDone" as const) }),
        fc.record({ op: fc.constant("abort" as const), call: fc.nat({ max: 40 }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.array(operation, { maxLength: 40 }), async (maxsize, operations) => {
          const queue = kind.create<number>(maxsize);
          const model = new QueueModel(kind.name, maxsize);
          const controllers: AbortController[] = [];
          const calls: Array<Tracked<unknown>> = [];
          operations.forEach((operation, call) => {
            controllers[call] = new AbortController();
            const signal = controllers[call]!.signal;
            const run = (): unknown => {
              switch (operation.op) {
                case "putNowait":
                  return queue.putNowait(operation.item);
                case "put":
                  return queue.put(operation.item, { signal });
                case "getNowait":
                  return queue.getNowait();
                case "get":
                  return queue.get({ signal });
                case "abort":
                  return controllers[operation.call]?.abort(ABORTED);
                case "taskDone":
                  return queue.statistics().unfinishedTasks > 0 ? queue.taskDone() : undefined;
              }
            };
            let result: Promise<unknown>;
            try {
              result = Promise.resolve(run());
            } catch (error) {
              result = Promise.reject(error);
            }
            calls[call] = track(result);
            model.apply(operation, call);
            expect(queue.statistics()).toMatchObject({ size: model.size, getters: model.getters, putters: model.putters, unfinishedTasks: model.unfinishedTasks });
          });
          await flushMicrotasks();
          const actual = calls.map((tracked) =>
            tracked.state === "rejected"
              ? { state: "rejected", error: tracked.reason === ABORTED ? "aborted" : (tracked.reason as Error).name }
              : tracked.state === "fulfilled" && tracked.value !== undefined
                ? { state: "fulfilled", value: tracked.value }
                : { state: tracked.state },
          );
          expect(actual).toEqual(model.expected);
          const left: number[] = [];
          while (!queue.empty()) left.push(queue.getNowait());
          expect(left).toEqual(model.drain());
          queue.shutdown();
        }),
        { numRuns: 150 },
      );
    });
  });

  describe("statistics()", () => {
    it("is a frozen snapshot: size, maxsize, getters, putters, waiters = getters + putters, unfinishedTasks, shutdown", async () => {
      const queue = kind.create<number>(1);
      const idle = queue.statistics();
      expect(idle).toEqual({ size: 0, maxsize: 1, getters: 0, putters: 0, waiters: 0, unfinishedTasks: 0, shutdown: false });
      expect(Object.isFrozen(idle)).toBe(true);
      const getters = [queue.get(), queue.get()];
      expect(queue.statistics()).toMatchObject({ getters: 2, waiters: 2 });
      queue.putNowait(1);
      queue.putNowait(2);
      await Promise.all(getters);
      queue.putNowait(3);
      const putters = [queue.put(4), queue.put(5), queue.put(6)];
      expect(queue.statistics()).toEqual({ size: 1, maxsize: 1, getters: 0, putters: 3, waiters: 3, unfinishedTasks: 3, shutdown: false });
      expect(idle.waiters).toBe(0);
      queue.shutdown(true);
      await Promise.allSettled(putters);
      expect(queue.statistics()).toEqual({ size: 0, maxsize: 1, getters: 0, putters: 0, waiters: 0, unfinishedTasks: 2, shutdown: true });
    });

    it("does not count join() callers as waiters", () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      void queue.join();
      void queue.join();
      expect(queue.statistics()).toMatchObject({ waiters: 0, getters: 0, putters: 0, unfinishedTasks: 1 });
    });
  });

  describe("String()", () => {
    it("is asyncio's str() form, named after the type", async () => {
      const queue = kind.create<number>(10);
      expect(String(queue)).toBe(`<${kind.name} maxsize=10>`);
      const getter = queue.get();
      expect(String(queue)).toBe(`<${kind.name} maxsize=10 _getters[1]>`);
      queue.putNowait(0);
      await getter;
      expect(String(queue)).toBe(`<${kind.name} maxsize=10 tasks=1>`);
      queue.taskDone();
      for (const item of ITEMS) queue.putNowait(item);
      expect(String(queue)).toBe(`<${kind.name} maxsize=10 _queue=[${served.join(", ")}] tasks=3>`);
      queue.shutdown();
      expect(String(queue)).toBe(`<${kind.name} maxsize=10 _queue=[${served.join(", ")}] tasks=3 shutdown>`);
    });

    it("shows blocked putters next to a full queue", () => {
      const queue = fullQueue();
      void queue.put(4);
      expect(String(queue)).toBe(`<${kind.name} maxsize=3 _queue=[${served.join(", ")}] _putters[1] tasks=3>`);
      expect(`${queue}`).toBe(String(queue));
    });

    it("quotes strings and shows other values as String(value)", () => {
      const queue = kind.create<unknown>();
      queue.putNowait("a");
      expect(String(queue)).toBe(`<${kind.name} maxsize=0 _queue=['a'] tasks=1>`);
      const mixed = new (queue.constructor as new () => typeof queue)();
      if (kind.name === "PriorityQueue") return; // mixed kinds have no default order; see priority-queue.test.ts
      mixed.putNowait(1);
      mixed.putNowait(null);
      mixed.putNowait("it's");
      const items = kind.name === "LifoQueue" ? ["'it's'", "null", "1"] : ["1", "null", "'it's'"];
      expect(String(mixed)).toBe(`<${kind.name} maxsize=0 _queue=[${items.join(", ")}] tasks=3>`);
    });

    it("is what Node's util.inspect shows", async () => {
      const inspect = await nodeInspect();
      if (inspect === undefined) return; // no node:util (a browser)
      const queue = fullQueue();
      expect(inspect(queue)).toBe(String(queue));
    });
  });
});
