/**
 * The leak scenarios: one primitive each, with a way to queue one more blocked caller and to
 * count the callers it still holds. Shared by waiters.test.ts (listeners, timers, warnings)
 * and heap.node.test.ts (memory).
 */
import { Barrier, Condition, Event, getRuntime, Lock, Queue, type Runtime, Semaphore, setRuntime, type WaitOptions } from "syncio";

/** How many callers each scenario blocks, then aborts or times out. */
export const WAITERS = 100_000;

export interface LeakSubject {
  /** Queues one blocked call with `options`; resolves or rejects as that call does. */
  block(options: WaitOptions): Promise<unknown>;
  /** Blocked callers the primitive still keeps (from its `statistics()`). */
  waiters(): number;
  /** Lets every blocked call through the primitive's own way (a Barrier: `reset()`). */
  releaseAll(): void;
}

export const scenarios: ReadonlyArray<{ readonly name: string; create(): LeakSubject }> = [
  {
    name: "Lock.acquire()",
    create() {
      const lock = new Lock();
      lock.tryAcquire();
      return {
        block: (options) => lock.acquire(options),
        waiters: () => lock.statistics().waiters,
        releaseAll: () => {
          while (lock.statistics().waiters > 0) lock.release();
        },
      };
    },
  },
  {
    name: "Semaphore.acquire()",
    create() {
      const semaphore = new Semaphore(0);
      return {
        block: (options) => semaphore.acquire(options),
        waiters: () => semaphore.statistics().waiters,
        releaseAll: () => {
          while (semaphore.statistics().waiters > 0) semaphore.release();
        },
      };
    },
  },
  {
    name: "Event.wait()",
    create() {
      const event = new Event();
      return { block: (options) => event.wait(options), waiters: () => event.statistics().waiters, releaseAll: () => event.set() };
    },
  },
  {
    name: "Condition.wait()",
    create() {
      const condition = new Condition();
      return {
        block(options) {
          // The lock is free here (every earlier wait() released it), so this takes it at once.
          void condition.acquire();
          // wait() settles holding the lock again, also when it rejects: give it back each time.
          return condition.wait(options).finally(() => condition.release());
        },
        waiters: () => condition.statistics().waiters,
        releaseAll: () => {
          void condition.acquire();
          condition.notifyAll();
          condition.release();
        },
      };
    },
  },
  {
    name: "Barrier.wait()",
    create() {
      const barrier = new Barrier(WAITERS + 1);
      return { block: (options) => barrier.wait(options), waiters: () => barrier.statistics().waiters, releaseAll: () => barrier.reset() };
    },
  },
  {
    name: "Queue.get()",
    create() {
      const queue = new Queue<number>();
      return {
        block: (options) => queue.get(options),
        waiters: () => queue.statistics().getters,
        releaseAll: () => {
          while (queue.statistics().getters > 0) queue.putNowait(1);
        },
      };
    },
  },
  {
    name: "Queue.put()",
    create() {
      const queue = new Queue<number>(1);
      queue.putNowait(0);
      return {
        block: (options) => queue.put(1, options),
        waiters: () => queue.statistics().putters,
        releaseAll: () => {
          while (queue.statistics().putters > 0) queue.getNowait();
        },
      };
    },
  },
];

/**
 * Installs a runtime that forwards to the current one and counts the timers armed and not yet
 * fired or cleared; dispose it to restore the previous runtime.
 */
export function countTimers(): { readonly armed: number } & Disposable {
  const inner = getRuntime();
  const armed = new Set<object>();
  const counting: Runtime = {
    name: `${inner.name} (timers counted)`,
    now: () => inner.now(),
    setTimer(callback, ms, keepAlive) {
      const timer = {
        handle: inner.setTimer(
          () => {
            armed.delete(timer);
            callback();
          },
          ms,
          keepAlive,
        ),
      };
      armed.add(timer);
      return timer;
    },
    clearTimer(timer) {
      armed.delete(timer as object);
      inner.clearTimer((timer as { handle: unknown }).handle);
    },
    macrotask: (callback) => inner.macrotask(callback),
  };
  const previous = setRuntime(counting);
  return {
    get armed() {
      return armed.size;
    },
    [Symbol.dispose]: () => void setRuntime(previous),
  };
}
