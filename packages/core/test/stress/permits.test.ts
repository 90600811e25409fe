/**
 * Lock, Semaphore and BoundedSemaphore against a reference model, under random schedules of
 * acquire / tryAcquire / release / abort / timeout from several tasks. See harness.ts to replay.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { type Acquired, BoundedSemaphore, Lock, Semaphore } from "syncio";
import { BUDGET_MS, type ScheduleClock, useScheduleClock, type CallOptions, Calls, FULFILLED, ModelTimers, SCHEDULES, Signals, TIMED_OUT, callOptions, checkSchedules, runSchedule, assertNothingLeft, holds, same, throwsA, rejectedWith, settle } from "./harness.js";

const TASKS = 5;

type Kind = { readonly type: "Lock" } | { readonly type: "Semaphore" | "BoundedSemaphore"; readonly value: number };
type SignalName = "own" | "shared0" | "shared1";

type Step =
  | { readonly op: "acquire"; readonly task: number; readonly call: CallOptions }
  | { readonly op: "tryAcquire"; readonly task: number }
  /** Releases what a holder (the `task`-th, cyclically) holds; then, in the same tick, aborts a signal (the new holder's, when it is the one just served). */
  | { readonly op: "release"; readonly task: number; readonly via: "handle" | "dispose" | "primitive"; readonly thenAbort: SignalName | "none" }
  /** `release()` by a task that holds nothing: grows a Semaphore, throws on an unlocked Lock or a full BoundedSemaphore. */
  | { readonly op: "releaseUnheld"; readonly task: number }
  | { readonly op: "abort"; readonly task: number; readonly signal: SignalName }
  | { readonly op: "advance"; readonly ms: number };

const task = fc.nat({ max: TASKS - 1 });
const signalName = fc.constantFrom<SignalName>("own", "shared0", "shared1");
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("acquire" as const), task, call: callOptions }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("tryAcquire" as const), task }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("release" as const), task, via: fc.constantFrom("handle" as const, "dispose" as const, "primitive" as const), thenAbort: fc.constantFrom<SignalName | "none">("none", "none", "own", "shared0") }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("releaseUnheld" as const), task }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("abort" as const), task, signal: signalName }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(0, 1, 2, 5, 10) }) },
);
const kind: fc.Arbitrary<Kind> = fc.oneof(
  fc.constant({ type: "Lock" as const }),
  fc.record({ type: fc.constant("Semaphore" as const), value: fc.nat({ max: 3 }) }),
  fc.record({ type: fc.constant("BoundedSemaphore" as const), value: fc.integer({ min: 1, max: 3 }) }),
);

interface QueuedAcquire {
  readonly label: string;
  readonly task: number;
  readonly signal: AbortSignal | undefined;
}

/** What a task is doing: nothing, waiting in acquire(), or holding a permit (from acquire() or tryAcquire()). */
type TaskState = { readonly is: "idle" } | { readonly is: "waiting"; readonly label: string } | { readonly is: "holding"; readonly label: string | undefined };

/** The real primitive and the model, stepped together. */
class PermitsWorld {
  readonly primitive: Lock | Semaphore;
  readonly calls = new Calls();
  readonly signals = new Signals(TASKS);
  readonly timers = new ModelTimers<QueuedAcquire>();
  readonly tasks: TaskState[] = Array.from({ length: TASKS }, () => ({ is: "idle" }) as const);
  /** Model: permits free and not handed to anyone; all permits that exist (grows with unheld releases of a Semaphore). */
  free: number;
  total: number;
  readonly queue: QueuedAcquire[] = [];
  readonly grantOrder: string[] = [];

  constructor(readonly kind: Kind, readonly clock: ScheduleClock) {
    this.primitive = kind.type === "Lock" ? new Lock() : kind.type === "Semaphore" ? new Semaphore(kind.value) : new BoundedSemaphore(kind.value);
    this.free = this.total = kind.type === "Lock" ? 1 : kind.value;
  }

  async apply(step: Step): Promise<void> {
    switch (step.op) {
      case "acquire":
        return this.#acquire(step.task, step.call);
      case "tryAcquire": {
        if (this.tasks[step.task]!.is !== "idle") return;
        const expected = this.free > 0;
        same(this.primitive.tryAcquire() !== null, expected, `tryAcquire() with ${this.free} free, ${this.queue.length} queued (no barging)`);
        if (expected) {
          this.free--;
          this.tasks[step.task] = { is: "holding", label: undefined };
        }
        return;
      }
      case "release":
        return this.#release(step);
      case "releaseUnheld": {
        if (this.tasks[step.task]!.is === "holding") return;
        const throws = this.kind.type === "Lock" ? this.free === 1 : this.kind.type === "BoundedSemaphore" && this.free === this.total;
        if (!throws && this.kind.type !== "Semaphore") return; // would release a permit another task holds
        const before = String(this.primitive);
        if (throws) {
          throwsA(() => this.primitive.release(), Error, `${before}.release() with no permit out`);
          same(String(this.primitive), before, "a refused release() changes nothing");
          return;
        }
        this.primitive.release();
        this.total++;
        this.#handOver();
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

  #acquire(task: number, call: CallOptions): void {
    if (this.tasks[task]!.is !== "idle") return;
    const { options, signal, abortedBefore } = this.signals.options(task, call);
    if (abortedBefore !== undefined) this.#signalAborted(signal!, abortedBefore);
    const label = this.calls.start(task, "acquire()", this.primitive.acquire(options));
    if (abortedBefore !== undefined) return this.calls.expect(label, rejectedWith(abortedBefore));
    if (this.free > 0) {
      this.free--;
      this.#grant(label, task);
    } else if (call.timeout === 0) {
      this.calls.expect(label, TIMED_OUT);
    } else {
      const waiter = { label, task, signal };
      this.queue.push(waiter);
      this.timers.arm(waiter, call.timeout);
      this.tasks[task] = { is: "waiting", label };
    }
  }

  #release(step: Extract<Step, { op: "release" }>): void {
    const holders = [...this.tasks.keys()].filter((task) => this.tasks[task]!.is === "holding");
    if (holders.length === 0) return;
    const holder = holders[step.task % holders.length]!;
    const state = this.tasks[holder] as { label: string | undefined };
    const handle = state.label === undefined ? undefined : (this.calls.outcome(state.label) as { value: Acquired }).value;
    if (handle === undefined || step.via === "primitive") this.primitive.release();
    else if (step.via === "dispose") handle[Symbol.dispose]();
    else handle.release();
    // A second release through the same handle must do nothing.
    if (handle !== undefined && step.via !== "primitive") handle.release();
    this.tasks[holder] = { is: "idle" };
    const served = this.#handOver();
    if (step.thenAbort === "none") return;
    // Same tick as the hand-over: the served waiter keeps its permit whatever its signal does.
    const aborted = this.signals.abort(served?.task ?? holder, step.thenAbort);
    this.#signalAborted(aborted.signal, aborted.reason);
  }

  /** A permit came back: to the first waiter, else to the free count. */
  #handOver(): QueuedAcquire | undefined {
    const first = this.queue.shift();
    if (first === undefined) {
      this.free++;
      return undefined;
    }
    this.timers.disarm(first);
    this.#grant(first.label, first.task);
    return first;
  }

  #grant(label: string, task: number): void {
    this.calls.expect(label, FULFILLED);
    this.grantOrder.push(label);
    this.tasks[task] = { is: "holding", label };
  }

  #signalAborted(signal: AbortSignal, reason: Error): void {
    for (const waiter of this.queue.filter((queued) => queued.signal === signal)) this.#leave(waiter, rejectedWith(reason));
  }

  #leave(waiter: QueuedAcquire, expected: typeof TIMED_OUT): void {
    this.queue.splice(this.queue.indexOf(waiter), 1);
    this.timers.disarm(waiter);
    this.calls.expect(waiter.label, expected);
    this.tasks[waiter.task] = { is: "idle" };
  }

  /** Every invariant, after every step. */
  check(): void {
    this.calls.check();
    const stats = this.primitive.statistics() as { waiters: number; value?: number; locked?: boolean };
    const held = this.tasks.filter((state) => state.is === "holding").length;
    holds(held <= this.total, "mutual exclusion: tasks holding ≤ permits");
    if (this.kind.type === "Lock") holds(held <= 1, "a Lock has at most one holder");
    same(this.free + held, this.total, "permits are conserved: free + held = all");
    if (this.primitive instanceof Semaphore) {
      same(this.primitive.value, this.free, "permits free");
      holds(this.primitive.value >= 0, "permits never below 0");
      holds(this.primitive.value <= this.total, "permits never above the bound");
    }
    same(this.primitive.locked(), this.free === 0, "locked()");
    same(stats.waiters, this.queue.length, "statistics().waiters");
    if (this.queue.length > 0) same(this.free, 0, "no permit sits free while someone waits");
    same(this.calls.fulfilledOrder(), this.grantOrder, "strict FIFO: permits go out in the model's order");
  }

  /** Releases until nobody holds or waits: every waiter must be served or already rejected. */
  async drain(): Promise<void> {
    for (let round = 0; this.tasks.some((state) => state.is !== "idle"); round++) {
      holds(round < 4 * TASKS, "draining ends");
      const holders = this.tasks.filter((state) => state.is === "holding").length;
      // A Semaphore made with too few permits needs one more for its waiters to move.
      if (holders === 0) await this.apply({ op: "releaseUnheld", task: this.tasks.findIndex((state) => state.is === "waiting") });
      for (let released = 0; released < holders; released++) this.#release({ op: "release", task: 0, via: "handle", thenAbort: "none" });
      await settle();
      this.check();
    }
    same(this.free, this.total, "every permit back");
    assertNothingLeft(this.calls, this.clock);
  }
}

describe("Lock, Semaphore and BoundedSemaphore under random schedules", () => {
  it(
    `keep mutual exclusion, permits within [0, bound], strict FIFO, no barging and no lost wake-up (${SCHEDULES} schedules)`,
    async () => {
      await checkSchedules(
        fc.asyncProperty(kind, fc.array(step, { maxLength: 40, size: "max" }), async (kind, steps) => {
          using clock = useScheduleClock();
          const world = new PermitsWorld(kind, clock);
          await runSchedule(world, steps);
        }),
      );
    },
    BUDGET_MS,
  );
});
