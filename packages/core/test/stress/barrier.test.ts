/**
 * Barrier against a reference model, under random schedules of wait / reset / abort / signal
 * aborts / timeouts from several tasks. See harness.ts to replay a failure.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { Barrier, BrokenBarrierError } from "syncio";
import { BUDGET_MS, type ScheduleClock, useScheduleClock, type CallOptions, Calls, ModelTimers, SCHEDULES, Signals, TIMED_OUT, callOptions, checkSchedules, runSchedule, assertNothingLeft, holds, same, throwsA, fulfilledWith, rejectedAs, rejectedWith, settle, type Expected } from "./harness.js";

const TASKS = 5;
type SignalName = "own" | "shared0" | "shared1";

type Step =
  /** `wait()`; if it trips the round, `thenAbort` fires in the same tick (the indices stand). */
  | { readonly op: "wait"; readonly task: number; readonly call: CallOptions; readonly thenAbort: SignalName | null }
  | { readonly op: "reset" }
  | { readonly op: "abortBarrier" }
  | { readonly op: "abort"; readonly task: number; readonly signal: SignalName }
  | { readonly op: "advance"; readonly ms: number };

const task = fc.nat({ max: TASKS - 1 });
const signalName = fc.constantFrom<SignalName>("own", "shared0", "shared1");
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("wait" as const), task, call: callOptions, thenAbort: fc.option(signalName, { freq: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reset" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("abortBarrier" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("abort" as const), task, signal: signalName }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("advance" as const), ms: fc.constantFrom(0, 1, 2, 5, 10) }) },
);

interface QueuedWait {
  readonly label: string;
  readonly task: number;
  readonly signal: AbortSignal | undefined;
}

class BarrierWorld {
  readonly barrier: Barrier;
  readonly calls = new Calls();
  readonly signals = new Signals(TASKS);
  readonly timers = new ModelTimers<QueuedWait>();
  /** Model: broken or not, and the current round's waiters in arrival order. */
  broken = false;
  readonly waiting: QueuedWait[] = [];
  /** Each tripped round's calls; their indices must be exactly 0 … parties-1. */
  readonly rounds: string[][] = [];

  constructor(readonly parties: number, readonly clock: ScheduleClock) {
    this.barrier = new Barrier(parties);
  }

  async apply(step: Step): Promise<void> {
    switch (step.op) {
      case "wait": {
        if (this.waiting.some((queued) => queued.task === step.task)) return;
        const { options, signal, abortedBefore } = this.signals.options(step.task, step.call);
        if (abortedBefore !== undefined) this.#signalAborted(signal!, abortedBefore);
        const label = this.calls.start(step.task, "wait()", this.barrier.wait(options));
        if (abortedBefore !== undefined) return this.calls.expect(label, rejectedWith(abortedBefore));
        if (this.broken) return this.calls.expect(label, rejectedAs(BrokenBarrierError));
        if (this.waiting.length + 1 === this.parties) {
          const queued = this.waiting.splice(0);
          for (const waiter of queued) this.timers.disarm(waiter);
          // The round trips: indices in arrival order, the caller last.
          const round = [...queued.map((waiter) => waiter.label), label];
          round.forEach((member, index) => this.calls.expect(member, fulfilledWith(index)));
          this.rounds.push(round);
          if (step.thenAbort !== null) {
            const aborted = this.signals.abort(step.task, step.thenAbort);
            this.#signalAborted(aborted.signal, aborted.reason);
          }
          return;
        }
        if (step.call.timeout === 0) return this.calls.expect(label, TIMED_OUT);
        const waiter = { label, task: step.task, signal };
        this.waiting.push(waiter);
        this.timers.arm(waiter, step.call.timeout);
        return;
      }
      case "reset":
        this.barrier.reset();
        this.broken = false;
        this.#breakRound();
        return;
      case "abortBarrier":
        this.barrier.abort();
        this.broken = true;
        this.#breakRound();
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

  /** Everyone inside a reset or aborted round rejects. */
  #breakRound(): void {
    for (const waiter of [...this.waiting]) this.#leave(waiter, rejectedAs(BrokenBarrierError));
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
    const indices = (round: string[]) => round.map((label) => (this.calls.outcome(label) as { value: number }).value).sort();
    for (const round of this.rounds) same(indices(round), [...Array(this.parties).keys()], "indices unique in a round: exactly 0 … parties-1");
    same(this.barrier.broken, this.broken, "broken");
    same(this.barrier.nWaiting, this.waiting.length, "nWaiting");
    same(this.barrier.statistics(), { parties: this.parties, state: this.broken ? "broken" : "filling", waiters: this.waiting.length }, "statistics()");
  }

  /** A reset must release everyone left: no lost wake-up. */
  async drain(): Promise<void> {
    await this.apply({ op: "reset" });
    await settle();
    this.check();
    assertNothingLeft(this.calls, this.clock);
  }
}

describe("Barrier under random schedules", () => {
  it(
    `hands out unique indices per round, rejects everyone inside a reset or aborted round, and loses no waiter (${SCHEDULES} schedules)`,
    async () => {
      await checkSchedules(
        fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(step, { maxLength: 30, size: "max" }), async (parties, steps) => {
          using clock = useScheduleClock();
          const world = new BarrierWorld(parties, clock);
          await runSchedule(world, steps);
        }),
      );
    },
    BUDGET_MS,
  );
});
