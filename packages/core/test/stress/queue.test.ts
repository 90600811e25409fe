/**
 * Queue, PriorityQueue and LifoQueue against a reference model, under random schedules of
 * put / get / their nowait twins / taskDone / join / shutdown / abort / timeout from several
 * tasks. See harness.ts to replay a failure.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { LifoQueue, PriorityQueue, Queue, QueueEmpty, QueueFull, QueueShutDown } from "syncio";
import { BUDGET_MS, type ScheduleClock, useScheduleClock, type CallOptions, Calls, FULFILLED, ModelTimers, SCHEDULES, Signals, TIMED_OUT, callOptions, checkSchedules, runSchedule, assertNothingLeft, holds, same, throwsA, fulfilledWith, rejectedAs, rejectedWith, settle, type Expected } from "./harness.js";

const TASKS = 6;
type SignalName = "own" | "shared0" | "shared1";
type Kind = "Queue" | "PriorityQueue" | "LifoQueue";
/** Items are unique by `id`; a PriorityQueue orders them by `priority` (ties: insertion order). */
interface Item {
  readonly id: number;
  readonly priority: number;
}
/** An abort fired in the same tick, right after the step's call. */
type ThenAbort = { readonly task: number; readonly signal: SignalName } | null;

type Step =
  | { readonly op: "put"; readonly task: number; readonly call: CallOptions; readonly priority: number }
  | { readonly op: "putNowait"; readonly priority: number; readonly thenAbort: ThenAbort }
  | { readonly op: "get"; readonly task: number; readonly call: CallOptions }
  | { readonly op: "getNowait"; readonly thenAbort: ThenAbort }
  | { readonly op: "taskDone" }
  | { readonly op: "join"; readonly task: number; readonly call: CallOptions }
  | { readonly op: "shutdown"; readonly immediate: boolean }
  | { readonly op: "abort"; readonly task: number; readonly signal: SignalName }
  | { readonly op: "advance"; readonly ms: number };

const task = fc.nat({ max: TASKS - 1 });
const signalName = fc.constantFrom<SignalName>("own", "shared0", "shared1");
const priority = fc.nat({ max: 2 });
const thenAbort: fc.Arbitrary<ThenAbort> = fc.option(fc.record({ task, signal: signalName }), { freq: 4 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("put" as const), task, call: callOptions, priority }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("putNowait" as const), priority, thenAbort }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("get" as const), task, call: callOptions }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("getNowait" as const), thenAbort }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("taskDone" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("join" as const), task, call: callOptions }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("shutdown" as const), immediate: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("abort" as const), task, signal: signalName }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(0, 1, 2, 5, 10) }) },
);
const setup = fc.record({ kind: fc.constantFrom<Kind>("Queue", "PriorityQueue", "LifoQueue"), maxsize: fc.integer({ min: -1, max: 3 }) });

interface Blocked {
  readonly label: string;
  readonly task: number;
  readonly signal: AbortSignal | undefined;
  /** A blocked putter's item. */
  readonly item?: Item;
}

class QueueWorld {
  readonly queue: Queue<Item>;
  readonly calls = new Calls();
  readonly signals = new Signals(TASKS);
  readonly timers = new ModelTimers<Blocked>();
  /** Model: the items in insertion order, the three waiter lists, the counters. */
  readonly store: Item[] = [];
  readonly getters: Blocked[] = [];
  readonly putters: Blocked[] = [];
  readonly joiners: Blocked[] = [];
  unfinished = 0;
  shutdown = false;
  /** Conservation: every item accepted is got, dropped by shutdown(true), or still in the store. */
  readonly accepted = new Set<number>();
  readonly got: number[] = [];
  dropped = 0;
  #nextId = 0;

  constructor(readonly kind: Kind, readonly maxsize: number, readonly clock: ScheduleClock) {
    const byPriority = (a: Item, b: Item) => a.priority - b.priority;
    this.queue = kind === "Queue" ? new Queue<Item>(maxsize) : kind === "LifoQueue" ? new LifoQueue<Item>(maxsize) : new PriorityQueue<Item>(maxsize, byPriority);
  }

  async apply(step: Step): Promise<void> {
    switch (step.op) {
      case "put": {
        if (this.#busy(step.task)) return;
        const item = { id: this.#nextId++, priority: step.priority };
        const { options, signal, abortedBefore } = this.signals.options(step.task, step.call);
        if (abortedBefore !== undefined) this.#signalAborted(signal!, abortedBefore);
        const label = this.calls.start(step.task, `put(${item.id})`, this.queue.put(item, options));
        if (abortedBefore !== undefined) return this.calls.expect(label, rejectedWith(abortedBefore));
        if (this.shutdown) return this.calls.expect(label, rejectedAs(QueueShutDown));
        if (!this.#full()) {
          this.#accept(item);
          return this.calls.expect(label, FULFILLED);
        }
        if (step.call.timeout === 0) return this.calls.expect(label, TIMED_OUT);
        return this.#block(this.putters, { label, task: step.task, signal, item }, step.call.timeout);
      }
      case "putNowait": {
        const item = { id: this.#nextId++, priority: step.priority };
        const expected = this.shutdown ? QueueShutDown : this.#full() ? QueueFull : undefined;
        if (expected !== undefined) this.#expectRefused(() => this.queue.putNowait(item), expected);
        else {
          this.queue.putNowait(item);
          this.#accept(item);
        }
        return this.#thenAbort(step.thenAbort);
      }
      case "get": {
        if (this.#busy(step.task)) return;
        const { options, signal, abortedBefore } = this.signals.options(step.task, step.call);
        if (abortedBefore !== undefined) this.#signalAborted(signal!, abortedBefore);
        const label = this.calls.start(step.task, "get()", this.queue.get(options));
        if (abortedBefore !== undefined) return this.calls.expect(label, rejectedWith(abortedBefore));
        if (this.store.length > 0) return this.calls.expect(label, fulfilledWith(this.#take()));
        if (this.shutdown) return this.calls.expect(label, rejectedAs(QueueShutDown));
        if (step.call.timeout === 0) return this.calls.expect(label, TIMED_OUT);
        return this.#block(this.getters, { label, task: step.task, signal }, step.call.timeout);
      }
      case "getNowait": {
        if (this.store.length === 0) this.#expectRefused(() => this.queue.getNowait(), this.shutdown ? QueueShutDown : QueueEmpty);
        else same(this.queue.getNowait(), this.#take(), "getNowait() serves the model's next item");
        return this.#thenAbort(step.thenAbort);
      }
      case "taskDone": {
        if (this.unfinished === 0) return this.#expectRefused(() => this.queue.taskDone(), Error);
        this.queue.taskDone();
        if (--this.unfinished === 0) this.#joinersDone();
        return;
      }
      case "join": {
        if (this.#busy(step.task)) return;
        const { options, signal, abortedBefore } = this.signals.options(step.task, step.call);
        if (abortedBefore !== undefined) this.#signalAborted(signal!, abortedBefore);
        const label = this.calls.start(step.task, "join()", this.queue.join(options));
        if (abortedBefore !== undefined) return this.calls.expect(label, rejectedWith(abortedBefore));
        if (this.unfinished === 0) return this.calls.expect(label, FULFILLED);
        if (step.call.timeout === 0) return this.calls.expect(label, TIMED_OUT);
        return this.#block(this.joiners, { label, task: step.task, signal }, step.call.timeout);
      }
      case "shutdown": {
        this.queue.shutdown(step.immediate);
        this.shutdown = true;
        if (step.immediate && this.store.length > 0) {
          // Dropped items count as done for join().
          const dropped = this.store.splice(0).length;
          this.dropped += dropped;
          this.unfinished = Math.max(0, this.unfinished - dropped);
          if (this.unfinished === 0) this.#joinersDone();
        }
        for (const blocked of [...this.getters, ...this.putters]) this.#leave(blocked, rejectedAs(QueueShutDown));
        return;
      }
      case "abort": {
        const { signal, reason } = this.signals.abort(step.task, step.signal);
        this.#signalAborted(signal, reason);
        return;
      }
      case "advance":
        return this.timers.advance(this.clock, step.ms, (due) => this.#leave(due, TIMED_OUT));
    }
  }

  #busy(task: number): boolean {
    return [...this.getters, ...this.putters, ...this.joiners].some((blocked) => blocked.task === task);
  }

  #full(): boolean {
    return this.maxsize > 0 && this.store.length >= this.maxsize;
  }

  /** An item enters: straight to the first blocked getter (only ever blocked on an empty store), else stored. */
  #accept(item: Item): void {
    this.accepted.add(item.id);
    this.unfinished++;
    const getter = this.getters.shift();
    if (getter === undefined) {
      this.store.push(item);
      return;
    }
    this.timers.disarm(getter);
    this.got.push(item.id);
    this.calls.expect(getter.label, fulfilledWith(item));
  }

  /** The next item by the kind's order; the slot it frees goes straight to the first blocked putter. */
  #take(): Item {
    // The store is in insertion order, so the first of equal priorities is the oldest.
    let index = this.kind === "LifoQueue" ? this.store.length - 1 : 0;
    if (this.kind === "PriorityQueue") for (let i = 1; i < this.store.length; i++) if (this.store[i]!.priority < this.store[index]!.priority) index = i;
    const [item] = this.store.splice(index, 1) as [Item];
    this.got.push(item.id);
    const putter = this.putters.shift();
    if (putter !== undefined) {
      this.timers.disarm(putter);
      this.accepted.add(putter.item!.id);
      this.unfinished++;
      this.store.push(putter.item!);
      this.calls.expect(putter.label, FULFILLED);
    }
    return item;
  }

  #block(list: Blocked[], blocked: Blocked, timeout: number | undefined): void {
    list.push(blocked);
    this.timers.arm(blocked, timeout);
  }

  #joinersDone(): void {
    for (const joiner of [...this.joiners]) this.#leave(joiner, FULFILLED);
  }

  /** A refused call throws `errorClass` and changes nothing. */
  #expectRefused(call: () => unknown, errorClass: new (...args: never[]) => Error): void {
    const before = { text: String(this.queue), stats: this.queue.statistics() };
    throwsA(call, errorClass, `${before.text}: refused`);
    same({ text: String(this.queue), stats: this.queue.statistics() }, before, "a refused call changes nothing");
  }

  #thenAbort(thenAbort: ThenAbort): void {
    if (thenAbort === null) return;
    const { signal, reason } = this.signals.abort(thenAbort.task, thenAbort.signal);
    this.#signalAborted(signal, reason);
  }

  #signalAborted(signal: AbortSignal, reason: Error): void {
    for (const blocked of [...this.getters, ...this.putters, ...this.joiners]) if (blocked.signal === signal) this.#leave(blocked, rejectedWith(reason));
  }

  #leave(blocked: Blocked, expected: Expected): void {
    for (const list of [this.getters, this.putters, this.joiners]) if (list.includes(blocked)) list.splice(list.indexOf(blocked), 1);
    this.timers.disarm(blocked);
    this.calls.expect(blocked.label, expected);
  }

  check(): void {
    this.calls.check();
    same(this.queue.statistics(), {
      size: this.store.length,
      maxsize: this.maxsize,
      getters: this.getters.length,
      putters: this.putters.length,
      waiters: this.getters.length + this.putters.length,
      unfinishedTasks: this.unfinished,
      shutdown: this.shutdown,
    }, "statistics()");
    same(this.accepted.size, this.got.length + this.dropped + this.store.length, "conservation: put = got + dropped + left");
    same(new Set(this.got).size, this.got.length, "no item got twice");
    same(this.unfinished > 0 || this.joiners.length === 0, true, "join() waits exactly while an item is not done");
    if (this.getters.length > 0) same(this.store.length, 0, "nobody waits in get() while items are stored");
    if (this.putters.length > 0) same(this.#full(), true, "nobody waits in put() while a slot is free");
  }

  /** Shut down, take what is left, mark everything done: every call must have settled. */
  async drain(): Promise<void> {
    await this.apply({ op: "shutdown", immediate: false });
    while (this.store.length > 0) await this.apply({ op: "getNowait", thenAbort: null });
    while (this.unfinished > 0) await this.apply({ op: "taskDone" });
    await settle();
    this.check();
    assertNothingLeft(this.calls, this.clock);
  }
}

describe("Queue, PriorityQueue and LifoQueue under random schedules", () => {
  it(
    `serve in order without barging, conserve items, resolve join() exactly when all is done, and lose no waiter (${SCHEDULES} schedules)`,
    async () => {
      await checkSchedules(
        fc.asyncProperty(setup, fc.array(step, { maxLength: 40, size: "max" }), async ({ kind, maxsize }, steps) => {
          using clock = useScheduleClock();
          const world = new QueueWorld(kind, maxsize, clock);
          await runSchedule(world, steps);
        }),
      );
    },
    BUDGET_MS,
  );
});
