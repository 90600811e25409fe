/**
 * Event against a reference model, under random schedules of wait / set / clear / abort /
 * timeout from several tasks. See harness.ts to replay a failure.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { Event } from "syncio";
import { BUDGET_MS, type ScheduleClock, useScheduleClock, type CallOptions, Calls, ModelTimers, SCHEDULES, Signals, TIMED_OUT, callOptions, checkSchedules, runSchedule, assertNothingLeft, holds, same, throwsA, fulfilledWith, rejectedWith, settle, type Expected } from "./harness.js";

const TASKS = 5;
type SignalName = "own" | "shared0" | "shared1";

type Step =
  | { readonly op: "wait"; readonly task: number; readonly call: CallOptions }
  /** `set()`, then in the same tick maybe `clear()` and maybe an abort: woken waiters stay woken. */
  | { readonly op: "set"; readonly thenClear: boolean; readonly thenAbort: { readonly task: number; readonly signal: SignalName } | null }
  | { readonly op: "clear" }
  | { readonly op: "abort"; readonly task: number; readonly signal: SignalName }
  | { readonly op: "advance"; readonly ms: number };

const task = fc.nat({ max: TASKS - 1 });
const signalName = fc.constantFrom<SignalName>("own", "shared0", "shared1");
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("wait" as const), task, call: callOptions }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("set" as const), thenClear: fc.boolean(), thenAbort: fc.option(fc.record({ task, signal: signalName })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("clear" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("abort" as const), task, signal: signalName }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(0, 1, 2, 5, 10) }) },
);

interface QueuedWait {
  readonly label: string;
  readonly task: number;
  readonly signal: AbortSignal | undefined;
}

class EventWorld {
  readonly event = new Event();
  readonly calls = new Calls();
  readonly signals = new Signals(TASKS);
  readonly timers = new ModelTimers<QueuedWait>();
  /** Model: the flag, and the callers blocked in wait(). */
  isSet = false;
  readonly waiting: QueuedWait[] = [];

  constructor(readonly clock: ScheduleClock) {}

  async apply(step: Step): Promise<void> {
    switch (step.op) {
      case "wait": {
        if (this.waiting.some((queued) => queued.task === step.task)) return;
        const { options, signal, abortedBefore } = this.signals.options(step.task, step.call);
        if (abortedBefore !== undefined) this.#signalAborted(signal!, abortedBefore);
        const label = this.calls.start(step.task, "wait()", this.event.wait(options));
        if (abortedBefore !== undefined) this.calls.expect(label, rejectedWith(abortedBefore));
        else if (this.isSet) this.calls.expect(label, fulfilledWith(true));
        else if (step.call.timeout === 0) this.calls.expect(label, TIMED_OUT);
        else {
          const waiter = { label, task: step.task, signal };
          this.waiting.push(waiter);
          this.timers.arm(waiter, step.call.timeout);
        }
        return;
      }
      case "set": {
        this.event.set();
        if (step.thenClear) this.event.clear();
        // Same tick as the wake-up: nobody is left waiting for this abort to reject.
        if (step.thenAbort !== null) this.signals.abort(step.thenAbort.task, step.thenAbort.signal);
        this.isSet = !step.thenClear;
        for (const waiter of this.waiting.splice(0)) {
          this.timers.disarm(waiter);
          this.calls.expect(waiter.label, fulfilledWith(true));
        }
        return;
      }
      case "clear":
        this.event.clear();
        this.isSet = false;
        return;
      case "abort": {
        const { signal, reason } = this.signals.abort(step.task, step.signal);
        this.#signalAborted(signal, reason);
        return;
      }
      case "advance":
        return this.timers.advance(this.clock, step.ms, (due) => this.#leave(due, TIMED_OUT));
    }
  }

  #signalAborted(signal: AbortSignal, reason: Error): void {
    for (const waiter of this.waiting.filter((queued) => queued.signal === signal)) this.#leave(waiter, rejectedWith(reason));
  }

  #leave(waiter: QueuedWait, expected: Expected): void {
    this.waiting.splice(this.waiting.indexOf(waiter), 1);
    this.timers.disarm(waiter);
    this.calls.expect(waiter.label, expected);
  }

  check(): void {
    this.calls.check();
    same(this.event.isSet(), this.isSet, "isSet()");
    same(this.event.statistics(), { set: this.isSet, waiters: this.waiting.length }, "statistics()");
    if (this.isSet) same(this.waiting, [], "nobody waits while the flag is set");
  }

  /** One set() must wake everyone still waiting: no lost wake-up. */
  async drain(): Promise<void> {
    await this.apply({ op: "set", thenClear: false, thenAbort: null });
    await settle();
    this.check();
    assertNothingLeft(this.calls, this.clock);
  }
}

describe("Event under random schedules", () => {
  it(
    `wakes every waiter on set(), keeps woken ones woken through clear() and aborts, and rejects others with their own reason (${SCHEDULES} schedules)`,
    async () => {
      await checkSchedules(
        fc.asyncProperty(fc.array(step, { maxLength: 30, size: "max" }), async (steps) => {
          using clock = useScheduleClock();
          const world = new EventWorld(clock);
          await runSchedule(world, steps);
        }),
      );
    },
    BUDGET_MS,
  );
});
