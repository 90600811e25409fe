/**
 * Queue, PriorityQueue and LifoQueue against a reference model, under random schedules of
 * put / putNowait / get / getNowait / taskDone / join / abort / timeout / shutdown made in four real
 * threads, with 4-slot rings. Every item is distinct, so the model knows which item each getter
 * must receive: FIFO of getters and putters, each type's order, nothing lost or doubled (every item
 * that entered is received, dropped or drained exactly once); after the drain nothing is left behind.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue } from "@syncio/workers";
import { restartThreads, useThreads } from "../support/suite.js";
import { BUDGET_MS, callOptions, Calls, checkSchedules, runSchedule, FULFILLED, fulfilledWith, holds, rejectedWith, same, schedules, ThreadClocks, type CallOptions, type Expected } from "./harness.js";

const threads = useThreads(4);
const RING = 4;

type KindName = "Queue" | "PriorityQueue" | "LifoQueue";

type Step =
  | { readonly op: "putNowait" | "getNowait" | "taskDone"; readonly thread: number }
  | { readonly op: "put" | "get" | "join"; readonly thread: number; readonly call: CallOptions }
  | { readonly op: "abort"; readonly thread: number; readonly signal: 0 | 1 }
  | { readonly op: "advance"; readonly thread: number; readonly ms: number }
  | { readonly op: "shutdown"; readonly thread: number; readonly immediate: boolean };

const thread = fc.nat({ max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("put" as const), thread, call: callOptions }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("get" as const), thread, call: callOptions }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("join" as const), thread, call: callOptions }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom("putNowait" as const, "getNowait" as const, "taskDone" as const), thread }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("abort" as const), thread, signal: fc.constantFrom<0 | 1>(0, 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), thread, ms: fc.constantFrom(1, 5, 10) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("shutdown" as const), thread, immediate: fc.boolean() }) },
);

interface Waiter {
  readonly line: "getters" | "putters" | "joiners";
  readonly label: string;
  readonly thread: number;
  readonly signal: number | undefined;
  readonly slot: number;
  readonly item?: number;
}

/** One line's 4-slot ring as the model sees it: which slots pending tickets hold, and TAIL. */
class RingModel {
  readonly slots: Array<string | undefined> = Array.from({ length: RING }, () => undefined);
  tail = 0;

  enqueue(label: string): number | undefined {
    for (let skip = 0; skip < RING; skip++) {
      const slot = (this.tail + skip) % RING;
      if (this.slots[slot] !== undefined) continue;
      this.slots[slot] = label;
      this.tail += skip + 1;
      return slot;
    }
    return undefined;
  }
}

class QueueWorld {
  readonly queue: Queue<number>;
  readonly calls = new Calls();
  readonly clocks = new ThreadClocks<Waiter>(threads);
  readonly limit: number;
  items: number[] = [];
  readonly waiting = { getters: [] as Waiter[], putters: [] as Waiter[], joiners: [] as Waiter[] };
  readonly rings = { getters: new RingModel(), putters: new RingModel(), joiners: new RingModel() };
  unfinished = 0;
  shutDown = false;
  nextItem = 100;
  /** Items that entered the queue, and items that left it (received, dropped, drained): each once. */
  readonly entered: number[] = [];
  readonly left: number[] = [];
  before: Array<{ pendingTimers: number; pendingHolds: number }> = [];

  constructor(
    readonly kind: KindName,
    maxsize: number,
  ) {
    const options = { codec: "number" as const, waiters: RING, ...(maxsize > 0 ? {} : { capacity: 3 }) };
    this.queue = kind === "Queue" ? new Queue(maxsize, options) : kind === "LifoQueue" ? new LifoQueue(maxsize, options) : new PriorityQueue(maxsize, undefined, options);
    this.limit = maxsize > 0 ? maxsize : 3;
  }

  async start(): Promise<void> {
    this.before = await Promise.all(threads.map((t) => t.clock()));
  }

  async apply(step: Step): Promise<void> {
    const there = threads[step.thread]!;
    switch (step.op) {
      case "putNowait": {
        const item = this.#newItem();
        const label = this.calls.add(await there.call(this.queue, "putNowait", [item]));
        if (this.shutDown) return this.calls.expect(label, rejectedWith("QueueShutDown"));
        if (this.items.length >= this.limit) return this.calls.expect(label, rejectedWith("QueueFull"));
        this.#accept(item);
        return this.calls.expect(label, FULFILLED);
      }
      case "put": {
        const item = this.#newItem();
        const real = this.clocks.options(step.thread, step.call);
        const label = this.calls.add(await there.call(this.queue, "put", [item], real.options));
        if (this.shutDown) return this.calls.expect(label, rejectedWith("QueueShutDown"));
        if (this.items.length < this.limit) {
          this.#accept(item);
          return this.calls.expect(label, FULFILLED);
        }
        return this.#wait("putters", label, step.thread, real.signal?.id, step.call, item);
      }
      case "getNowait": {
        const label = this.calls.add(await there.call(this.queue, "getNowait"));
        if (this.items.length > 0) return this.calls.expect(label, fulfilledWith(this.#take()));
        return this.calls.expect(label, rejectedWith(this.shutDown ? "QueueShutDown" : "QueueEmpty"));
      }
      case "get": {
        const real = this.clocks.options(step.thread, step.call);
        const label = this.calls.add(await there.call(this.queue, "get", [], real.options));
        if (this.items.length > 0) return this.calls.expect(label, fulfilledWith(this.#take()));
        if (this.shutDown) return this.calls.expect(label, rejectedWith("QueueShutDown"));
        return this.#wait("getters", label, step.thread, real.signal?.id, step.call);
      }
      case "taskDone": {
        const label = this.calls.add(await there.call(this.queue, "taskDone"));
        if (this.unfinished === 0) return this.calls.expect(label, rejectedWith("Error"));
        this.calls.expect(label, FULFILLED);
        if (--this.unfinished === 0) this.#serveAll("joiners", FULFILLED);
        return;
      }
      case "join": {
        const real = this.clocks.options(step.thread, step.call);
        const label = this.calls.add(await there.call(this.queue, "join", [], real.options));
        if (this.unfinished === 0) return this.calls.expect(label, FULFILLED);
        return this.#wait("joiners", label, step.thread, real.signal?.id, step.call);
      }
      case "abort": {
        const signal = await this.clocks.abort(step.thread, step.signal);
        for (const line of ["getters", "putters", "joiners"] as const) {
          for (const waiter of this.waiting[line].filter((w) => w.thread === step.thread && w.signal === signal.id)) this.#leave(waiter, rejectedWith("aborted"));
        }
        return;
      }
      case "advance":
        return this.clocks.advance(step.thread, step.ms, (waiter) => this.#leave(waiter, rejectedWith("TimeoutError")));
      case "shutdown": {
        const label = this.calls.add(await there.call(this.queue, "shutdown", [step.immediate]));
        this.shutDown = true;
        let dropped: number[] = [];
        if (step.immediate && this.items.length > 0) {
          dropped = this.#serveOrder();
          this.items = [];
          this.left.push(...dropped);
          this.unfinished = Math.max(0, this.unfinished - dropped.length);
          if (this.unfinished === 0) this.#serveAll("joiners", FULFILLED);
        }
        this.calls.expect(label, { state: "fulfilled", value: dropped });
        this.#serveAll("getters", rejectedWith("QueueShutDown"));
        this.#serveAll("putters", rejectedWith("QueueShutDown"));
        return;
      }
    }
  }

  #newItem(): number {
    return this.nextItem++ * (this.nextItem % 2 === 0 ? 1 : -1);
  }

  #wait(line: Waiter["line"], label: string, thread: number, signal: number | undefined, call: CallOptions, item?: number): void {
    if (call.timeout === 0) return this.calls.expect(label, rejectedWith("TimeoutError"));
    const slot = this.rings[line].enqueue(label);
    if (slot === undefined) return this.calls.expect(label, rejectedWith("Error"));
    const waiter: Waiter = { line, label, thread, signal, slot, ...(item === undefined ? {} : { item }) };
    this.waiting[line].push(waiter);
    this.clocks.arm(thread, waiter, call.timeout);
  }

  /** An item enters: to the first getter, else the store. */
  #accept(item: number): void {
    this.entered.push(item);
    const getter = this.#serveFirst("getters", fulfilledWith(item));
    if (getter !== undefined) this.left.push(item);
    else this.items.push(item);
    this.unfinished++;
  }

  /** The next item by the type's order; a freed slot takes the first putter's item. */
  #take(): number {
    const item = this.#serveOrder()[0]!;
    this.items.splice(this.items.indexOf(item), 1);
    this.left.push(item);
    const putter = this.#serveFirst("putters", FULFILLED);
    if (putter !== undefined) {
      this.entered.push(putter.item!);
      this.items.push(putter.item!);
      this.unfinished++;
    }
    return item;
  }

  #serveOrder(): number[] {
    if (this.kind === "Queue") return [...this.items];
    if (this.kind === "LifoQueue") return [...this.items].reverse();
    return [...this.items].sort((a, b) => a - b);
  }

  #serveFirst(line: Waiter["line"], expected: Expected): Waiter | undefined {
    const waiter = this.waiting[line].shift();
    if (waiter === undefined) return undefined;
    this.#done(waiter, expected);
    return waiter;
  }

  #serveAll(line: Waiter["line"], expected: Expected): void {
    while (this.#serveFirst(line, expected) !== undefined);
  }

  #leave(waiter: Waiter, expected: Expected): void {
    const list = this.waiting[waiter.line];
    list.splice(list.indexOf(waiter), 1);
    this.#done(waiter, expected);
  }

  #done(waiter: Waiter, expected: Expected): void {
    this.clocks.disarm(waiter.thread, waiter);
    this.rings[waiter.line].slots[waiter.slot] = undefined;
    this.calls.expect(waiter.label, expected);
  }

  async check(): Promise<void> {
    await this.calls.check();
    same(
      this.queue.statistics(),
      {
        size: this.items.length,
        maxsize: this.queue.maxsize,
        getters: this.waiting.getters.length,
        putters: this.waiting.putters.length,
        waiters: this.waiting.getters.length + this.waiting.putters.length,
        unfinishedTasks: this.unfinished,
        shutdown: this.shutDown,
      },
      "statistics(), across threads",
    );
  }

  async drain(): Promise<void> {
    // What is left comes out in the type's order, in this thread, each take admitting the next putter's item.
    const expected: number[] = [];
    while (this.items.length > 0) expected.push(this.#take());
    const drained: number[] = [];
    while (!this.queue.empty()) drained.push(this.queue.getNowait());
    same(drained, expected, "the items left, in the type's order");
    this.queue.shutdown(true);
    this.shutDown = true;
    this.#serveAll("getters", rejectedWith("QueueShutDown"));
    this.#serveAll("putters", rejectedWith("QueueShutDown"));
    while (this.unfinished > 0) {
      this.queue.taskDone();
      this.unfinished--;
    }
    this.#serveAll("joiners", FULFILLED);
    await this.check();
    same([...this.left].sort((a, b) => a - b), [...this.entered].sort((a, b) => a - b), "nothing lost or doubled: every item that entered left exactly once");
    same(new Set(this.left).size, this.left.length, "no item left twice");
    same(this.calls.pending(), [], "no lost wake-up: every call settled in its thread");
    const words = new Int32Array(this.queue.handle.buffer);
    const slot0 = 16 + 4 * 3;
    const states = Array.from({ length: 3 * RING }, (_, s) => Atomics.load(words, slot0 + 2 * s) & 3);
    holds(states.every((state) => state === 0 || state === 3), `every slot of the three lines FREE or WITHDRAWN, got ${states.join(",")}`);
    same(await Promise.all(threads.map((t) => t.clock())), this.before, "no timer and no hold left in any thread");
  }
}

describe("Queue, PriorityQueue and LifoQueue across four threads, against a model", () => {
  it("agree on every outcome, item and count under random schedules; nothing lost, doubled or left behind", { timeout: BUDGET_MS }, async () => {
        await checkSchedules(
      fc.asyncProperty(fc.constantFrom<KindName>("Queue", "PriorityQueue", "LifoQueue"), fc.constantFrom(0, 1, 1, 2, 3), fc.array(step, { maxLength: 32 }), async (kind, maxsize, steps) => {
        await runSchedule(threads, async () => {
          const world = new QueueWorld(kind, maxsize);
          await world.start();
          for (const s of steps) {
            await world.apply(s);
            await world.check();
          }
          await world.drain();
        });
      }),
      schedules(150),
    );
  });
});
