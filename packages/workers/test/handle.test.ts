/** `x.handle` and `Kind.from(handle)`: a plain object that crosses threads, and a strict check on the way back. */
import { describe, expect, it } from "vitest";
import { Barrier, BoundedSemaphore, Condition, Event, LifoQueue, Lock, PriorityQueue, Queue, Semaphore } from "@syncio/workers";
import { useThreads } from "./support/suite.js";

const threads = useThreads(1);

const kinds = [
  { name: "Lock", make: () => new Lock(), Kind: Lock },
  { name: "Semaphore", make: () => new Semaphore(2), Kind: Semaphore },
  { name: "BoundedSemaphore", make: () => new BoundedSemaphore(2), Kind: BoundedSemaphore },
  { name: "Event", make: () => new Event(), Kind: Event },
  { name: "Condition", make: () => new Condition(), Kind: Condition },
  { name: "Barrier", make: () => new Barrier(2), Kind: Barrier },
  { name: "Queue", make: () => new Queue(2), Kind: Queue },
  { name: "PriorityQueue", make: () => new PriorityQueue(2), Kind: PriorityQueue },
  { name: "LifoQueue", make: () => new LifoQueue(2), Kind: LifoQueue },
] as const;

describe.each(kinds)("$name", ({ name, make, Kind }) => {
  describe("handle", () => {
    it("is a plain object naming its kind, holding a SharedArrayBuffer", () => {
      const handle = make().handle;
      expect(Object.getPrototypeOf(handle)).toBe(Object.prototype);
      expect(handle.kind).toBe(name);
      expect(handle.buffer).toBeInstanceOf(SharedArrayBuffer);
    });

    it("survives structuredClone, still sharing the same memory", () => {
      const primitive = make();
      const clone = structuredClone(primitive.handle);
      expect(clone.kind).toBe(name);
      const words = new Int32Array(clone.buffer);
      expect(words[0]).toBe(new Int32Array(primitive.handle.buffer)[0]);
      Atomics.store(words, 15, 7);
      expect(new Int32Array(primitive.handle.buffer)[15]).toBe(7);
    });
  });

  describe("from(handle)", () => {
    it("rebuilds a primitive on the same shared state, in this thread too", () => {
      const primitive = make();
      const again = (Kind.from as (handle: unknown) => object)(primitive.handle);
      expect(again).toBeInstanceOf(Kind);
      expect(again).not.toBe(primitive);
      expect(String(again)).toBe(String(primitive));
    });

    it("rebuilds it in another thread", async () => {
      const primitive = make();
      await expect(threads[0]!.open(primitive)).resolves.toBeTypeOf("number");
    });

    it.each([
      ["undefined", undefined],
      ["null", null],
      ["a string", "Lock"],
      ["an object without a buffer", { kind: name }],
      ["a plain ArrayBuffer", { kind: name, buffer: new ArrayBuffer(256) }],
      ["a SharedArrayBuffer that no primitive made", { kind: name, buffer: new SharedArrayBuffer(256) }],
    ])("throws a TypeError naming %s", (_label, handle) => {
      expect(() => (Kind.from as (handle: unknown) => unknown)(handle)).toThrow(TypeError);
      expect(() => (Kind.from as (handle: unknown) => unknown)(handle)).toThrow(new RegExp(`^${name}\\.from\\(\\): expected \`handle\` to be a ${name}'s handle`));
    });

    it("throws a TypeError for another kind's handle, naming both", () => {
      const other = name === "Lock" ? new Event() : new Lock();
      expect(() => (Kind.from as (handle: unknown) => unknown)(other.handle)).toThrow(TypeError);
      expect(() => (Kind.from as (handle: unknown) => unknown)(other.handle)).toThrow(`got the handle of a ${other.handle.kind}`);
    });

    it("throws a TypeError for a handle whose kind was relabelled", () => {
      const other = name === "Lock" ? new Event() : new Lock();
      expect(() => (Kind.from as (handle: unknown) => unknown)({ kind: name, buffer: other.handle.buffer })).toThrow(TypeError);
    });
  });
});

describe("Condition.from(handle)", () => {
  it("rebuilds the condition and its lock, which other conditions may share", () => {
    const lock = new Lock();
    const first = new Condition(lock);
    const second = Condition.from(new Condition(lock).handle);
    const rebuilt = Condition.from(first.handle);
    lock.tryAcquire();
    expect([first.locked(), second.locked(), rebuilt.locked()]).toEqual([true, true, true]);
    expect(first.handle.lock.buffer).toBe(lock.handle.buffer);
  });

  it("throws a TypeError when the lock's handle is missing", () => {
    const { kind, buffer } = new Condition().handle;
    expect(() => Condition.from({ kind, buffer } as never)).toThrow(TypeError);
  });
});

describe("where shared memory is missing", () => {
  it("a primitive cannot be made, with an Error that says why (a page not cross-origin isolated)", () => {
    const scope = globalThis as { SharedArrayBuffer?: unknown };
    const saved = scope.SharedArrayBuffer;
    delete scope.SharedArrayBuffer;
    try {
      expect(() => new Lock()).toThrow(/SharedArrayBuffer is not available here; in a browser, serve the page cross-origin isolated/);
    } finally {
      scope.SharedArrayBuffer = saved;
    }
  });

  it("nor where Atomics.waitAsync is missing", () => {
    const atomics = Atomics as { waitAsync?: unknown };
    const saved = atomics.waitAsync;
    delete atomics.waitAsync;
    try {
      expect(() => new Queue(1)).toThrow(/Atomics\.waitAsync is not available here/);
    } finally {
      atomics.waitAsync = saved;
    }
  });
});
