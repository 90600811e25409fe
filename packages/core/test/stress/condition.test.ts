/**
 * Condition against a reference model, under random schedules of acquire / release / wait /
 * waitFor / notify / notifyAll / abort / timeout from several tasks. See harness.ts to replay.
 *
 * Signals here are each task's own: the order in which one signal's abort reaches several
 * waiters is not part of the contract, and for a Condition it decides the order they relock in.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { type Acquired, Condition } from "syncio";
import { BUDGET_MS, type ScheduleClock, useScheduleClock, type CallOptions, Calls, type Expected, FULFILLED, ModelTimers, SCHEDULES, Signals, TIMED_OUT, callOptions, checkSchedules, runSchedule, assertNothingLeft, holds, same, throwsA, fulfilledWith, rejectedWith } from "./harness.js";

const TASKS = 5;
/** A task only `drain()` uses, to get the lock when nobody else can notify. */
const DRAINER = TASKS;

type Step =
  | { readonly op: "acquire"; readonly task: number; readonly call: CallOptions }
  // The next five are done by whichever task holds the lock (nothing happens if none does).
  /** Releases; then, in the same tick, maybe aborts the signal of whoever the lock went to. */
  | { readonly op: "release"; readonly viaHandle: boolean; readonly thenAbortNext: boolean }
  | { readonly op: "wait"; readonly call: CallOptions }
  | { readonly op: "waitFor"; readonly call: CallOptions }
  /** notify(n); then, in the same tick, maybe aborts the first notified waiter's signal (its notification passes on). */
  | { readonly op: "notify"; readonly n: number; readonly thenAbortNotified: boolean }
  | { readonly op: "notifyAll" }
  /** What the waitFor() predicate returns from now on (0: falsy). */
  | { readonly op: "setReady"; readonly value: number }
  /** wait/notify/notifyAll without the lock: must throw and change nothing. */
  | { readonly op: "misuse"; readonly call: "wait" | "waitFor" | "notify" | "notifyAll" }
  | { readonly op: "abort"; readonly task: number }
  | { readonly op: "advance"; readonly ms: number };

const task = fc.nat({ max: TASKS - 1 });
const ownSignal = callOptions.map((call): CallOptions => ({ ...call, signal: call.signal === "none" ? "none" : "own" }));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("acquire" as const), task, call: ownSignal }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("release" as const), viaHandle: fc.boolean(), thenAbortNext: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("wait" as const), call: ownSignal }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("waitFor" as const), call: ownSignal }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("notify" as const), n: fc.nat({ max: 2 }), thenAbortNotified: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("notifyAll" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("setReady" as const), value: fc.nat({ max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("misuse" as const), call: fc.constantFrom("wait" as const, "waitFor" as const, "notify" as const, "notifyAll" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("abort" as const), task }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(0, 1, 2, 5, 10) }) },
);

/** One wait() — or one round of a waitFor() — in the model: waiting for a notification, then relocking. */
interface ModelWait {
  readonly label: string;
  readonly task: number;
  readonly signal: AbortSignal | undefined;
  stage: "notification" | "relock";
  /** Set once aborted or timed out: it still relocks, then rejects like this. */
  failed: Expected | undefined;
  /** For waitFor(): its deadline on the model clock (undefined: none). */
  readonly waitFor: { readonly deadline: number | undefined } | undefined;
}
interface ModelAcquire {
  readonly label: string;
  readonly task: number;
  readonly signal: AbortSignal | undefined;
}
type LockEntry = { readonly kind: "acquire"; readonly acquire: ModelAcquire } | { readonly kind: "relock"; readonly wait: ModelWait };
type TaskState = { readonly is: "idle" } | { readonly is: "acquiring"; readonly acquire: ModelAcquire } | { readonly is: "holding"; readonly label: string | undefined } | { readonly is: "waiting"; readonly wait: ModelWait };

class ConditionWorld {
  readonly condition = new Condition();
  readonly calls = new Calls();
  readonly signals = new Signals(TASKS + 1);
  readonly timers = new ModelTimers<ModelWait | ModelAcquire>();
  readonly tasks: TaskState[] = Array.from({ length: TASKS + 1 }, () => ({ is: "idle" }) as const);
  /** Model: the lock's owner, its FIFO of acquirers and relockers, the condition's FIFO of waiters. */
  owner: number | null = null;
  readonly lockQueue: LockEntry[] = [];
  readonly notificationQueue: ModelWait[] = [];
  /** A relock handed the lock whose wait() has not settled yet (its code runs on the next microtasks). */
  granted: ModelWait | null = null;
  ready = 0;

  constructor(readonly clock: ScheduleClock) {}

  readonly predicate = (): number => this.ready;

  async apply(step: Step): Promise<void> {
    switch (step.op) {
      case "acquire": {
        if (this.tasks[step.task]!.is !== "idle") return;
        const { options, signal, abortedBefore } = this.signals.options(step.task, step.call);
        const label = this.calls.start(step.task, "acquire()", this.condition.acquire(options));
        if (abortedBefore !== undefined) return this.calls.expect(label, rejectedWith(abortedBefore));
        if (this.owner === null) return this.#lockAcquired({ kind: "acquire", acquire: { label, task: step.task, signal } });
        if (step.call.timeout === 0) return this.calls.expect(label, TIMED_OUT);
        const acquire = { label, task: step.task, signal };
        this.lockQueue.push({ kind: "acquire", acquire });
        this.timers.arm(acquire, step.call.timeout);
        this.tasks[step.task] = { is: "acquiring", acquire };
        return;
      }
      case "release": {
        const holder = this.#holder();
        if (holder === undefined) return;
        const state = this.tasks[holder] as { label: string | undefined };
        const handle = state.label === undefined ? undefined : (this.calls.outcome(state.label) as { value?: Acquired }).value;
        if (step.viaHandle && handle !== undefined) handle.release();
        else this.condition.release();
        this.tasks[holder] = { is: "idle" };
        this.#lockReleased();
        if (step.thenAbortNext && this.owner !== null) this.#abort(this.owner);
        return this.#settleGranted();
      }
      case "wait":
      case "waitFor": {
        const holder = this.#holder();
        if (holder === undefined) return;
        const { options, abortedBefore } = this.signals.options(holder, step.call);
        const promise = step.op === "wait" ? this.condition.wait(options) : this.condition.waitFor(this.predicate, options);
        const label = this.calls.start(holder, `${step.op}()`, promise);
        // Settling at once, the caller keeps the lock.
        if (abortedBefore !== undefined) return this.calls.expect(label, rejectedWith(abortedBefore));
        if (step.op === "waitFor" && this.ready) return this.calls.expect(label, fulfilledWith(this.ready));
        if (step.call.timeout === 0) return this.calls.expect(label, TIMED_OUT);
        const deadline = step.call.timeout === undefined || step.call.timeout === Infinity ? undefined : this.timers.now + step.call.timeout;
        this.#startWait(label, holder, options?.signal, step.call.timeout, step.op === "waitFor" ? { deadline } : undefined);
        return this.#settleGranted();
      }
      case "notify":
      case "notifyAll": {
        if (this.#holder() === undefined) return;
        const first = this.notificationQueue[0];
        if (step.op === "notify") this.condition.notify(step.n);
        else this.condition.notifyAll();
        this.#notify(step.op === "notify" ? step.n : this.notificationQueue.length);
        if (step.op === "notify" && step.thenAbortNotified && step.n > 0 && first !== undefined) this.#abort(first.task);
        return this.#settleGranted();
      }
      case "setReady":
        this.ready = step.value;
        return;
      case "misuse": {
        if (this.owner !== null) return;
        const before = { text: String(this.condition), stats: this.condition.statistics() };
        const call = { wait: () => this.condition.wait(), waitFor: () => this.condition.waitFor(this.predicate), notify: () => this.condition.notify(), notifyAll: () => this.condition.notifyAll() }[step.call];
        throwsA(call, Error, `${step.call}() without the lock`);
        same({ text: String(this.condition), stats: this.condition.statistics() }, before, "a refused call changes nothing");
        return;
      }
      case "abort":
        this.#abort(step.task);
        return this.#settleGranted();
      case "advance":
        return this.timers.advance(this.clock, step.ms, (due) => {
          if ("stage" in due) this.#cancelWait(due, TIMED_OUT);
          else this.#acquireLeaves(due, TIMED_OUT);
          this.#settleGranted();
        });
    }
  }

  /** The task holding the lock with its code running (not a relock still settling). */
  #holder(): number | undefined {
    return this.owner !== null && this.tasks[this.owner]!.is === "holding" ? this.owner : undefined;
  }

  /** Aborts `task`'s own signal: its acquire() leaves the lock queue, its wait() is called off. */
  #abort(task: number): void {
    const { reason } = this.signals.abort(task, "own");
    const state = this.tasks[task]!;
    if (state.is === "acquiring" && state.acquire.signal !== undefined) this.#acquireLeaves(state.acquire, rejectedWith(reason));
    if (state.is === "waiting" && state.wait.signal !== undefined) this.#cancelWait(state.wait, rejectedWith(reason));
  }

  #startWait(label: string, task: number, signal: AbortSignal | undefined, timeout: number | undefined, waitFor: ModelWait["waitFor"]): void {
    const wait: ModelWait = { label, task, signal, stage: "notification", failed: undefined, waitFor };
    this.notificationQueue.push(wait);
    this.timers.arm(wait, timeout);
    this.tasks[task] = { is: "waiting", wait };
    this.#lockReleased();
  }

  /** The lock is free: it goes to the first in its queue, else stays free. */
  #lockReleased(): void {
    this.owner = null;
    const next = this.lockQueue.shift();
    if (next !== undefined) this.#lockAcquired(next);
  }

  #lockAcquired(entry: LockEntry): void {
    if (this.owner !== null) {
      this.lockQueue.push(entry);
      return;
    }
    if (entry.kind === "acquire") {
      this.owner = entry.acquire.task;
      this.timers.disarm(entry.acquire);
      this.calls.expect(entry.acquire.label, FULFILLED);
      this.tasks[entry.acquire.task] = { is: "holding", label: entry.acquire.label };
    } else {
      this.owner = entry.wait.task;
      this.granted = entry.wait;
    }
  }

  #notify(n: number): void {
    for (let i = 0; i < n; i++) {
      const wait = this.notificationQueue.shift();
      if (wait === undefined) return;
      wait.stage = "relock";
      this.#lockAcquired({ kind: "relock", wait });
    }
  }

  #acquireLeaves(acquire: ModelAcquire, expected: Expected): void {
    this.lockQueue.splice(this.lockQueue.findIndex((entry) => entry.kind === "acquire" && entry.acquire === acquire), 1);
    this.timers.disarm(acquire);
    this.calls.expect(acquire.label, expected);
    this.tasks[acquire.task] = { is: "idle" };
  }

  /** Abort or timeout of a wait: it relocks and will reject; a notification it got passes on. */
  #cancelWait(wait: ModelWait, expected: Expected): void {
    if (wait.failed !== undefined) return;
    wait.failed = expected;
    this.timers.disarm(wait);
    if (wait.stage === "notification") {
      this.notificationQueue.splice(this.notificationQueue.indexOf(wait), 1);
      wait.stage = "relock";
      this.#lockAcquired({ kind: "relock", wait });
    } else {
      this.#notify(1);
    }
  }

  /** What the microtasks after a step do: a relock that got the lock settles its wait(); a waitFor() may wait again. */
  #settleGranted(): void {
    for (let wait = this.granted; wait !== null; wait = this.granted) {
      this.granted = null;
      this.timers.disarm(wait);
      this.tasks[wait.task] = { is: "holding", label: undefined };
      if (wait.failed !== undefined) this.calls.expect(wait.label, wait.failed);
      else if (wait.waitFor === undefined) this.calls.expect(wait.label, fulfilledWith(true));
      else if (this.ready) this.calls.expect(wait.label, fulfilledWith(this.ready));
      else {
        const { deadline } = wait.waitFor;
        const left = deadline === undefined ? undefined : Math.max(0, deadline - this.timers.now);
        if (left === 0) this.calls.expect(wait.label, TIMED_OUT);
        else this.#startWait(wait.label, wait.task, wait.signal, left, wait.waitFor);
      }
    }
  }

  check(): void {
    this.calls.check();
    const holders = this.tasks.filter((state) => state.is === "holding").length;
    same(holders, this.owner === null ? 0 : 1, "mutual exclusion: one holder at most, and the owner");
    same(this.condition.statistics(), { locked: this.owner !== null, waiters: this.notificationQueue.length }, "statistics()");
  }

  /** Make every predicate true; then holders notify everyone and release until nobody is left. */
  async drain(settle: () => Promise<void>): Promise<void> {
    this.ready = 1;
    for (let round = 0; this.tasks.some((state) => state.is !== "idle"); round++) {
      holds(round < 20 * TASKS, "draining ends");
      if (this.owner === null) await this.apply({ op: "acquire", task: DRAINER, call: { signal: "none", abortedBefore: false, timeout: undefined } });
      await this.apply({ op: "notifyAll" });
      await this.apply({ op: "release", viaHandle: true, thenAbortNext: false });
      await settle();
      this.check();
    }
    assertNothingLeft(this.calls, this.clock);
  }
}

/** Enough hops for a chain of waitFor() tasks each re-waiting and handing the lock to the next. */
async function settleLong(): Promise<void> {
  for (let hop = 0; hop < 30 * TASKS; hop++) await Promise.resolve();
}

describe("Condition under random schedules", () => {
  it(
    `keeps the lock exclusive, wakes waiters in FIFO order, holds the lock when wait() settles, and passes on notifications of waiters called off (${SCHEDULES} schedules)`,
    async () => {
      await checkSchedules(
        fc.asyncProperty(fc.array(step, { maxLength: 40, size: "max" }), async (steps) => {
          using clock = useScheduleClock(settleLong);
          const world = new ConditionWorld(clock);
          await runSchedule(world, steps, settleLong);
        }),
      );
    },
    BUDGET_MS,
  );
});
