/** The shared machinery of Lock and Semaphore: a count of free permits and a waiter queue. */
import { Acquired } from "./acquired.js";
import { checkWaitOptions, timedOut, WaiterQueue, type WaitOptions } from "./waiter-queue.js";

/** @internal Base of {@link Lock} and {@link Semaphore}; not exported. */
export abstract class Permits {
  /** Free permits not reserved for anyone; while anyone waits it is 0 (hand-off is direct). */
  protected free: number;
  protected readonly waiters: WaiterQueue<Acquired> = new WaiterQueue<Acquired>();

  protected constructor(free: number) {
    this.free = free;
  }

  /** Whether `acquire()` would have to wait. */
  locked(): boolean {
    return this.free === 0;
  }

  /**
   * Takes a permit if one is free and nobody is queued; never waits.
   * asyncio has no twin (it is `if not x.locked(): await x.acquire()` without the race).
   */
  tryAcquire(): boolean {
    if (this.free === 0) return false;
    this.free--;
    return true;
  }

  /** See the subclasses. */
  acquire(options?: WaitOptions): Promise<Acquired> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, this.where);
      if (aborted !== undefined) return aborted;
    }
    if (this.free > 0) {
      this.free--;
      return Promise.resolve(new Acquired(this));
    }
    if (options?.timeout === 0) return timedOut(this.where, 0);
    return this.waiters.wait(options, this.where);
  }

  /** See the subclasses. */
  release(): void {
    this.checkRelease();
    const waiter = this.waiters.shift();
    // The permit goes straight to the first waiter: no newcomer can take it in between.
    if (waiter !== null) waiter.resolve(new Acquired(this));
    else this.free++;
  }

  /** Throws, changing nothing, if `release()` is misuse. */
  protected abstract checkRelease(): void;

  /** `Name.acquire()`, for messages. */
  protected abstract get where(): string;
}
