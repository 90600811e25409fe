/**
 * What only the FIFO Queue does, and the scenarios of CPython's test_queues.py that need a
 * whole producer/consumer run. The behaviour every queue type shares is in queue-types.test.ts.
 */
import { describe, expect, it } from "vitest";
import { Queue, QueueShutDown, sleep, TimeoutError } from "syncio";
import { flushMicrotasks, useVirtualTime } from "syncio/testing";
import { countedSignal, track } from "./support/index.js";

describe("Queue", () => {
  describe("order", () => {
    it("serves items first in, first out (asyncio QueueBasicTests.test_order)", () => {
      const queue = new Queue<number>();
      for (const item of [1, 3, 2]) queue.putNowait(item);
      expect([queue.getNowait(), queue.getNowait(), queue.getNowait()]).toEqual([1, 3, 2]);
    });

    it("keeps FIFO order while its storage wraps around and grows", () => {
      const queue = new Queue<number>();
      const out: number[] = [];
      let next = 0;
      // Uneven put/get batches move the head around the ring, then past its capacity.
      for (const [puts, gets] of [[6, 5], [7, 3], [12, 10], [30, 1], [3, 39]]) {
        for (let i = 0; i < puts!; i++) queue.putNowait(next++);
        for (let i = 0; i < gets!; i++) out.push(queue.getNowait());
      }
      expect(queue.empty()).toBe(true);
      expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    });

    it("carries undefined and null as items, also to a blocked getter", async () => {
      const queue = new Queue<undefined | null>();
      queue.putNowait(undefined);
      queue.putNowait(null);
      expect(queue.qsize()).toBe(2);
      expect([queue.getNowait(), queue.getNowait()]).toEqual([undefined, null]);
      const getter = track(queue.get());
      queue.putNowait(undefined);
      await flushMicrotasks();
      expect(getter).toMatchObject({ state: "fulfilled", value: undefined });
      expect(queue.statistics().unfinishedTasks).toBe(3);
    });

    it("keeps each producer's order through a bounded queue with many producers and consumers (asyncio test_why_are_getters_waiting)", async () => {
      using clock = useVirtualTime();
      const queue = new Queue<[producer: number, seq: number]>(2);
      const received: Array<[number, number]>[] = [[], [], []];
      const produce = async (producer: number) => {
        for (let seq = 0; seq < 20; seq++) {
          await queue.put([producer, seq]);
          await sleep((producer * 7 + seq) % 3);
        }
      };
      const consume = async (consumer: number) => {
        for await (const item of queue) {
          received[consumer]!.push(item);
          queue.taskDone();
          await sleep((consumer + item[1]) % 2);
        }
      };
      const consumers = [0, 1, 2].map(consume);
      const producers = [0, 1, 2, 3].map(produce);
      const done = Promise.all(producers).then(() => queue.join());
      await clock.runAll();
      await done;
      queue.shutdown();
      await Promise.all(consumers);
      const all = received.flat();
      expect(all).toHaveLength(80);
      for (const producer of [0, 1, 2, 3]) {
        const seqs = all.filter(([from]) => from === producer).map(([, seq]) => seq);
        expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      }
      // Per consumer, items of one producer arrive in the order that producer put them.
      for (const items of received) {
        for (const producer of [0, 1, 2, 3]) {
          const seqs = items.filter(([from]) => from === producer).map(([, seq]) => seq);
          expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        }
      }
      expect(received.every((items) => items.length > 0)).toBe(true);
    });

    it("moves 10 000 items through a queue of 16 in order", async () => {
      const queue = new Queue<number>(16);
      const producer = (async () => {
        for (let i = 0; i < 10_000; i++) await queue.put(i);
        queue.shutdown();
      })();
      let expected = 0;
      for await (const item of queue) {
        if (item !== expected) break;
        expected++;
        queue.taskDone();
      }
      await producer;
      expect(expected).toBe(10_000);
      expect(queue.statistics()).toMatchObject({ size: 0, unfinishedTasks: 0, waiters: 0 });
    });
  });

  describe("maxsize", () => {
    it("is read-only", () => {
      const queue = new Queue<number>(3);
      expect(() => {
        (queue as { maxsize: number }).maxsize = 5;
      }).toThrow(TypeError);
      expect(queue.maxsize).toBe(3);
    });

    it("lets a blocked put() in once a get() frees a slot, on the virtual clock (asyncio test_blocking_put_wait)", async () => {
      using clock = useVirtualTime();
      const queue = new Queue<number>(1);
      let finished = false;
      const producer = (async () => {
        await queue.put(1);
        await queue.put(2);
        finished = true;
      })();
      void sleep(10).then(() => queue.getNowait());
      await clock.advance(9);
      expect(finished).toBe(false);
      await clock.advance(1);
      expect(finished).toBe(true);
      await producer;
      expect(queue.getNowait()).toBe(2);
    });
  });

  describe("signals and timers", () => {
    it("a put() admitted into a freed slot clears its timer and its abort listener", async () => {
      using clock = useVirtualTime();
      const queue = new Queue<number>(1);
      queue.putNowait(1);
      const counted = countedSignal();
      const putter = queue.put(2, { signal: counted.signal, timeout: 500 });
      expect([counted.listeners, clock.pendingTimers]).toEqual([1, 1]);
      queue.getNowait();
      expect([counted.listeners, clock.pendingTimers]).toEqual([0, 0]);
      await putter;
      counted.abort();
      expect(queue.getNowait()).toBe(2);
    });

    it("a join() that resolves clears its timer and its abort listener", async () => {
      using clock = useVirtualTime();
      const queue = new Queue<number>();
      queue.putNowait(1);
      const counted = countedSignal();
      const joiner = queue.join({ signal: counted.signal, timeout: 500 });
      expect([counted.listeners, clock.pendingTimers]).toEqual([1, 1]);
      queue.getNowait();
      queue.taskDone();
      expect([counted.listeners, clock.pendingTimers]).toEqual([0, 0]);
      await joiner;
    });

    it("a get() that rejects on shutdown clears its timer and its abort listener", async () => {
      using clock = useVirtualTime();
      const queue = new Queue<number>();
      const counted = countedSignal();
      const getter = queue.get({ signal: counted.signal, timeout: 500 });
      queue.shutdown();
      expect([counted.listeners, clock.pendingTimers]).toEqual([0, 0]);
      await expect(getter).rejects.toBeInstanceOf(QueueShutDown);
    });

    it("a timeout beyond 2³¹−1 ms fires when due, not at once (timers overflow there)", async () => {
      using clock = useVirtualTime();
      const queue = new Queue<number>();
      const getter = track(queue.get({ timeout: 2 ** 31 + 5 }));
      await clock.advance(2 ** 31);
      expect(getter.state).toBe("pending");
      await clock.advance(5);
      expect(getter.reason).toBeInstanceOf(TimeoutError);
      expect(clock.pendingTimers).toBe(0);
    });

    it("one signal shared by a getter, a putter and a joiner of different queues keeps one listener and aborts them all", async () => {
      const counted = countedSignal();
      const { signal } = counted;
      const empty = new Queue<number>();
      const full = new Queue<number>(1);
      full.putNowait(1);
      const calls = [empty.get({ signal }), full.put(2, { signal }), full.join({ signal })];
      expect(counted.listeners).toBe(1);
      counted.abort("all");
      const results = await Promise.allSettled(calls);
      expect(results.map((result) => (result as PromiseRejectedResult).reason)).toEqual(["all", "all", "all"]);
      expect(counted.listeners).toBe(0);
      expect([empty.statistics().waiters, full.statistics().waiters]).toEqual([0, 0]);
    });
  });

  describe("String()", () => {
    it("matches the contract's examples", async () => {
      const queue = new Queue<unknown>(10);
      expect(String(queue)).toBe("<Queue maxsize=10>");
      const getter = queue.get();
      expect(String(queue)).toBe("<Queue maxsize=10 _getters[1]>");
      queue.putNowait(0);
      await getter;
      queue.taskDone();
      queue.putNowait(1);
      queue.putNowait("a");
      expect(String(queue)).toBe("<Queue maxsize=10 _queue=[1, 'a'] tasks=2>");
      queue.shutdown();
      expect(String(queue)).toBe("<Queue maxsize=10 _queue=[1, 'a'] tasks=2 shutdown>");
    });

    it("shows _putters[n] only while the queue is full, and never _getters[n] beside _queue", async () => {
      // Direct hand-off keeps the store empty while anyone waits in get() and full while anyone
      // waits in put(), so asyncio's `_queue=[…] _getters[1] _putters[1]` cannot all show at once.
      const queue = new Queue<unknown>(2);
      queue.putNowait(1);
      queue.putNowait("a");
      const putters = [queue.put(2), queue.put("b", { timeout: 0 }).catch((error: unknown) => error)];
      expect(String(queue)).toBe("<Queue maxsize=2 _queue=[1, 'a'] _putters[1] tasks=2>");
      expect(await putters[1]).toBeInstanceOf(TimeoutError);
      queue.getNowait();
      expect(String(queue)).toBe("<Queue maxsize=2 _queue=['a', 2] tasks=3>");
      await putters[0];
    });

    it("does not throw for an item String() cannot convert (a null-prototype object)", () => {
      // Regression: String(queue) threw "Cannot convert object to primitive value", so a queue
      // holding such an item could not be logged or inspected.
      const queue = new Queue<unknown>();
      queue.putNowait(Object.create(null));
      queue.putNowait("b");
      expect(String(queue)).toBe("<Queue maxsize=0 _queue=[[object Object], 'b'] tasks=2>");
    });

    it("shows an object item as String(item)", () => {
      const queue = new Queue<unknown>();
      queue.putNowait({ toString: () => "job#7" });
      queue.putNowait([1, "x"]);
      queue.putNowait(undefined);
      expect(String(queue)).toBe("<Queue maxsize=0 _queue=[job#7, 1,x, undefined] tasks=3>");
    });
  });
});
