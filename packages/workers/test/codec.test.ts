/** Queue items cross threads through a codec into fixed-size cells. */
import { describe, expect, it } from "vitest";
import { Queue, type Codec } from "@syncio/workers";
import { useThreads } from "./support/suite.js";

const threads = useThreads(2);

/** Puts `items` in another thread and takes them here, and the other way round. */
async function roundTrip<T>(queue: Queue<T>, items: T[]): Promise<{ here: T[]; there: unknown[] }> {
  for (const item of items) await (await threads[0]!.call(queue, "putNowait", [item])).outcomeWithin();
  const here = items.map(() => queue.getNowait());
  for (const item of items) queue.putNowait(item);
  const there: unknown[] = [];
  for (const _ of items) {
    const got = await (await threads[1]!.call(queue, "getNowait")).outcomeWithin();
    there.push(got.bytes === undefined ? got.value : new Uint8Array(got.bytes));
  }
  return { here, there };
}

const jsonCodec: Codec<unknown> = { encode: (item) => JSON.stringify(item), decode: (text) => JSON.parse(text as string) };

describe("Queue codecs", () => {
  it('"json" (the default) carries what JSON carries: objects, arrays, unicode, null', async () => {
    const items = [{ a: 1, b: [true, null, "ü"] }, [1, [2, [3]]], "📦 parcel", null, 0, -1.5];
    const queue = new Queue<unknown>(10);
    expect(await roundTrip(queue, items)).toEqual({ here: items, there: items });
  });

  it('"number" carries float64s exactly, NaN, ±Infinity and -0 included, in 8-byte cells', async () => {
    const items = [0, -0, 1.5, Math.PI, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, Number.NaN];
    const queue = new Queue<number>(16, { codec: "number" });
    const { here } = await roundTrip(queue, items);
    expect(here).toEqual(items);
    expect(Object.is(here[1], -0)).toBe(true);
  });

  it('"string" carries any string, empty and astral ones included', async () => {
    const items = ["", "plain", "ünïcödé", "𝄞 and 🧵"];
    const queue = new Queue<string>(8, { codec: "string" });
    expect(await roundTrip(queue, items)).toEqual({ here: items, there: items });
  });

  it('"bytes" carries Uint8Arrays, as copies', async () => {
    const items = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(32).fill(255)];
    const queue = new Queue<Uint8Array>(8, { codec: "bytes", cellBytes: 32 });
    const { here, there } = await roundTrip(queue, items);
    expect(here).toEqual(items);
    expect(there).toEqual(items);
    expect(here[0]).not.toBe(items[0]);
  });

  it("a custom { encode, decode } codec gets back what it encoded, string or bytes; every thread passes it to from()", async () => {
    const text: Codec<Date> = { encode: (date) => date.toISOString(), decode: (data) => new Date(data as string) };
    const queue = new Queue<Date>(4, { codec: text });
    const there = Queue.from<Date>(queue.handle, { codec: text });
    there.putNowait(new Date(0));
    expect(queue.getNowait()).toEqual(new Date(0));
    const binary: Codec<number[]> = { encode: (list) => Uint8Array.from(list), decode: (data) => [...(data as Uint8Array)] };
    const bytes = new Queue<number[]>(4, { codec: binary, cellBytes: 8 });
    Queue.from<number[]>(bytes.handle, { codec: binary }).putNowait([9, 8, 7]);
    expect(bytes.getNowait()).toEqual([9, 8, 7]);
  });

  it("hands an item through a blocked getter's own cell, with the same codec", async () => {
    const queue = new Queue<unknown>(1);
    const getter = await threads[0]!.call(queue, "get");
    queue.putNowait({ deep: { list: [1, 2] } });
    expect((await getter.outcomeWithin()).value).toEqual({ deep: { list: [1, 2] } });
  });

  describe("an item too large for a cell", () => {
    it("is refused with a RangeError at putNowait() and put(), naming the sizes, and nothing changes", async () => {
      const queue = new Queue<string>(2, { codec: "string", cellBytes: 8 });
      const getter = await threads[0]!.call(queue, "get");
      expect(() => queue.putNowait("123456789")).toThrow(RangeError);
      expect(() => queue.put("123456789")).toThrow("Queue.put(): the item encodes to 9 bytes, more than a cell holds (cellBytes: 8)");
      expect(queue.statistics()).toMatchObject({ size: 0, getters: 1, unfinishedTasks: 0 });
      expect(getter.state).toBe("pending");
      queue.putNowait("12345678");
      expect((await getter.outcomeWithin()).value).toBe("12345678");
    });

    it("counts UTF-8 bytes, not characters", () => {
      const queue = new Queue<string>(2, { codec: "string", cellBytes: 4 });
      expect(() => queue.putNowait("üüü")).toThrow("the item encodes to 6 bytes");
      queue.putNowait("üü");
      expect(queue.getNowait()).toBe("üü");
    });

    it("is refused also when put() would have waited, and takes no place in line", () => {
      const queue = new Queue<unknown>(1, { cellBytes: 4 });
      queue.putNowait(1);
      expect(() => queue.put("too long")).toThrow(RangeError);
      expect(queue.statistics().putters).toBe(0);
    });
  });

  describe("an item the codec cannot encode", () => {
    it.each([
      ['"number"', "number", "1", /a number/],
      ['"string"', "string", 1, /a string/],
      ['"bytes"', "bytes", [1, 2], /a Uint8Array/],
      ['"json"', "json", undefined, /has no JSON form/],
      ['"json"', "json", () => 1, /has no JSON form/],
    ] as const)("%s refuses %s with a TypeError, changing nothing", (_label, codec, item, message) => {
      const queue = new Queue<unknown>(2, { codec });
      expect(() => queue.putNowait(item)).toThrow(TypeError);
      expect(() => queue.putNowait(item)).toThrow(message);
      expect(queue.qsize()).toBe(0);
    });

    it("a custom codec's encode that returns something else is a TypeError", () => {
      const queue = new Queue<unknown>(2, { codec: { encode: () => 5 as never, decode: () => 0 } });
      expect(() => queue.putNowait(1)).toThrow(/codec\.encode\(item\)/);
    });

    it("a custom decode that throws rejects that get() only; the item is gone, as taken", async () => {
      const codec: Codec<string> = {
        encode: (text) => text,
        decode: (text) => {
          if (text === "bad") throw new SyntaxError("cannot read it");
          return text as string;
        },
      };
      const queue = new Queue<string>(2, { codec });
      queue.putNowait("bad");
      queue.putNowait("good");
      await expect(queue.get()).rejects.toThrow("cannot read it");
      expect(queue.getNowait()).toBe("good");
    });
  });

  describe("from(handle, { codec })", () => {
    it("needs the custom codec again (functions cannot travel), else throws a TypeError", () => {
      const queue = new Queue<unknown>(2, { codec: jsonCodec });
      expect(() => Queue.from(queue.handle)).toThrow(/created with the custom codec; pass the same `codec`/);
      expect(() => Queue.from(queue.handle, { codec: "json" })).toThrow(TypeError);
      expect(Queue.from(queue.handle, { codec: jsonCodec })).toBeInstanceOf(Queue);
    });

    it("accepts the built-in codec's name, and refuses another one", () => {
      const queue = new Queue<number>(2, { codec: "number" });
      expect(Queue.from(queue.handle, { codec: "number" })).toBeInstanceOf(Queue);
      expect(() => Queue.from(queue.handle, { codec: "string" })).toThrow(/created with the "number" codec/);
    });
  });
});
