/**
 * The leak scenarios: one primitive each, with a way to queue one more blocked caller and to
 * count the callers it still holds. Shared by waiters.test.ts (listeners, timers, warnings)
 * and heap.node.test.ts (memory).
 */
import { Barrier, Condition, Event, Lock, Queue, type Runtime, Semaphore, setRuntime, type WaitOptions } from "syncio";

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
 * A runtime whose clock moves only by {@link ManualClock.advance}, which fires every due timer
 * in one synchronous pass: O(timers), where the virtual clock of syncio/testing settles
 * microtasks and scans all timers between two firings (O(timers²) for 100,000 of them).
 * Install it with `using clock = ManualClock.install()`.
 */
export class ManualClock implements Runtime, Disposable {
  readonly name = "manual";
  #now = 0;
  /** Armed timers in arming order; every leak test arms them with one delay, so that is also due order. */
  readonly #timers = new Map<object, { due: number; callback: () => void }>();
  #previous: Runtime | undefined;

  static install(): ManualClock {
    const clock = new ManualClock();
    clock.#previous = setRuntime(clock);
    return clock;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): object {
    const timer = {};
    this.#timers.set(timer, { due: this.#now + ms, callback });
    return timer;
  }

  clearTimer(timer: unknown): void {
    this.#timers.delete(timer as object);
  }

  macrotask(callback: () => void): void {
    setTimeout(callback, 0);
  }

  /** Timers armed and not yet fired or cleared. */
  get armed(): number {
    return this.#timers.size;
  }

  /** Moves the clock `ms` on and fires every timer due by then. */
  advance(ms: number): void {
    this.#now += ms;
    for (const [timer, { due, callback }] of this.#timers) {
      if (due > this.#now) continue;
      this.#timers.delete(timer);
      callback();
    }
  }

  [Symbol.dispose](): void {
    if (this.#previous !== undefined) setRuntime(this.#previous);
    this.#previous = undefined;
  }
}
