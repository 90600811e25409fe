/**
 * The internal waiter queue under every primitive. It is not public API, so this suite imports
 * the sources (and their virtual clock) directly, whatever build the other suites run against.
 */
import { describe, expect, it } from "vitest";
import { TimeoutError } from "../src/errors.js";
import { useVirtualTime } from "../src/testing.js";
import { checkWaitOptions, Waiter, WaiterQueue } from "../src/waiter-queue.js";
import { countedSignal, rejectionOf, track } from "./support/index.js";

function waiterWith(payload: unknown): Waiter<string> {
  // A Waiter takes the resolvers of the promise made just before it; give it inert ones.
  new Promise(() => {});
  return new Waiter<string>(payload);
}

describe("WaiterQueue", () => {
  describe("push() and shift()", () => {
    it("serve waiters first in, first out", () => {
      const queue = new WaiterQueue<string>();
      const waiters = ["a", "b", "c"].map(waiterWith);
      for (const waiter of waiters) queue.push(waiter);
      expect(queue.size).toBe(3);
      expect(queue.peek()).toBe(waiters[0]);
      expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([...waiters, null]);
      expect(queue.size).toBe(0);
      expect(queue.peek()).toBeNull();
    });

    it("mark a shifted waiter as no longer queued", () => {
      const queue = new WaiterQueue<string>();
      const waiter = waiterWith("a");
      queue.push(waiter);
      expect(waiter.queue).toBe(queue);
      queue.shift();
      expect(waiter.queue).toBeNull();
    });
  });

  describe("remove()", () => {
    it.each([
      ["the head", 0, ["b", "c"]],
      ["the middle", 1, ["a", "c"]],
      ["the tail", 2, ["a", "b"]],
    ])("unlinks %s and keeps the others in order", (_label, index, left) => {
      const queue = new WaiterQueue<string>();
      const waiters = ["a", "b", "c"].map(waiterWith);
      for (const waiter of waiters) queue.push(waiter);
      queue.remove(waiters[index]!);
      expect([...queue.payloads()]).toEqual(left);
      expect(queue.size).toBe(2);
      const added = waiterWith("d");
      queue.push(added);
      expect([...queue.payloads()]).toEqual([...left, "d"]);
    });

    it("unlinks any of 10 000 waiters in any order, leaving the queue consistent", () => {
      const queue = new WaiterQueue<string>();
      const waiters = Array.from({ length: 10_000 }, (_, i) => waiterWith(i));
      for (const waiter of waiters) queue.push(waiter);
      // From the middle outwards, so every removal has neighbours on both sides until the end.
      for (let i = 0; i < 5_000; i++) {
        queue.remove(waiters[5_000 + i]!);
        queue.remove(waiters[4_999 - i]!);
      }
      expect(queue.size).toBe(0);
      expect(queue.peek()).toBeNull();
    });
  });

  describe("wait()", () => {
    it("resolves a waiter's promise with what resolveFirst() hands it", async () => {
      const queue = new WaiterQueue<string>();
      const first = queue.wait(undefined, "test");
      const second = track(queue.wait(undefined, "test"));
      expect(queue.resolveFirst("one")).toBe(true);
      expect(await first).toBe("one");
      expect(second.state).toBe("pending");
      expect(queue.size).toBe(1);
    });

    it("keeps the payload a waiter carries in", () => {
      const queue = new WaiterQueue<string>();
      void queue.wait(undefined, "test", "item-1");
      void queue.wait(undefined, "test", "item-2");
      expect([...queue.payloads()]).toEqual(["item-1", "item-2"]);
    });

    it("rejects a timed-out waiter with a TimeoutError naming the call, and unlinks it", async () => {
      using clock = useVirtualTime();
      const queue = new WaiterQueue<string>();
      const waiting = track(queue.wait({ timeout: 10 }, "Thing.get()"));
      await clock.advance(10);
      expect(waiting.reason).toBeInstanceOf(TimeoutError);
      expect((waiting.reason as Error).message).toBe("Thing.get() timed out after 10 ms");
      expect(queue.size).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });

    it("disarms the timer and the signal of a waiter that is handed something", () => {
      using clock = useVirtualTime();
      const queue = new WaiterQueue<string>();
      const counted = countedSignal();
      void queue.wait({ timeout: 10, signal: counted.signal }, "test");
      queue.resolveFirst("x");
      expect(clock.pendingTimers).toBe(0);
      expect(counted.listeners).toBe(0);
    });
  });

  describe("resolveAll() and rejectAll()", () => {
    it("settle every waiter in order, each rejection with its own reason", async () => {
      const queue = new WaiterQueue<string>();
      const order: string[] = [];
      const resolved = [1, 2].map((n) => queue.wait(undefined, "test").then((value) => order.push(`${value}${n}`)));
      queue.resolveAll("r");
      await Promise.all(resolved);
      expect(order).toEqual(["r1", "r2"]);

      let made = 0;
      const rejected = [queue.wait(undefined, "test"), queue.wait(undefined, "test")];
      queue.rejectAll(() => new Error(`reason ${++made}`));
      expect(queue.size).toBe(0);
      const reasons = await Promise.all(rejected.map(rejectionOf));
      expect(reasons.map((reason) => (reason as Error).message)).toEqual(["reason 1", "reason 2"]);
    });
  });

  describe("abort signals", () => {
    it("watches a non-extensible signal too, and leaves nothing visible on a signal it watched", async () => {
      const queue = new WaiterQueue<number>();
      const frozen = new AbortController();
      // Deno's EventTarget adds its listener storage on the first listener: let it, then seal.
      frozen.signal.addEventListener("abort", () => {});
      Object.preventExtensions(frozen.signal);
      const open = new AbortController();
      const onFrozen = queue.wait({ signal: frozen.signal }, "test");
      const onOpen = queue.wait({ signal: open.signal }, "test");
      const second = queue.wait({ signal: open.signal }, "test");
      expect(queue.size).toBe(3);
      frozen.abort("frozen gone");
      expect(await rejectionOf(onFrozen)).toBe("frozen gone");
      queue.resolveFirst(1);
      expect(await onOpen).toBe(1);
      open.abort("open gone");
      expect(await rejectionOf(second)).toBe("open gone");
      expect(queue.size).toBe(0);
      expect(Object.keys(open.signal)).toEqual([]);
      const slots = Object.getOwnPropertySymbols(open.signal).filter((key) => key.description?.startsWith("syncio"));
      expect(slots).toHaveLength(1);
      for (const key of slots) {
        expect(Object.getOwnPropertyDescriptor(open.signal, key)?.enumerable).toBe(false);
        expect((open.signal as unknown as Record<symbol, unknown>)[key]).toBeUndefined();
      }
    });

    it("puts one listener on a signal shared by many waiters, across queues", () => {
      const counted = countedSignal();
      const queues = [new WaiterQueue<string>(), new WaiterQueue<string>()];
      const waiting = Array.from({ length: 50 }, (_, i) => track(queues[i % 2]!.wait({ signal: counted.signal }, "test")));
      expect(counted.listeners).toBe(1);
      expect(counted.added).toBe(1);
      counted.abort("all");
      expect(counted.listeners).toBe(0);
      expect(queues.map((queue) => queue.size)).toEqual([0, 0]);
      return Promise.resolve().then(() => {
        expect(waiting.every((call) => call.reason === "all")).toBe(true);
      });
    });

    it.each([
      ["the newest", 2],
      ["a middle one", 1],
      ["the oldest", 0],
    ])("keeps the shared listener while others wait when %s watcher leaves", async (_label, index) => {
      const counted = countedSignal();
      const queue = new WaiterQueue<string>();
      const waiting = [0, 1, 2].map(() => track(queue.wait({ signal: counted.signal }, "test")));
      let leaving = queue.peek()!;
      for (let i = 0; i < index; i++) leaving = leaving.next!;
      queue.remove(leaving);
      expect(counted.listeners).toBe(1);
      counted.abort("rest");
      await Promise.resolve();
      expect(waiting.filter((call) => call.reason === "rest").length).toBe(2);
      expect(queue.size).toBe(0);
    });

    it("removes the listener when the last watcher leaves, and adds a new one for the next", () => {
      const counted = countedSignal();
      const queue = new WaiterQueue<string>();
      void queue.wait({ signal: counted.signal }, "test");
      void queue.wait({ signal: counted.signal }, "test");
      queue.resolveAll("done");
      expect(counted.listeners).toBe(0);
      void queue.wait({ signal: counted.signal }, "test");
      expect(counted.listeners).toBe(1);
      expect(counted.added).toBe(2);
      queue.resolveAll("done");
    });

    it("rejects only the waiters on the aborted signal", async () => {
      const queue = new WaiterQueue<string>();
      const aborted = new AbortController();
      const kept = new AbortController();
      const a = track(queue.wait({ signal: aborted.signal }, "test"));
      const b = track(queue.wait({ signal: kept.signal }, "test"));
      aborted.abort("a");
      expect([...queue.payloads()].length).toBe(1);
      queue.resolveFirst("b");
      await Promise.resolve();
      expect(a.reason).toBe("a");
      expect(b.value).toBe("b");
    });
  });
});

describe("checkWaitOptions()", () => {
  it("accepts undefined, an empty object, a signal and any timeout 0 … Infinity", () => {
    expect(checkWaitOptions(undefined, "x")).toBeUndefined();
    expect(checkWaitOptions({}, "x")).toBeUndefined();
    expect(checkWaitOptions({ signal: new AbortController().signal, timeout: 0 }, "x")).toBeUndefined();
    expect(checkWaitOptions({ timeout: Infinity }, "x")).toBeUndefined();
    expect(checkWaitOptions({ signal: undefined, timeout: undefined }, "x")).toBeUndefined();
  });

  it("returns a promise rejected with the reason of an already aborted signal", async () => {
    const aborted = checkWaitOptions({ signal: AbortSignal.abort("why") }, "x");
    expect(aborted).toBeInstanceOf(Promise);
    expect(await rejectionOf(aborted!)).toBe("why");
  });

  it("checks the timeout even when the signal is already aborted", () => {
    expect(() => checkWaitOptions({ signal: AbortSignal.abort(), timeout: -1 }, "x")).toThrow(RangeError);
  });
});
