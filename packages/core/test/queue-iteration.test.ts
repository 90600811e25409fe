/**
 * items({ signal }), tasks({ signal }) and shutdown(true)'s dropped items, over every queue type.
 */
import { describe, expect, it } from "vitest";
import { QueueShutDown } from "syncio";
import { flushMicrotasks } from "syncio/testing";
import { countedSignal, rejectionOf, track } from "./support/index.js";
import { queueKinds } from "./support/queue-kinds.js";

const ITEMS = [3, 1, 2];
const ABORTED = new Error("aborted by the test");

describe.each(queueKinds)("$name", (kind) => {
  const served = kind.serveOrder(ITEMS);

  describe("shutdown()", () => {
    it("returns the items an immediate shutdown dropped, in the order they would have been served", () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      expect(queue.shutdown(true)).toEqual(served);
      expect(queue.qsize()).toBe(0);
    });

    it("returns [] when it drops nothing: without immediate, or on an empty queue", () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      expect(queue.shutdown()).toEqual([]);
      expect(queue.qsize()).toBe(3);
      expect(kind.create<number>().shutdown(true)).toEqual([]);
    });
  });

  describe("items({ signal })", () => {
    it("yields items in the queue's order and ends once shut down and drained", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      queue.shutdown();
      const received: number[] = [];
      for await (const item of queue.items()) received.push(item);
      expect(received).toEqual(served);
      expect(queue.statistics().unfinishedTasks).toBe(3);
    });

    it("throws the signal's reason out of the loop when aborted while waiting, leaving no getter or listener", async () => {
      const queue = kind.create<number>();
      const signal = countedSignal();
      const received: number[] = [];
      const loop = rejectionOf(
        (async () => {
          for await (const item of queue.items({ signal: signal.signal })) received.push(item);
        })(),
      );
      queue.putNowait(7);
      await flushMicrotasks();
      expect(queue.statistics().getters).toBe(1);
      signal.abort(ABORTED);
      expect(await loop).toBe(ABORTED);
      expect(received).toEqual([7]);
      expect(queue.statistics().getters).toBe(0);
      expect(signal.listeners).toBe(0);
    });

    it("takes nothing with an already-aborted signal", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const controller = new AbortController();
      controller.abort(ABORTED);
      const iterator = queue.items({ signal: controller.signal });
      expect(await rejectionOf(iterator.next())).toBe(ABORTED);
      expect(queue.qsize()).toBe(1);
    });

    it("throws a TypeError at once for a signal passed as the options, or a timeout option", () => {
      const queue = kind.create<number>();
      expect(() => queue.items(AbortSignal.abort() as never)).toThrow(`${kind.name}.items(): expected \`options\` to be an object with \`signal\`, got an AbortSignal`);
      expect(() => queue.items({ timeout: 5 } as never)).toThrow(`${kind.name}.items(): unknown option \`timeout\`: the options are \`signal\``);
      expect(() => queue.tasks({ signal: "x" } as never)).toThrow(TypeError);
    });
  });

  describe("tasks({ signal })", () => {
    it("marks each item done when the loop body for it ends, so join() waits for the last body", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      const joined = track(queue.join());
      const seen: Array<{ item: number; unfinished: number }> = [];
      const consumer = (async () => {
        for await (const item of queue.tasks()) {
          await flushMicrotasks();
          seen.push({ item, unfinished: queue.statistics().unfinishedTasks });
          expect(joined.state).toBe("pending");
        }
      })();
      await flushMicrotasks();
      queue.shutdown();
      await consumer;
      expect(seen).toEqual(served.map((item, i) => ({ item, unfinished: 3 - i })));
      await flushMicrotasks();
      expect(joined.state).toBe("fulfilled");
    });

    it("marks the item done when the loop leaves by break", async () => {
      const queue = kind.create<number>();
      for (const item of ITEMS) queue.putNowait(item);
      for await (const item of queue.tasks()) {
        expect(item).toBe(served[0]);
        break;
      }
      expect(queue.statistics()).toMatchObject({ size: 2, unfinishedTasks: 2 });
    });

    it("marks the item done when the loop body throws, and the error comes out of the loop", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const failure = new Error("handler failed");
      const loop = (async () => {
        for await (const _item of queue.tasks()) throw failure;
      })();
      expect(await rejectionOf(loop)).toBe(failure);
      expect(queue.statistics().unfinishedTasks).toBe(0);
      await queue.join();
    });

    it("marks nothing done for a get that was aborted (it took no item)", async () => {
      const queue = kind.create<number>();
      queue.putNowait(1);
      const controller = new AbortController();
      const loop = rejectionOf(
        (async () => {
          for await (const _item of queue.tasks({ signal: controller.signal })) {
            queue.putNowait(2); // one more unfinished task, never taken by this loop
            controller.abort(ABORTED);
          }
        })(),
      );
      expect(await loop).toBe(ABORTED);
      // 1 was taken and marked done; the next get() saw the aborted signal and took nothing.
      expect(queue.statistics()).toMatchObject({ size: 1, unfinishedTasks: 1 });
      expect(queue.getNowait()).toBe(2);
    });

    it("ends when the queue is shut down while waiting, having marked every item it took", async () => {
      const queue = kind.create<number>();
      const consumer = track(
        (async () => {
          let count = 0;
          for await (const _item of queue.tasks()) count++;
          return count;
        })(),
      );
      queue.putNowait(1);
      await flushMicrotasks();
      queue.shutdown();
      await flushMicrotasks();
      expect(consumer).toMatchObject({ state: "fulfilled", value: 1 });
      expect(queue.statistics().unfinishedTasks).toBe(0);
      await expect(queue.get()).rejects.toBeInstanceOf(QueueShutDown);
    });
  });
});
