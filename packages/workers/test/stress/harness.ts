/**
 * What the threaded stress suites share: how many schedules to run, how to replay one, and the
 * bookkeeping of calls made in real threads against what a model says they must do.
 *
 * A schedule is a list of steps; each step is one call made in one of four threads (through
 * test/support/thread.js), awaited until the call has been made there. Everything a call changes in
 * shared memory it changes synchronously, so the model can follow step by step; only the settling
 * of a call's promise in its thread comes later, and is awaited (bounded) before it is compared.
 *
 * Replaying a failure: the report prints `SYNCIO_STRESS_SEED=… SYNCIO_STRESS_PATH=…`; run the file
 * with both set and fast-check runs exactly the shrunk counterexample again.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { restartThreads } from "../support/suite.js";
import { DEADLINE_MS, type RemoteCall, type RemoteSignal, type Thread } from "../support/threads.js";

const env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const stressed = env.SYNCIO_STRESS === "1";

/** Schedules per family: a CI-sized count, 100× that under `SYNCIO_STRESS=1`; `SYNCIO_STRESS_RUNS=n` sets it. */
export function schedules(normal: number): number {
  if (env.SYNCIO_STRESS_RUNS !== undefined) return Number(env.SYNCIO_STRESS_RUNS);
  return stressed ? normal * 100 : normal;
}

/** The wall-clock budget of one family's test, scaled like {@link schedules}. */
export const BUDGET_MS = stressed ? 100 * 120_000 : 120_000;

/** Runs `property` over `runs` schedules (or replays one from the environment); fails with the replay command. */
export async function checkSchedules<Ts>(property: fc.IAsyncProperty<Ts>, runs: number): Promise<void> {
  const seed = env.SYNCIO_STRESS_SEED === undefined ? undefined : Number(env.SYNCIO_STRESS_SEED);
  const path = env.SYNCIO_STRESS_PATH;
  const details = await fc.check(property, {
    numRuns: runs,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path, endOnFailure: true }),
  });
  if (!details.failed) return;
  const report = await fc.asyncDefaultReportMessage(details);
  throw new Error(`${report}\nreplay: SYNCIO_STRESS_SEED=${details.seed} SYNCIO_STRESS_PATH="${details.counterexamplePath}"`, { cause: details.errorInstance });
}

/**
 * Runs one schedule with every thread on its virtual clock; if it fails, restarts the threads (its
 * calls may still wait in them) so the next, shrunk schedule starts clean.
 */
export async function runSchedule(threads: Thread[], schedule: () => Promise<void>): Promise<void> {
  await Promise.all(threads.map((thread) => thread.useVirtualTime()));
  try {
    await schedule();
  } catch (error) {
    await restartThreads(threads);
    throw error;
  }
}

/** What the model says a call must do. */
export type Expected = { readonly state: "pending" } | { readonly state: "fulfilled"; readonly value?: unknown } | { readonly state: "rejected"; readonly error: string };

export const PENDING: Expected = { state: "pending" };
export const FULFILLED: Expected = { state: "fulfilled" };
export const fulfilledWith = (value: unknown): Expected => ({ state: "fulfilled", value });
export const rejectedWith = (error: string): Expected => ({ state: "rejected", error });

/** Every call a schedule made in real threads, and what the model expects of each. */
export class Calls {
  readonly #calls = new Map<string, RemoteCall>();
  readonly #expected = new Map<string, Expected>();
  #count = 0;

  /** Records a call the model now follows; returns its label. */
  add(call: RemoteCall, expected: Expected = PENDING): string {
    const label = `#${++this.#count} ${call.label}`;
    this.#calls.set(label, call);
    this.#expected.set(label, expected);
    return label;
  }

  expect(label: string, expected: Expected): void {
    this.#expected.set(label, expected);
  }

  call(label: string): RemoteCall {
    return this.#calls.get(label)!;
  }

  /**
   * Waits (bounded) for every call the model says settled, then fails at the first call whose
   * outcome differs: a settled call the model keeps pending, a wrong value, a wrong error.
   */
  async check(): Promise<void> {
    for (const [label, expected] of this.#expected) {
      const call = this.#calls.get(label)!;
      if (expected.state !== "pending" && call.state === "pending") await call.outcomeWithin(DEADLINE_MS).catch(() => undefined);
      const outcome = call.outcome;
      const actual = call.state === "pending" ? "pending" : call.state;
      if (actual !== expected.state) expect.fail(`${label}: ${actual}${outcome?.error ? ` (${outcome.error}: ${outcome.message})` : ""}, the model says ${expected.state}`);
      if (expected.state === "fulfilled" && "value" in expected && !Object.is(outcome!.value, expected.value)) {
        expect(outcome!.value, `${label}: value`).toEqual(expected.value);
      }
      if (expected.state === "rejected" && outcome!.error !== expected.error && !(expected.error === "aborted" && outcome!.sameReason === true)) {
        expect.fail(`${label}: rejected with ${String(outcome!.error ?? outcome!.value)}, the model says ${expected.error}`);
      }
    }
  }

  /** Labels of calls still pending in their threads. */
  pending(): string[] {
    return [...this.#calls].filter(([, call]) => call.state === "pending").map(([label]) => label);
  }
}

/** Which signal of its thread a generated call waits on, and the options it is made with. */
export interface CallOptions {
  readonly signal: 0 | 1 | undefined;
  readonly timeout: number | undefined;
}

export const callOptions: fc.Arbitrary<CallOptions> = fc.record({
  signal: fc.constantFrom<0 | 1 | undefined>(undefined, 0, 1),
  timeout: fc.constantFrom<number | undefined>(undefined, undefined, 0, 1, 5, 10),
});

/**
 * Each thread's two signals (renewed once aborted) and its virtual clock, as the model sees them:
 * a timer is due at its thread's time + timeout; ties fire in arming order.
 */
export class ThreadClocks<W> {
  readonly #now: number[];
  readonly #signals: RemoteSignal[][];
  readonly #timers: Array<Map<W, { due: number; seq: number }>>;
  #seq = 0;
  #nextSignal = 1;

  constructor(readonly threads: readonly Thread[]) {
    this.#now = threads.map(() => 0);
    this.#timers = threads.map(() => new Map());
    this.#signals = threads.map(() => [this.#freshSignal(), this.#freshSignal()]);
  }

  /** Real options for a call in `thread`, and the signal it waits on (to find it again). */
  options(thread: number, call: CallOptions): { options: { signal?: RemoteSignal; timeout?: number } | undefined; signal: RemoteSignal | undefined } {
    const signal = call.signal === undefined ? undefined : this.#signals[thread]![call.signal]!;
    if (signal === undefined && call.timeout === undefined) return { options: undefined, signal };
    return { options: { ...(signal === undefined ? {} : { signal }), ...(call.timeout === undefined ? {} : { timeout: call.timeout }) }, signal };
  }

  /** Aborts signal `which` of `thread` for real; returns it (a fresh one replaces it for later calls). */
  async abort(thread: number, which: 0 | 1): Promise<RemoteSignal> {
    const signal = this.#signals[thread]![which]!;
    this.#signals[thread]![which] = this.#freshSignal();
    await this.threads[thread]!.abort(signal, `abort of signal ${signal.id}`);
    return signal;
  }

  arm(thread: number, waiter: W, timeout: number | undefined): void {
    if (timeout === undefined || timeout === 0) return;
    this.#timers[thread]!.set(waiter, { due: this.#now[thread]! + timeout, seq: this.#seq++ });
  }

  disarm(thread: number, waiter: W): void {
    this.#timers[thread]!.delete(waiter);
  }

  /** Advances `thread`'s clock for real, then hands `timedOut` each waiter due, in order. */
  async advance(thread: number, ms: number, timedOut: (waiter: W) => void): Promise<void> {
    await this.threads[thread]!.advance(ms);
    const target = this.#now[thread]! + ms;
    const timers = this.#timers[thread]!;
    for (;;) {
      let next: [W, { due: number; seq: number }] | undefined;
      for (const entry of timers) if (entry[1].due <= target && (next === undefined || entry[1].due < next[1].due || (entry[1].due === next[1].due && entry[1].seq < next[1].seq))) next = entry;
      if (next === undefined) break;
      timers.delete(next[0]);
      timedOut(next[0]);
    }
    this.#now[thread] = target;
  }

  #freshSignal(): RemoteSignal {
    return { id: 1_000_000 + this.#nextSignal++ };
  }
}

/** Fails with `message` unless `condition`. */
export function holds(condition: boolean, message: string): void {
  if (!condition) expect.fail(message);
}

/** `expect(actual, message).toEqual(expected)`, cheap when it holds. */
export function same(actual: unknown, expected: unknown, message: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, message).toEqual(expected);
}
