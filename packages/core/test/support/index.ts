/**
 * Helpers shared by the core test suites. Other suites import them: keep the names and
 * behaviour stable, add rather than change.
 */
import { Condition, Lock, Semaphore, BoundedSemaphore, type Acquired, type WaitOptions } from "syncio";
import { VirtualClock } from "syncio/testing";

/** What a promise has done so far, readable synchronously. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly state: "pending" | "fulfilled" | "rejected";
  readonly settled: boolean;
  /** The value once fulfilled. */
  readonly value: T | undefined;
  /** The reason once rejected. */
  readonly reason: unknown;
}

/**
 * Watches `promise` without awaiting it, so a test can ask "has it settled yet?" at any point.
 * A rejection is observed here, so it is never reported as unhandled.
 */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const tracked = {
    promise,
    state: "pending" as Tracked<T>["state"],
    value: undefined as T | undefined,
    reason: undefined as unknown,
    get settled() {
      return this.state !== "pending";
    },
  };
  promise.then(
    (value) => {
      tracked.state = "fulfilled";
      tracked.value = value;
    },
    (reason: unknown) => {
      tracked.state = "rejected";
      tracked.reason = reason;
    },
  );
  return tracked;
}

/** The reason `promise` rejects with; fails the test if it fulfils. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (reason) {
    return reason;
  }
  throw new Error("expected the promise to reject, but it fulfilled");
}

/** A real AbortController whose signal counts the "abort" listeners added to it and removed. */
export interface CountedSignal {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  /** "abort" listeners currently on the signal. */
  readonly listeners: number;
  /** "abort" listeners ever added. */
  readonly added: number;
  abort(reason?: unknown): void;
}

export function countedSignal(): CountedSignal {
  const controller = new AbortController();
  const signal = controller.signal;
  // Listener → whether it was added with `once` (the runtime drops those when it dispatches "abort").
  const live = new Map<unknown, boolean>();
  let added = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  // Own properties shadow the prototype's methods on this one real signal only.
  Object.defineProperty(signal, "addEventListener", {
    value: (type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions | boolean) => {
      if (type === "abort" && !live.has(listener)) {
        live.set(listener, typeof options === "object" && options.once === true);
        added++;
      }
      add(type, listener, options);
    },
  });
  Object.defineProperty(signal, "removeEventListener", {
    value: (type: string, listener: EventListenerOrEventListenerObject, options?: EventListenerOptions | boolean) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, options);
    },
  });
  return {
    controller,
    signal,
    get listeners() {
      let count = 0;
      for (const once of live.values()) if (!(once && signal.aborted)) count++;
      return count;
    },
    get added() {
      return added;
    },
    abort: (reason?: unknown) => controller.abort(reason),
  };
}

/** Anything `acquire()`-able: Lock, Semaphore, BoundedSemaphore, Condition. */
export interface Acquirable {
  acquire(options?: WaitOptions): Promise<Acquired>;
  run<R>(fn: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>>;
  release(): void;
  locked(): boolean;
  statistics(): { readonly waiters: number };
  toString(): string;
}

/** One acquirable primitive in a state where exactly one caller can hold it. */
export interface LockLikeSubject {
  readonly primitive: Acquirable;
  /** Callers queued in `acquire()` (for a Condition: on its lock, which its statistics do not count). */
  acquireWaiters(): number;
  /** The sync newcomer path, when the primitive has one. */
  tryAcquire: (() => Acquired | null) | undefined;
}

/** Every lock-like type, each made to admit one holder at a time. */
export const lockLikes: ReadonlyArray<{ readonly name: string; make(): LockLikeSubject }> = [
  {
    name: "Lock",
    make() {
      const lock = new Lock();
      return { primitive: lock, acquireWaiters: () => lock.statistics().waiters, tryAcquire: () => lock.tryAcquire() };
    },
  },
  {
    name: "Semaphore",
    make() {
      const semaphore = new Semaphore(1);
      return { primitive: semaphore, acquireWaiters: () => semaphore.statistics().waiters, tryAcquire: () => semaphore.tryAcquire() };
    },
  },
  {
    name: "BoundedSemaphore",
    make() {
      const semaphore = new BoundedSemaphore(1);
      return { primitive: semaphore, acquireWaiters: () => semaphore.statistics().waiters, tryAcquire: () => semaphore.tryAcquire() };
    },
  },
  {
    name: "Condition",
    make() {
      const lock = new Lock();
      const condition = new Condition(lock);
      return { primitive: condition, acquireWaiters: () => lock.statistics().waiters, tryAcquire: undefined };
    },
  },
];

/** `util.inspect` when `node:util` exists (Node, Deno, Bun), else undefined (a browser). */
export async function nodeInspect(): Promise<((value: unknown) => string) | undefined> {
  const specifier = "node:util";
  try {
    const util = (await import(/* @vite-ignore */ specifier)) as { inspect(value: unknown): string };
    return util.inspect;
  } catch {
    return undefined;
  }
}

/** A timer request seen by a {@link RecordingClock}. */
export interface TimerRequest {
  readonly ms: number;
  /** Undefined for a macrotask. */
  readonly keepAlive: boolean | undefined;
}

/**
 * A virtual clock that also records every delay syncio asks of the runtime, e.g. to prove no
 * timer is ever armed past 2³¹−1 ms. Install it with `using clock = new RecordingClock().install()`.
 */
export class RecordingClock extends VirtualClock {
  readonly requests: TimerRequest[] = [];

  override setTimer(callback: () => void, ms: number, keepAlive?: boolean): unknown {
    this.requests.push({ ms, keepAlive });
    return super.setTimer(callback, ms);
  }
}
