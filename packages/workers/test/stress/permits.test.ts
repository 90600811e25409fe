/**
 * Lock, Semaphore and BoundedSemaphore against a reference model, under random schedules of
 * acquire / tryAcquire / release / abort / timeout made in four real threads, on a 4-slot ring (so
 * tickets wrap, skip held slots, and fill it). After every step: each call settled as the model says
 * (which waiter got each permit: FIFO), permits are conserved (nothing lost or doubled), holders
 * never exceed permits; after the drain: nothing pending, no slot held, no timer or hold in any thread.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { BoundedSemaphore, Lock, Semaphore } from "@syncio/workers";
import { restartThreads, useThreads } from "../support/suite.js";
import { BUDGET_MS, callOptions, Calls, checkSchedules, runSchedule, FULFILLED, holds, rejectedWith, same, schedules, ThreadClocks, type CallOptions } from "./harness.js";

const threads = useThreads(4);
const RING = 4;

type Kind = { readonly type: "Lock" } | { readonly type: "Semaphore" | "BoundedSemaphore"; readonly value: number };

type Step =
  | { readonly op: "acquire"; readonly thread: number; readonly call: CallOptions }
  | { readonly op: "tryAcquire"; readonly thread: number }
  /** The `holder`-th holder (cyclically) releases: through its handle in its thread, or a bare release() in `thread`. */
  | { readonly op: "release"; readonly holder: number; readonly via: "handle" | "bare"; readonly thread: number }
  /** A bare release() by a thread that holds nothing: grows a Semaphore, throws on an unlocked Lock or a full BoundedSemaphore. */
  | { readonly op: "releaseUnheld"; readonly thread: number }
  | { readonly op: "abort"; readonly thread: number; readonly signal: 0 | 1 }
  | { readonly op: "advance"; readonly thread: number; readonly ms: number };

const thread = fc.nat({ max: 3 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("acquire" as const), thread, call: callOptions }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("tryAcquire" as const), thread }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("release" as const), holder: fc.nat({ max: 3 }), via: fc.constantFrom("handle" as const, "bare" as const), thread }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("releaseUnheld" as const), thread }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("abort" as const), thread, signal: fc.constantFrom<0 | 1>(0, 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), thread, ms: fc.constantFrom(1, 5, 10) }) },
);
const kind: fc.Arbitrary<Kind> = fc.oneof(
  fc.constant({ type: "Lock" as const }),
  fc.record({ type: fc.constant("Semaphore" as const), value: fc.nat({ max: 2 }) }),
  fc.record({ type: fc.constant("BoundedSemaphore" as const), value: fc.integer({ min: 1, max: 2 }) }),
);

interface Waiter {
  readonly label: string;
  readonly thread: number;
  readonly signal: number | undefined;
  readonly slot: number;
}

class PermitsWorld {
  readonly primitive: Lock | Semaphore;
  readonly calls = new Calls();
  readonly clocks = new ThreadClocks<Waiter>(threads);
  /** Model: free permits, all permits, the queue in ticket order, the holders (call labels), the ring's held slots. */
  free: number;
  total: number;
  readonly queue: Waiter[] = [];
  readonly holders: Array<{ label: string; thread: number }> = [];
  readonly slots: Array<string | undefined> = Array.from({ length: RING }, () => undefined);
  tail = 0;

  constructor(readonly kind: Kind) {
    const options = { waiters: RING };
    this.primitive = kind.type === "Lock" ? new Lock(options) : kind.type === "Semaphore" ? new Semaphore(kind.value, options) : new BoundedSemaphore(kind.value, options);
    this.free = this.total = kind.type === "Lock" ? 1 : kind.value;
  }

  async apply(step: Step): Promise<void> {
    switch (step.op) {
      case "acquire":
        return this.#acquire(step.thread, step.call);
      case "tryAcquire": {
        const call = await threads[step.thread]!.call(this.primitive, "tryAcquire");
        const label = this.calls.add(call, this.free > 0 ? FULFILLED : { state: "fulfilled", value: null });
        if (this.free > 0) {
          this.free--;
          this.holders.push({ label, thread: step.thread });
        }
        return;
      }
      case "release":
        return this.#release(step);
      case "releaseUnheld": {
        const throws = this.kind.type === "Lock" ? this.free === 1 : this.kind.type === "BoundedSemaphore" && this.free === this.total;
        if (!throws && this.kind.type !== "Semaphore") return; // would release a permit some holder has
        const call = await threads[step.thread]!.call(this.primitive, "release");
        this.calls.add(call, throws ? rejectedWith("Error") : FULFILLED);
        if (throws) return;
        this.total++;
        this.#handOver();
        return;
      }
      case "abort": {
        const signal = await this.clocks.abort(step.thread, step.signal);
        for (const waiter of this.queue.filter((queued) => queued.thread === step.thread && queued.signal === signal.id)) this.#leave(waiter, rejectedWith("aborted"));
        return;
      }
      case "advance":
        return this.clocks.advance(step.thread, step.ms, (waiter) => this.#leave(waiter, rejectedWith("TimeoutError")));
    }
  }

  async #acquire(thread: number, options: CallOptions): Promise<void> {
    const real = this.clocks.options(thread, options);
    const call = await threads[thread]!.call(this.primitive, "acquire", [], real.options);
    const label = this.calls.add(call);
    if (this.free > 0) {
      this.free--;
      this.calls.expect(label, FULFILLED);
      this.holders.push({ label, thread });
      return;
    }
    if (options.timeout === 0) return this.calls.expect(label, rejectedWith("TimeoutError"));
    const slot = this.#enqueue(label);
    if (slot === undefined) return this.calls.expect(label, rejectedWith("Error"));
    const waiter = { label, thread, signal: real.signal?.id, slot };
    this.queue.push(waiter);
    this.clocks.arm(thread, waiter, options.timeout);
  }

  /** The ring's rule: the first ticket from TAIL whose slot no earlier ticket holds. */
  #enqueue(label: string): number | undefined {
    for (let skip = 0; skip < RING; skip++) {
      const slot = (this.tail + skip) % RING;
      if (this.slots[slot] !== undefined) continue;
      this.slots[slot] = label;
      this.tail += skip + 1;
      return slot;
    }
    return undefined;
  }

  async #release(step: Extract<Step, { op: "release" }>): Promise<void> {
    if (this.holders.length === 0) return;
    const [holder] = this.holders.splice(step.holder % this.holders.length, 1);
    const owner = this.calls.call(holder!.label);
    const call = step.via === "handle" ? await threads[holder!.thread]!.callOn(owner, "release") : await threads[step.thread]!.call(this.primitive, "release");
    this.calls.add(call, FULFILLED);
    this.#handOver();
  }

  /** A permit came back: to the first waiter, else to the free count. */
  #handOver(): void {
    const first = this.queue.shift();
    if (first === undefined) {
      this.free++;
      return;
    }
    this.clocks.disarm(first.thread, first);
    this.slots[first.slot] = undefined;
    this.calls.expect(first.label, FULFILLED);
    this.holders.push({ label: first.label, thread: first.thread });
  }

  #leave(waiter: Waiter, expected: ReturnType<typeof rejectedWith>): void {
    this.queue.splice(this.queue.indexOf(waiter), 1);
    this.clocks.disarm(waiter.thread, waiter);
    this.slots[waiter.slot] = undefined;
    this.calls.expect(waiter.label, expected);
  }

  async check(): Promise<void> {
    await this.calls.check();
    const stats = this.primitive.statistics() as { waiters: number; value?: number };
    const held = this.holders.length;
    holds(held <= this.total, "mutual exclusion: holders ≤ permits");
    same(this.free + held, this.total, "permits are conserved: free + held = all");
    if (this.primitive instanceof Semaphore) same(this.primitive.value, this.free, "value: the free permits every thread sees");
    same(this.primitive.locked(), this.free === 0, "locked()");
    same(stats.waiters, this.queue.length, "statistics().waiters, across threads");
  }

  /** Each thread's timers and holds before the schedule (a failed schedule may leave some behind). */
  before: Array<{ pendingTimers: number; pendingHolds: number }> = [];

  async start(): Promise<void> {
    this.before = await Promise.all(threads.map((thread) => thread.clock()));
  }

  async drain(): Promise<void> {
    for (let round = 0; this.holders.length > 0 || this.queue.length > 0; round++) {
      holds(round < 40, "draining ends");
      if (this.holders.length > 0) await this.#release({ op: "release", holder: 0, via: "handle", thread: 0 });
      else await this.apply({ op: "releaseUnheld", thread: 0 });
      await this.check();
    }
    same(this.calls.pending(), [], "no lost wake-up: every call settled in its thread");
    same(this.primitive.statistics().waiters, 0, "nobody waits");
    const words = new Int32Array(this.primitive.handle.buffer);
    const slotStates = Array.from({ length: RING }, (_, s) => Atomics.load(words, 20 + 2 * s) & 3);
    holds(slotStates.every((state) => state === 0 || state === 3), `every slot FREE or WITHDRAWN, got ${slotStates.join(",")}`);
    const after = await Promise.all(threads.map((thread) => thread.clock()));
    same(after, this.before, "no timer and no hold left in any thread");
  }
}

describe("Lock, Semaphore and BoundedSemaphore across four threads, against a model", () => {
  it("agree on every outcome, permit and waiter count under random schedules", { timeout: BUDGET_MS }, async () => {
        await checkSchedules(
      fc.asyncProperty(kind, fc.array(step, { maxLength: 24 }), async (kind, steps) => {
        await runSchedule(threads, async () => {
          const world = new PermitsWorld(kind);
          await world.start();
          for (const step of steps) {
            await world.apply(step);
            await world.check();
          }
          await world.drain();
        });
      }),
      schedules(150),
    );
  });
});
