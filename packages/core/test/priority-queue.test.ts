/**
 * What only PriorityQueue does: its order (defaultCompare, like Python's for tuples, or a
 * custom compare), stable order for equal items, and what a compare that throws changes
 * (nothing). The behaviour it shares with Queue is in queue-types.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCompare, PriorityQueue, Queue, QueueFull } from "syncio";
import { flushMicrotasks } from "syncio/testing";
import { track } from "./support/index.js";
import { states, thrown } from "./support/queue-kinds.js";

/** Drains `queue` with getNowait(). */
function drain<T>(queue: Queue<T>): T[] {
  const items: T[] = [];
  while (!queue.empty()) items.push(queue.getNowait());
  return items;
}

/** A compare by `rank` that throws for an item named "poison" (an item it cannot order). */
interface Job {
  readonly rank: number;
  readonly name: string;
}
const byRank = (a: Job, b: Job) => {
  if (a.name === "poison" || b.name === "poison") throw new TypeError("cannot rank poison");
  return a.rank - b.rank;
};
const job = (rank: number, name = `job${rank}`): Job => ({ rank, name });

describe("defaultCompare()", () => {
  it("orders numbers ascending", () => {
    expect([defaultCompare(1, 2), defaultCompare(2, 1), defaultCompare(2, 2)]).toEqual([-1, 1, 0]);
    expect(defaultCompare(-Infinity, -1e308)).toBe(-1);
    expect(defaultCompare(-0, 0)).toBe(0);
  });

  it("orders bigints and booleans with numbers, booleans as 0 and 1 (as Python does)", () => {
    expect(defaultCompare(1n, 2)).toBe(-1);
    expect(defaultCompare(3, 2n)).toBe(1);
    expect(defaultCompare(false, true)).toBe(-1);
    expect(defaultCompare(true, 1)).toBe(0);
    expect(defaultCompare(true, 0.5)).toBe(1);
  });

  it("orders strings ascending by code unit", () => {
    expect(defaultCompare("a", "b")).toBe(-1);
    expect(defaultCompare("b", "a")).toBe(1);
    expect(defaultCompare("ab", "ab")).toBe(0);
    expect(defaultCompare("a", "ab")).toBe(-1);
    expect(defaultCompare("Z", "a")).toBe(-1);
  });

  it("compares arrays element by element, like Python tuples", () => {
    expect(defaultCompare([1, "b"], [1, "a"])).toBeGreaterThan(0);
    expect(defaultCompare([1, "z"], [2, "a"])).toBeLessThan(0);
    expect(defaultCompare([1, [2, 3]], [1, [2, 4]])).toBeLessThan(0);
    expect(defaultCompare([1, 2], [1, 2])).toBe(0);
  });

  it("puts a shorter array before a longer one it is a prefix of", () => {
    expect(defaultCompare([1], [1, 0])).toBeLessThan(0);
    expect(defaultCompare([1, 0], [1])).toBeGreaterThan(0);
    expect(defaultCompare([], [0])).toBeLessThan(0);
  });

  it("stops at the first element that differs, so later elements need no order (as Python does)", () => {
    expect(defaultCompare([1, {}], [2, "x"])).toBeLessThan(0);
    expect(() => defaultCompare([1, {}], [1, "x"])).toThrow(TypeError);
  });

  it("throws a TypeError for values of different kinds or with no order, naming them", () => {
    for (const [a, b] of [
      [1, "1"],
      ["a", ["a"]],
      [{}, {}],
      [undefined, undefined],
      [null, 1],
      [Symbol("s"), Symbol("s")],
    ] as Array<[unknown, unknown]>) {
      expect(() => defaultCompare(a, b)).toThrow(TypeError);
    }
    expect(() => defaultCompare(1, "1")).toThrow('PriorityQueue: cannot order 1 (number) and "1" (string); pass a `compare` function');
  });
});

describe("PriorityQueue", () => {
  describe("constructor", () => {
    it("is a Queue", () => {
      expect(new PriorityQueue()).toBeInstanceOf(Queue);
    });

    it("throws a TypeError naming the argument for a compare that is not a function", () => {
      for (const compare of [null, 1, "desc", {}]) {
        expect(() => new PriorityQueue(0, compare as never)).toThrow(TypeError);
      }
      expect(() => new PriorityQueue(0, "desc" as never)).toThrow('PriorityQueue(): expected `compare` to be a function, got "desc" (string)');
    });

    it("uses defaultCompare when compare is undefined", () => {
      const queue = new PriorityQueue<number>(0, undefined);
      for (const item of [3, 1, 2]) queue.putNowait(item);
      expect(drain(queue)).toEqual([1, 2, 3]);
    });
  });

  describe("order", () => {
    it("serves the smallest first (asyncio PriorityQueueTests.test_order)", () => {
      const queue = new PriorityQueue<number>();
      for (const item of [1, 3, 2]) queue.putNowait(item);
      expect(drain(queue)).toEqual([1, 2, 3]);
    });

    it("serves [priority, payload] arrays like Python tuples", () => {
      const queue = new PriorityQueue<[number, string]>();
      for (const item of [[2, "b"], [1, "z"], [2, "a"], [1, "y"]] as Array<[number, string]>) queue.putNowait(item);
      expect(drain(queue)).toEqual([[1, "y"], [1, "z"], [2, "a"], [2, "b"]]);
    });

    it("serves strings in ascending order", () => {
      const queue = new PriorityQueue<string>();
      for (const item of ["pear", "apple", "fig", "Apple"]) queue.putNowait(item);
      expect(drain(queue)).toEqual(["Apple", "apple", "fig", "pear"]);
    });

    it("serves items that compare equal in insertion order", () => {
      const queue = new PriorityQueue<[number]>();
      const items: Array<[number]> = [[1], [0], [1], [0], [1]];
      for (const item of items) queue.putNowait(item);
      const out = drain(queue);
      expect(out).toEqual([[0], [0], [1], [1], [1]]);
      for (const [i, index] of [1, 3, 0, 2, 4].entries()) expect(out[i]).toBe(items[index]);
    });

    it("serves with a custom compare, equal ranks in insertion order", () => {
      const queue = new PriorityQueue<Job>(0, (a, b) => b.rank - a.rank);
      for (const item of [job(1, "a"), job(3, "b"), job(1, "c"), job(3, "d"), job(2, "e")]) queue.putNowait(item);
      expect(drain(queue).map((item) => item.name)).toEqual(["b", "d", "e", "a", "c"]);
    });

    it("matches a stable sort under any interleaving of puts and gets (property)", () => {
      const operation = fc.oneof(fc.record({ put: fc.integer({ min: 0, max: 5 }) }), fc.constant({ get: true as const }));
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
          const queue = new PriorityQueue<{ rank: number; seq: number }>(0, (a, b) => a.rank - b.rank);
          // The model: items held, always served as a stable sort by rank would.
          let model: Array<{ rank: number; seq: number }> = [];
          operations.forEach((op, seq) => {
            if ("put" in op) {
              const item = { rank: op.put, seq };
              queue.putNowait(item);
              model.push(item);
              model = model.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
            } else if (model.length > 0) {
              expect(queue.getNowait()).toBe(model.shift());
            }
            expect(queue.qsize()).toBe(model.length);
          });
          expect(drain(queue)).toEqual(model);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe("a compare that throws", () => {
    it("makes putNowait() throw its error synchronously and leaves the queue unchanged", () => {
      const queue = new PriorityQueue<Job>(0, byRank);
      queue.putNowait(job(2));
      queue.putNowait(job(1));
      const before = String(queue);
      expect(thrown(() => queue.putNowait(job(0, "poison")))).toEqual(new TypeError("cannot rank poison"));
      expect(String(queue)).toBe(before);
      expect(queue.statistics()).toMatchObject({ size: 2, unfinishedTasks: 2 });
      expect(drain(queue).map((item) => item.rank)).toEqual([1, 2]);
    });

    it("makes put() throw synchronously when there is room, putting nothing", () => {
      const queue = new PriorityQueue<unknown>();
      queue.putNowait(1);
      expect(() => queue.put("one")).toThrow(TypeError);
      expect(queue.statistics()).toMatchObject({ size: 1, unfinishedTasks: 1 });
    });

    it("is not called for an item handed straight to a blocked getter", async () => {
      const queue = new PriorityQueue<Job>(0, byRank);
      const getter = track(queue.get());
      queue.putNowait(job(0, "poison"));
      await flushMicrotasks();
      expect(getter).toMatchObject({ state: "fulfilled", value: { name: "poison" } });
    });

    it("makes getNowait() throw and take nothing when it fails while reordering", () => {
      let failing = false;
      const queue = new PriorityQueue<number>(0, (a, b) => {
        if (failing) throw new Error("compare broke");
        return a - b;
      });
      for (const item of [5, 3, 4, 1, 2]) queue.putNowait(item);
      failing = true;
      expect(() => queue.getNowait()).toThrow("compare broke");
      expect(queue.qsize()).toBe(5);
      failing = false;
      expect(drain(queue)).toEqual([1, 2, 3, 4, 5]);
    });

    it("rejects a blocked putter whose item it cannot order when its slot comes, leaving the queue unchanged", async () => {
      const queue = new PriorityQueue<Job>(2, byRank);
      queue.putNowait(job(1));
      queue.putNowait(job(2));
      const poisoned = track(queue.put(job(0, "poison")));
      expect(queue.getNowait().rank).toBe(1);
      await flushMicrotasks();
      expect(poisoned.state).toBe("rejected");
      expect(poisoned.reason).toEqual(new TypeError("cannot rank poison"));
      expect(queue.statistics()).toMatchObject({ size: 1, putters: 0, unfinishedTasks: 2 });
    });

    it("passes the slot a rejected putter leaves to the next blocked putter, so putNowait() cannot barge in", async () => {
      // Regression: the freed slot stayed empty while the next putter kept waiting, and a
      // putNowait() newcomer took it ahead of that putter (gh-83055's barging, through compare).
      const queue = new PriorityQueue<Job>(2, byRank);
      queue.putNowait(job(1));
      queue.putNowait(job(2));
      const poisoned = track(queue.put(job(0, "poison")));
      const next = track(queue.put(job(3)));
      expect(queue.getNowait().rank).toBe(1);
      expect(queue.statistics()).toMatchObject({ size: 2, putters: 0, unfinishedTasks: 3 });
      expect(() => queue.putNowait(job(4))).toThrow(QueueFull);
      await flushMicrotasks();
      expect(states([poisoned, next])).toEqual(["rejected", "fulfilled"]);
      expect(drain(queue).map((item) => item.rank)).toEqual([2, 3]);
    });

    it("throws a TypeError naming compare when it returns something other than a number", () => {
      const queue = new PriorityQueue<number>(0, (a, b) => (a < b) as unknown as number);
      queue.putNowait(1);
      expect(() => queue.putNowait(2)).toThrow("PriorityQueue: expected `compare(a, b)` to be a number, got true (boolean)");
      const nan = new PriorityQueue<number>(0, () => Number.NaN);
      nan.putNowait(1);
      expect(() => nan.putNowait(2)).toThrow(TypeError);
      expect([queue.qsize(), nan.qsize()]).toEqual([1, 1]);
    });
  });

  describe("String()", () => {
    it("lists the items in the order they would be served", () => {
      const queue = new PriorityQueue<number>(10);
      for (const item of [5, 1, 4, 2, 3]) queue.putNowait(item);
      expect(String(queue)).toBe("<PriorityQueue maxsize=10 _queue=[1, 2, 3, 4, 5] tasks=5>");
      expect(queue.getNowait()).toBe(1);
      expect(String(queue)).toBe("<PriorityQueue maxsize=10 _queue=[2, 3, 4, 5] tasks=5>");
    });

    it("lists equal items in insertion order, strings quoted, arrays as String(value)", () => {
      const queue = new PriorityQueue<[number, string]>(0, (a, b) => a[0] - b[0]);
      for (const item of [[2, "x"], [1, "b"], [1, "a"]] as Array<[number, string]>) queue.putNowait(item);
      expect(String(queue)).toBe("<PriorityQueue maxsize=0 _queue=[1,b, 1,a, 2,x] tasks=3>");
      const words = new PriorityQueue<string>();
      for (const word of ["b", "a"]) words.putNowait(word);
      expect(String(words)).toBe("<PriorityQueue maxsize=0 _queue=['a', 'b'] tasks=2>");
    });
  });
});
