/**
 * Every constructor and method argument, fed every kind of wrong value: each call throws at
 * once — synchronously — a TypeError (wrong type) or RangeError (out of range, NaN, not an
 * integer) whose message names the call, the argument and the value, and nothing changes.
 */
import { describe, expect, it } from "vitest";
import { Barrier, BoundedSemaphore, Condition, Event, LifoQueue, Lock, PriorityQueue, Queue, Semaphore, sleep, timeout } from "syncio";

type ErrorClass = typeof TypeError | typeof RangeError;
type Bad = readonly [value: unknown, error: ErrorClass];

/** Something whose state must not change: its string form and its statistics. */
interface Subject {
  toString(): string;
  statistics?(): unknown;
}

interface Row {
  /** The call as messages name it, e.g. `Lock.acquire()`. */
  readonly call: string;
  /** The argument as messages name it, e.g. `options.timeout`. */
  readonly argument: string;
  readonly bad: readonly Bad[];
  /** A fresh subject in a state where the call is allowed (e.g. holding a Condition's lock). */
  readonly subject: () => Subject;
  readonly invoke: (subject: Subject, value: unknown) => unknown;
}

// Kinds of wrong value, by what each argument accepts.
const notAnInteger: readonly Bad[] = [
  [NaN, RangeError],
  [Infinity, RangeError],
  [-Infinity, RangeError],
  [1.5, RangeError],
  ["1", TypeError],
  [null, TypeError],
  [{}, TypeError],
  [true, TypeError],
  [1n, TypeError],
];
const notACount: readonly Bad[] = [...notAnInteger, [-1, RangeError]];
const notMilliseconds: readonly Bad[] = [
  [NaN, RangeError],
  [-1, RangeError],
  [-Infinity, RangeError],
  ["1", TypeError],
  [null, TypeError],
  [{}, TypeError],
];
const notASignal: readonly Bad[] = [
  [{}, TypeError],
  ["signal", TypeError],
  [1, TypeError],
  [null, TypeError],
  [{ aborted: false }, TypeError],
];
const notOptions: readonly Bad[] = [
  ["options", TypeError],
  [1, TypeError],
  [null, TypeError],
  [true, TypeError],
];
const notAFunction: readonly Bad[] = [
  ["x", TypeError],
  [1, TypeError],
  [null, TypeError],
  [{}, TypeError],
];

/** A Condition whose lock the test holds, so wait/notify get past the lock check. */
const heldCondition = (): Condition => {
  const condition = new Condition();
  void condition.acquire();
  return condition;
};
const heldLock = (): Lock => {
  const lock = new Lock();
  lock.tryAcquire();
  return lock;
};
const fullQueue = (): Queue<number> => {
  const queue = new Queue<number>(1);
  queue.putNowait(1);
  return queue;
};

/** The blocking calls, each given to `options` rows (the options object, its signal, its timeout). */
const blockingCalls: ReadonlyArray<{ call: string; subject: () => Subject; wait: (subject: Subject, options: unknown) => unknown; noTimeout?: true }> = [
  { call: "Lock.acquire()", subject: heldLock, wait: (lock, options) => (lock as Lock).acquire(options as never) },
  { call: "Semaphore.acquire()", subject: () => new Semaphore(0), wait: (s, options) => (s as Semaphore).acquire(options as never) },
  { call: "BoundedSemaphore.acquire()", subject: () => new BoundedSemaphore(1), wait: (s, options) => (s as BoundedSemaphore).acquire(options as never) },
  { call: "Event.wait()", subject: () => new Event(), wait: (event, options) => (event as Event).wait(options as never) },
  { call: "Condition.acquire()", subject: heldCondition, wait: (c, options) => (c as Condition).acquire(options as never) },
  { call: "Condition.wait()", subject: heldCondition, wait: (c, options) => (c as Condition).wait(options as never) },
  { call: "Condition.waitFor()", subject: heldCondition, wait: (c, options) => (c as Condition).waitFor(() => false, options as never) },
  { call: "Barrier.wait()", subject: () => new Barrier(2), wait: (b, options) => (b as Barrier).wait(options as never) },
  { call: "Queue.put()", subject: fullQueue, wait: (q, options) => (q as Queue<number>).put(2, options as never) },
  { call: "Queue.get()", subject: () => new Queue<number>(), wait: (q, options) => (q as Queue<number>).get(options as never) },
  { call: "Queue.join()", subject: fullQueue, wait: (q, options) => (q as Queue<number>).join(options as never) },
  { call: "PriorityQueue.get()", subject: () => new PriorityQueue<number>(), wait: (q, options) => (q as PriorityQueue<number>).get(options as never) },
  { call: "LifoQueue.put()", subject: () => { const q = new LifoQueue<number>(1); q.putNowait(1); return q; }, wait: (q, options) => (q as LifoQueue<number>).put(2, options as never) },
  { call: "sleep()", subject: () => ({ toString: () => "sleep" }), wait: (_, options) => sleep(10, options as never), noTimeout: true },
];

/** No state to watch: a free function. */
const stateless = (): Subject => ({ toString: () => "" });

const rows: Row[] = [
  { call: "Semaphore()", argument: "value", bad: notACount, subject: stateless, invoke: (_, value) => new Semaphore(value as number) },
  { call: "BoundedSemaphore()", argument: "value", bad: notACount, subject: stateless, invoke: (_, value) => new BoundedSemaphore(value as number) },
  { call: "Barrier()", argument: "parties", bad: [...notACount, [0, RangeError], [undefined, TypeError]], subject: stateless, invoke: (_, value) => new Barrier(value as number) },
  { call: "Queue()", argument: "maxsize", bad: notAnInteger, subject: stateless, invoke: (_, value) => new Queue(value as number) },
  { call: "PriorityQueue()", argument: "maxsize", bad: notAnInteger, subject: stateless, invoke: (_, value) => new PriorityQueue(value as number) },
  { call: "LifoQueue()", argument: "maxsize", bad: notAnInteger, subject: stateless, invoke: (_, value) => new LifoQueue(value as number) },
  { call: "PriorityQueue()", argument: "compare", bad: notAFunction, subject: stateless, invoke: (_, value) => new PriorityQueue(0, value as never) },
  { call: "Condition()", argument: "lock", bad: [...notAFunction, [new Semaphore(), TypeError], [new Event(), TypeError]], subject: stateless, invoke: (_, value) => new Condition(value as Lock) },
  { call: "Condition.notify()", argument: "n", bad: notACount, subject: heldCondition, invoke: (c, value) => (c as Condition).notify(value as number) },
  { call: "Condition.waitFor()", argument: "predicate", bad: [...notAFunction, [undefined, TypeError]], subject: heldCondition, invoke: (c, value) => (c as Condition).waitFor(value as never) },
  { call: "Queue.shutdown()", argument: "immediate", bad: [["true", TypeError], [1, TypeError], [null, TypeError], [{}, TypeError]], subject: () => new Queue<number>(), invoke: (q, value) => (q as Queue<number>).shutdown(value as boolean) },
  { call: "sleep()", argument: "ms", bad: [...notMilliseconds, [undefined, TypeError]], subject: stateless, invoke: (_, value) => sleep(value as number) },
  { call: "timeout()", argument: "ms", bad: [...notMilliseconds, [undefined, TypeError]], subject: stateless, invoke: (_, value) => timeout(value as number) },
  ...blockingCalls.flatMap(({ call, subject, wait, noTimeout }): Row[] => [
    { call, argument: "options", bad: notOptions, subject, invoke: wait },
    { call, argument: "options.signal", bad: notASignal, subject, invoke: (s, value) => wait(s, { signal: value }) },
    ...(noTimeout ? [] : [{ call, argument: "options.timeout", bad: notMilliseconds, subject, invoke: (s: Subject, value: unknown) => wait(s, { timeout: value }) }]),
  ]),
];

/** How a message must show a value: what describeValue-style wording always contains. */
function shownAs(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return "object";
  if (typeof value === "function") return "function";
  return String(value);
}

const cases = rows.flatMap((row) => row.bad.map(([value, error]) => ({ ...row, value, error, shown: shownAs(value) })));

describe("bad input", () => {
  it.each(cases)("$call throws a $error.name for $argument = $shown, naming all three, and changes nothing", ({ call, argument, value, error, subject, invoke }) => {
    const target = subject();
    const before = { text: String(target), statistics: target.statistics?.() };
    let thrown: unknown;
    try {
      // A promise here would mean the mistake was reported asynchronously, if at all.
      const returned = invoke(target, value);
      if (returned instanceof Promise) returned.catch(() => {});
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown, `${call} with ${argument} = ${shownAs(value)} must throw synchronously`).toBeInstanceOf(error);
    const message = (thrown as Error).message;
    expect(message, "names the call").toContain(call);
    expect(message, "names the argument").toContain(`\`${argument}\``);
    expect(message, "shows the value").toContain(shownAs(value));
    expect({ text: String(target), statistics: target.statistics?.() }, "nothing changes").toEqual(before);
  });

  it("covers every kind of wrong value the contract lists", () => {
    const values = new Set(cases.map(({ value }) => (typeof value === "object" && value !== null ? "object" : String(value))));
    for (const kind of ["NaN", "Infinity", "-Infinity", "-1", "1.5", "1", "null", "undefined", "object"]) expect(values, kind).toContain(kind);
  });
});

describe("options that plain JS would silently ignore", () => {
  /** Throws synchronously, changing nothing, and returns the error. */
  function thrownBy(subject: Subject, invoke: () => unknown): Error {
    const before = { text: String(subject), statistics: subject.statistics?.() };
    let thrown: unknown;
    try {
      const returned = invoke();
      if (returned instanceof Promise) returned.catch(() => {});
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown, "throws synchronously").toBeInstanceOf(TypeError);
    expect({ text: String(subject), statistics: subject.statistics?.() }, "nothing changes").toEqual(before);
    return thrown as Error;
  }

  it.each(blockingCalls)("$call throws a TypeError for an AbortSignal passed where the options go, saying to pass { signal }", ({ call, subject, wait }) => {
    const target = subject();
    const error = thrownBy(target, () => wait(target, AbortSignal.timeout(10)));
    expect(error.message).toContain(call);
    expect(error.message).toContain("got an AbortSignal");
    expect(error.message).toContain("pass { signal } instead");
  });

  it.each(blockingCalls)("$call throws a TypeError for a misspelt option key, naming it and the options it takes", ({ call, subject, wait, noTimeout }) => {
    const target = subject();
    const error = thrownBy(target, () => wait(target, { timout: 10 }));
    expect(error.message).toContain(call);
    expect(error.message).toContain("unknown option `timout`");
    expect(error.message).toContain(noTimeout ? "the options are `signal`" : "the options are `signal` and `timeout`");
  });

  it("sleep() takes no timeout option (sleep's delay is its first argument)", () => {
    const error = thrownBy(stateless(), () => sleep(10, { timeout: 5 } as never));
    expect(error.message).toBe("sleep(): unknown option `timeout`: the options are `signal`");
  });

  it("accepts keys present with the value undefined", async () => {
    const lock = new Lock();
    const held = await lock.acquire({ signal: undefined, timeout: undefined });
    expect(held.held).toBe(true);
  });
});
