/**
 * What only LifoQueue does: it serves the newest item first. Blocked callers are still
 * served first come, first served. The shared behaviour is in queue-types.test.ts.
 */
import { describe, expect, it } from "vitest";
import { LifoQueue, Queue } from "syncio";
import { flushMicrotasks } from "syncio/testing";
import { track } from "./support/index.js";
import { states } from "./support/queue-kinds.js";

describe("LifoQueue", () => {
  it("is a Queue", () => {
    expect(new LifoQueue()).toBeInstanceOf(Queue);
  });

  it("serves the newest item first (asyncio LifoQueueTests.test_order)", () => {
    const queue = new LifoQueue<number>();
    for (const item of [1, 3, 2]) queue.putNowait(item);
    expect([queue.getNowait(), queue.getNowait(), queue.getNowait()]).toEqual([2, 3, 1]);
  });

  it("serves an item put between two gets before the older ones", () => {
    const queue = new LifoQueue<string>();
    queue.putNowait("old");
    queue.putNowait("older?");
    expect(queue.getNowait()).toBe("older?");
    queue.putNowait("new");
    expect([queue.getNowait(), queue.getNowait()]).toEqual(["new", "old"]);
  });

  it("serves a blocked putter's item, admitted into the freed slot, as the newest", async () => {
    const queue = new LifoQueue<number>(2);
    queue.putNowait(1);
    queue.putNowait(2);
    const putter = track(queue.put(3));
    expect(queue.getNowait()).toBe(2);
    expect([queue.getNowait(), queue.getNowait()]).toEqual([3, 1]);
    await flushMicrotasks();
    expect(putter.state).toBe("fulfilled");
  });

  it("still serves blocked getters in arrival order, each the item put while it is first", async () => {
    const queue = new LifoQueue<number>();
    const getters = [track(queue.get()), track(queue.get())];
    queue.putNowait(1);
    queue.putNowait(2);
    queue.putNowait(3);
    await flushMicrotasks();
    expect(getters).toMatchObject([
      { state: "fulfilled", value: 1 },
      { state: "fulfilled", value: 2 },
    ]);
    expect(queue.getNowait()).toBe(3);
  });

  it("admits blocked putters in arrival order, not newest first", async () => {
    const queue = new LifoQueue<string>(1);
    queue.putNowait("held");
    const putters = [track(queue.put("first")), track(queue.put("second"))];
    expect(queue.getNowait()).toBe("held");
    expect(queue.getNowait()).toBe("first");
    expect(queue.getNowait()).toBe("second");
    await flushMicrotasks();
    expect(states(putters)).toEqual(["fulfilled", "fulfilled"]);
  });

  it("lists the newest item first in its string form", () => {
    const queue = new LifoQueue<unknown>(5);
    for (const item of [1, "two", 3]) queue.putNowait(item);
    expect(String(queue)).toBe("<LifoQueue maxsize=5 _queue=[3, 'two', 1] tasks=3>");
  });

  it("drains newest first after shutdown()", async () => {
    const queue = new LifoQueue<number>();
    for (const item of [1, 2, 3]) queue.putNowait(item);
    queue.shutdown();
    const drained: number[] = [];
    for await (const item of queue) drained.push(item);
    expect(drained).toEqual([3, 2, 1]);
  });
});
