/** The lock-like primitives of @syncio/workers, each made to admit one holder at a time (as core's suite). */
import { BoundedSemaphore, Condition, Lock, Semaphore, type Acquired } from "@syncio/workers";
import type { WaitOptions } from "@syncio/core";
import type { Handle } from "@syncio/workers";

/** Anything `acquire()`-able: Lock, Semaphore, BoundedSemaphore, Condition. */
export interface Acquirable {
  readonly handle: Handle;
  acquire(options?: WaitOptions): Promise<Acquired>;
  release(): void;
  locked(): boolean;
  statistics(): { readonly waiters: number };
  toString(): string;
}

export interface LockLikeSubject {
  readonly primitive: Acquirable;
  /** Callers queued in `acquire()`, in every thread (for a Condition: on its lock). */
  acquireWaiters(): number;
  /** The sync newcomer path, when the primitive has one. */
  tryAcquire: (() => Acquired | null) | undefined;
}

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
