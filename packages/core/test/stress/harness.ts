/**
 * What every model-based stress suite shares: how many schedules to run and how to replay one,
 * how to watch a promise settle, the abort signals tasks wait on, and the model's timers.
 *
 * Replaying a failure: the report prints `SYNCIO_STRESS_SEED=… SYNCIO_STRESS_PATH=…`; run the one
 * failing file with both set, e.g.
 *   SYNCIO_STRESS_SEED=-1234 SYNCIO_STRESS_PATH="42:3:0" npx vitest run test/stress/queue.test.ts
 * and fast-check runs exactly the shrunk counterexample again.
 *
 * Timeouts run on syncio/testing's virtual clock, except on Deno: see {@link SteppedClock}.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { type Runtime, setRuntime, TimeoutError, type WaitOptions } from "syncio";
import { useVirtualTime } from "syncio/testing";

const env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

/**
 * Schedules per family: 10,000 normally, 100× that under `SYNCIO_STRESS=1` (`pnpm test:stress`);
 * `SYNCIO_STRESS_RUNS=n` sets it outright (for a quick local run).
 */
export const SCHEDULES = env.SYNCIO_STRESS_RUNS !== undefined ? Number(env.SYNCIO_STRESS_RUNS) : env.SYNCIO_STRESS === "1" ? 1_000_000 : 10_000;

/** The wall-clock budget of one family's test (vitest's timeout), scaled like {@link SCHEDULES}. */
export const BUDGET_MS = env.SYNCIO_STRESS === "1" ? 100 * 60_000 : 60_000;

/**
 * Runs `property` over {@link SCHEDULES} random schedules (or replays one from the environment)
 * and fails with fast-check's report — counterexample, seed, path — plus the replay command.
 */
export async function checkSchedules<Ts>(property: fc.IAsyncProperty<Ts>): Promise<void> {
  const seed = env.SYNCIO_STRESS_SEED === undefined ? undefined : Number(env.SYNCIO_STRESS_SEED);
  const path = env.SYNCIO_STRESS_PATH;
  const details = await fc.check(property, {
    numRuns: SCHEDULES,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path, endOnFailure: true }),
  });
  if (!details.failed) return;
  const report = await fc.asyncDefaultReportMessage(details);
  const replay = `replay: SYNCIO_STRESS_SEED=${details.seed} SYNCIO_STRESS_PATH="${details.counterexamplePath}"`;
  throw new Error(`${report}\n${replay}`, { cause: details.errorInstance });
}

/**
 * Lets every reaction the last step started run to the end: the longest chain (a Condition's
 * `waitFor` relocking and re-checking) takes under a dozen microtask hops.
 */
export async function settle(): Promise<void> {
  for (let hop = 0; hop < 24; hop++) await Promise.resolve();
}

/** How a promise has settled so far, as seen by its reactions. */
export type Outcome = { readonly state: "pending" } | { readonly state: "fulfilled"; readonly value: unknown } | { readonly state: "rejected"; readonly reason: unknown };

/** Watches promises settle and remembers in which order they did. */
export class Observer {
  /** Labels of the settled promises, in the order their reactions ran. */
  readonly settledOrder: string[] = [];

  watch(label: string, promise: Promise<unknown>): { outcome: Outcome } {
    const watched: { outcome: Outcome } = { outcome: { state: "pending" } };
    promise.then(
      (value) => {
        watched.outcome = { state: "fulfilled", value };
        this.settledOrder.push(label);
      },
      (reason) => {
        watched.outcome = { state: "rejected", reason };
        this.settledOrder.push(label);
      },
    );
    return watched;
  }
}

/** What the model says a call's promise must have done by now. */
export type Expected =
  | { readonly state: "pending" }
  | { readonly state: "fulfilled"; readonly value?: unknown }
  /** `reason` is the exact abort reason, or an error class the rejection must be an instance of. */
  | { readonly state: "rejected"; readonly reason: unknown; readonly instanceOf?: boolean };

export const PENDING: Expected = { state: "pending" };
export const TIMED_OUT: Expected = { state: "rejected", reason: TimeoutError, instanceOf: true };
export const rejectedWith = (reason: unknown): Expected => ({ state: "rejected", reason });
export const rejectedAs = (errorClass: new (...args: never[]) => Error): Expected => ({ state: "rejected", reason: errorClass, instanceOf: true });
export const FULFILLED: Expected = { state: "fulfilled" };
export const fulfilledWith = (value: unknown): Expected => ({ state: "fulfilled", value });

/** Fails unless `outcome` is what the model expects; `what` names the call in the message. */
export function expectOutcome(what: string, outcome: Outcome, expected: Expected): void {
  expect(outcome.state, `${what}: settled state`).toBe(expected.state);
  if (expected.state === "fulfilled" && "value" in expected && outcome.state === "fulfilled") {
    expect(outcome.value, `${what}: resolved value`).toEqual(expected.value);
  }
  if (expected.state === "rejected" && outcome.state === "rejected") {
    if (expected.instanceOf) expect(outcome.reason, `${what}: rejection`).toBeInstanceOf(expected.reason as never);
    // "Rejected with its own reason": the very object its signal was aborted with.
    else expect(outcome.reason, `${what}: rejection reason`).toBe(expected.reason);
  }
}

function agrees(outcome: Outcome, expected: Expected): boolean {
  if (outcome.state !== expected.state) return false;
  if (outcome.state === "fulfilled") return !("value" in expected) || Object.is(outcome.value, expected.value) || (typeof expected.value === "object" && expected.value !== null && JSON.stringify(outcome.value) === JSON.stringify(expected.value));
  if (outcome.state === "rejected" && expected.state === "rejected") return expected.instanceOf ? outcome.reason instanceof (expected.reason as typeof Error) : outcome.reason === expected.reason;
  return true;
}

/** Which signal a call waits on: none, its task's own, one of two shared by every task. */
export type SignalChoice = "none" | "own" | "shared0" | "shared1";

/** The options a generated blocking call uses, before they are turned into real ones. */
export interface CallOptions {
  readonly signal: SignalChoice;
  /** The signal is aborted just before the call (ignored without a signal). */
  readonly abortedBefore: boolean;
  readonly timeout: number | undefined;
}

/** Options for a blocking call: mostly plain waits, some with signals, timeouts, or both. */
export const callOptions: fc.Arbitrary<CallOptions> = fc.record({
  signal: fc.constantFrom<SignalChoice>("none", "own", "own", "shared0", "shared1"),
  abortedBefore: fc.boolean(),
  timeout: fc.constantFrom<number | undefined>(undefined, undefined, 0, 1, 2, 5, 10, Infinity),
});

/**
 * The abort controllers of a schedule: one per task (renewed once aborted) and two shared ones
 * (renewed once aborted). Each abort's reason is a fresh object, so a rejection proves whose it is.
 */
export class Signals {
  readonly #own: AbortController[] = [];
  readonly #shared: AbortController[] = [new AbortController(), new AbortController()];
  #aborts = 0;

  constructor(tasks: number) {
    for (let task = 0; task < tasks; task++) this.#own.push(new AbortController());
  }

  /** The signal `choice` names for `task` now (a fresh one if the last was aborted). */
  signalFor(task: number, choice: SignalChoice): AbortSignal | undefined {
    if (choice === "none") return undefined;
    if (choice === "own") return this.#fresh(this.#own, task).signal;
    return this.#fresh(this.#shared, choice === "shared0" ? 0 : 1).signal;
  }

  /** Aborts the signal `choice` names for `task` and returns it with its reason. */
  abort(task: number, choice: Exclude<SignalChoice, "none">): { signal: AbortSignal; reason: Error } {
    const signal = this.signalFor(task, choice)!;
    const reason = new Error(`abort #${++this.#aborts} (${choice} of task ${task})`);
    const controllers = choice === "own" ? this.#own : this.#shared;
    controllers[choice === "own" ? task : choice === "shared0" ? 0 : 1]!.abort(reason);
    return { signal, reason };
  }

  /** Real options for a generated call by `task`: its signal (aborted first if asked, with that reason) and timeout. */
  options(task: number, call: CallOptions): { options: WaitOptions | undefined; signal: AbortSignal | undefined; abortedBefore: Error | undefined } {
    const signal = this.signalFor(task, call.signal);
    const abortedBefore = call.abortedBefore && call.signal !== "none" ? this.abort(task, call.signal).reason : undefined;
    if (signal === undefined && call.timeout === undefined) return { options: undefined, signal, abortedBefore };
    const options: WaitOptions = {};
    if (signal !== undefined) options.signal = signal;
    if (call.timeout !== undefined) options.timeout = call.timeout;
    return { options, signal, abortedBefore };
  }

  #fresh(controllers: AbortController[], index: number): AbortController {
    const controller = controllers[index]!;
    if (!controller.signal.aborted) return controller;
    return (controllers[index] = new AbortController());
  }
}

/** The model's timers: fire in due order, ties in arming order, like the virtual clock's. */
export class ModelTimers<T> {
  now = 0;
  #seq = 0;
  readonly #armed = new Map<T, { due: number; seq: number }>();

  /** Arms a timer for `owner` if `timeout` is finite and positive. */
  arm(owner: T, timeout: number | undefined): void {
    if (timeout === undefined || timeout === Infinity || timeout === 0) return;
    this.#armed.set(owner, { due: this.now + timeout, seq: this.#seq++ });
  }

  disarm(owner: T): void {
    this.#armed.delete(owner);
  }

  get size(): number {
    return this.#armed.size;
  }

  /**
   * An "advance" step: moves `clock` by `ms`, then hands `timedOut` every wait due by then, in due
   * order (the clock settled each one's microtasks as it fired, so each cascade is complete).
   */
  async advance(clock: ScheduleClock, ms: number, timedOut: (owner: T) => void): Promise<void> {
    const target = this.now + ms;
    await clock.advance(ms);
    for (let due = this.nextDue(target); due !== undefined; due = this.nextDue(target)) timedOut(due);
    this.now = target;
  }

  /** Removes and returns the next timer due by `target`, moving `now` to its due time. */
  nextDue(target: number): T | undefined {
    let next: [T, { due: number; seq: number }] | undefined;
    for (const entry of this.#armed) {
      if (entry[1].due > target) continue;
      if (next === undefined || entry[1].due < next[1].due || (entry[1].due === next[1].due && entry[1].seq < next[1].seq)) next = entry;
    }
    if (next === undefined) return undefined;
    this.#armed.delete(next[0]);
    this.now = Math.max(this.now, next[1].due);
    return next[0];
  }
}

/** A primitive beside its model: a step applies to both, `check()` compares them, `drain()` ends a schedule. */
export interface World<Step> {
  apply(step: Step): Promise<void>;
  check(): void;
  drain(settleStep: () => Promise<void>): Promise<void>;
}

/** One schedule: every step applied, settled and checked against the model, then the drain. */
export async function runSchedule<Step>(world: World<Step>, steps: readonly Step[], settleStep: () => Promise<void> = settle): Promise<void> {
  for (const step of steps) {
    await world.apply(step);
    await settleStep();
    world.check();
  }
  await world.drain(settleStep);
}

/** How every drain ends: no call still pending (no lost wake-up) and no timer left armed. */
export function assertNothingLeft(calls: Calls, clock: ScheduleClock): void {
  same(calls.pending(), [], "no lost wake-up: every call settled");
  same(clock.pendingTimers, 0, "no timer left armed");
}

/** Every call a schedule made: its real promise as observed, and what the model expects of it. */
export class Calls {
  readonly #observer = new Observer();
  readonly #watched = new Map<string, { outcome: Outcome }>();
  readonly #expected = new Map<string, Expected>();
  #count = 0;

  /** Watches a new call by `task`, expected pending until the model says otherwise; returns its label. */
  start(task: number, name: string, promise: Promise<unknown>): string {
    const label = `${name}#${++this.#count} by task ${task}`;
    this.#watched.set(label, this.#observer.watch(label, promise));
    this.#expected.set(label, PENDING);
    return label;
  }

  /** The model settles a call. */
  expect(label: string, expected: Expected): void {
    this.#expected.set(label, expected);
  }

  outcome(label: string): Outcome {
    return this.#watched.get(label)!.outcome;
  }

  /** Labels of calls whose reactions ran, in order, keeping those that fulfilled. */
  fulfilledOrder(): string[] {
    return this.#observer.settledOrder.filter((label) => this.outcome(label).state === "fulfilled");
  }

  /** Fails at the first call whose real outcome differs from the model's. */
  check(): void {
    // A plain comparison first: vitest's expect() is too slow to run on every call after every step.
    for (const [label, expected] of this.#expected) if (!agrees(this.outcome(label), expected)) expectOutcome(label, this.outcome(label), expected);
  }

  /** Calls still pending in reality. */
  pending(): string[] {
    return [...this.#watched].filter(([, watched]) => watched.outcome.state === "pending").map(([label]) => label);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

// vitest's expect() costs microseconds per call (it updates its assertion state); the stress suites
// check hundreds of things per schedule, so these only reach for expect() to report a failure.

/** `expect(actual, message).toEqual(expected)`, cheap when it holds. */
export function same(actual: unknown, expected: unknown, message: string): void {
  if (!deepEqual(actual, expected)) expect(actual, message).toEqual(expected);
}

/** Fails with `message` unless `condition`. */
export function holds(condition: boolean, message: string): void {
  if (!condition) expect.fail(message);
}

/** `expect(call, message).toThrow(errorClass)`, cheap when it holds. */
export function throwsA(call: () => unknown, errorClass: new (...args: never[]) => Error, message: string): void {
  try {
    call();
  } catch (error) {
    if (error instanceof errorClass) return;
    expect.fail(`${message}: expected a ${errorClass.name}, got ${String(error)}`);
  }
  expect.fail(`${message}: expected a ${errorClass.name}, nothing was thrown`);
}

/** What a schedule needs of its clock: the virtual clock of syncio/testing, or {@link SteppedClock}. */
export interface ScheduleClock extends Disposable {
  advance(ms: number): Promise<void>;
  readonly pendingTimers: number;
}

/**
 * The virtual clock's rules — timers fire in due order (ties: arming order) with microtasks
 * settled before and after each — but settling by `settle()`'s microtask hops instead of a host
 * macrotask. Used on Deno only: inside vitest's workers there, a host macrotask is a clamped
 * `setTimeout(0)` (~2 ms), which would make 10,000 schedules take minutes.
 */
export class SteppedClock implements Runtime, ScheduleClock {
  readonly name = "stepped";
  #now = 0;
  #seq = 0;
  readonly #timers = new Set<{ due: number; seq: number; callback: () => void }>();
  readonly #previous: Runtime;

  constructor(readonly settle: () => Promise<void>) {
    this.#previous = setRuntime(this);
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): object {
    const timer = { due: this.#now + ms, seq: this.#seq++, callback };
    this.#timers.add(timer);
    return timer;
  }

  clearTimer(timer: unknown): void {
    this.#timers.delete(timer as never);
  }

  macrotask(callback: () => void): void {
    this.setTimer(callback, 0);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      await this.settle();
      let next: { due: number; seq: number; callback: () => void } | undefined;
      for (const timer of this.#timers) if (timer.due <= target && (next === undefined || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq))) next = timer;
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.due);
      next.callback();
    }
    this.#now = target;
    await this.settle();
  }

  [Symbol.dispose](): void {
    setRuntime(this.#previous);
  }
}

/** The clock a schedule runs on: syncio/testing's virtual clock, except on Deno (see {@link SteppedClock}). */
export function useScheduleClock(settleBetweenTimers: () => Promise<void> = settle): ScheduleClock {
  return "Deno" in globalThis ? new SteppedClock(settleBetweenTimers) : useVirtualTime();
}
