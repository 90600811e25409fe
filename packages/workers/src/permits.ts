/**
 * The shared machinery of Lock, Semaphore and BoundedSemaphore: one COUNT word and one line.
 *
 *   FIELD+0  COUNT   free permits − callers waiting: > 0 permits free and nobody waits; ≤ 0 no
 *                    permit free and −COUNT waiters queued (hand-off is direct, so never both)
 *   FIELD+1  GEN     a Lock's acquisition number, so a stale handle can tell it is stale
 *   FIELD+2  MAXIMUM the most COUNT may reach: 1 (Lock), the bound (BoundedSemaphore), 2³¹−1
 *   line 0           the acquirers; a grant's VALUE is the new GEN
 *
 * Taking a free permit and returning one nobody waits for are one compare-and-swap on COUNT, with
 * no guard: COUNT > 0 proves nobody waits, so the fast path cannot barge. Queuing, handing a permit
 * to the first waiter and withdrawing one move COUNT and the line together, under the guard.
 */
import type { Acquired, WaitOptions } from "@syncio/core";
import { checkWaitOptions, newHandle, timedOut, typeError, type Grantor } from "@syncio/core/internal";
import { adopted, linesFull } from "./options.js";
import { FIELD, Region, type Handle, type Kind, type Line } from "./ticket-ring.js";
import { TicketWait, type TicketHooks } from "./wait.js";

const COUNT = FIELD;
const GEN = FIELD + 1;
const MAXIMUM = FIELD + 2;
/** COUNT is an Int32. */
const MAX_PERMITS = 0x7fffffff;

/** @internal Base of {@link Lock}, {@link Semaphore} and {@link BoundedSemaphore}; not exported. */
export abstract class Permits implements Grantor {
  readonly #region: Region;
  readonly #words: Int32Array;
  readonly #line: Line;
  /** MAXIMUM, read once. */
  readonly #maximum: number;
  /** Only a Lock numbers its acquisitions (semaphores have no owners). */
  readonly #isLock: boolean;
  readonly #hooks: TicketHooks<Acquired> = {
    granted: (generation) => newHandle(this, generation),
    withdrawn: () => Atomics.add(this.#words, COUNT, 1),
  };

  /** A new primitive with `free` permits and at most `maximum`, or the one `from()` is adopting. */
  protected constructor(kind: Kind, free: number, maximum: number, waiters: number) {
    const region = adopted();
    this.#region = region ?? Region.create({ kind, slots: waiters, lines: [false] });
    this.#words = this.#region.words;
    this.#line = this.#region.lines[0]!;
    this.#isLock = kind === "Lock";
    // Written before the handle can reach another thread (postMessage orders it).
    if (region === undefined) {
      this.#words[COUNT] = free;
      this.#words[MAXIMUM] = maximum;
    }
    this.#maximum = this.#words[MAXIMUM]!;
  }

  /** The plain object to pass to another thread, where `Kind.from(handle)` rebuilds this primitive. */
  get handle(): Handle {
    return { kind: this.#region.kind, buffer: this.#region.buffer };
  }

  /** Whether `acquire()` would have to wait. */
  locked(): boolean {
    return Atomics.load(this.#words, COUNT) <= 0;
  }

  /** The most permits there can be free (a BoundedSemaphore's bound). */
  protected get maximum(): number {
    return this.#maximum;
  }

  /** Free permits (none while anyone waits). */
  protected get free(): number {
    return Math.max(0, Atomics.load(this.#words, COUNT));
  }

  /** Callers queued in `acquire()`, across threads. */
  protected get waiting(): number {
    return Math.max(0, -Atomics.load(this.#words, COUNT));
  }

  /** See the subclasses. */
  tryAcquire(): Acquired | null {
    const words = this.#words;
    for (let count = Atomics.load(words, COUNT); count > 0; ) {
      const seen = Atomics.compareExchange(words, COUNT, count, count - 1);
      if (seen === count) return this.#acquired();
      count = seen;
    }
    return null;
  }

  /** See the subclasses. */
  acquire(options?: WaitOptions): Promise<Acquired> {
    if (options !== undefined) {
      const aborted = checkWaitOptions(options, this.where);
      if (aborted !== undefined) return aborted;
    }
    const words = this.#words;
    // A Lock's whole fast path is this one CAS; a semaphore loops while other threads move COUNT.
    let count = Atomics.compareExchange(words, COUNT, 1, 0);
    if (count === 1) return Promise.resolve(this.#acquired());
    while (count > 0) {
      const seen = Atomics.compareExchange(words, COUNT, count, count - 1);
      if (seen === count) return Promise.resolve(this.#acquired());
      count = seen;
    }
    return this.#queue(options);
  }

  /** See the subclasses. */
  release(): void {
    const words = this.#words;
    let count = this.#maximum > 0 ? Atomics.compareExchange(words, COUNT, 0, 1) : Atomics.load(words, COUNT);
    if (count === 0 && this.#maximum > 0) return;
    for (;;) {
      if (this.#maximum === 0 || (count >= 0 && count >= this.#maximum)) throw this.overRelease(Math.max(0, count));
      if (count < 0) return this.#handOff();
      const seen = Atomics.compareExchange(words, COUNT, count, count + 1);
      if (seen === count) return;
      count = seen;
    }
  }

  /**
   * Acquires, runs `fn`, and releases once the promise it returns settles; resolves or rejects
   * with `fn`'s outcome (async-mutex's `runExclusive`).
   * @throws TypeError if `fn` is not a function; TypeError / RangeError on bad options.
   */
  run<R>(fn: () => R | PromiseLike<R>, options?: WaitOptions): Promise<Awaited<R>> {
    if (typeof fn !== "function") throw typeError(this.where.replace("acquire", "run"), "fn", "a function", fn);
    const acquiring = this.acquire(options);
    return acquiring.then(async (held): Promise<Awaited<R>> => {
      try {
        return (await fn()) as Awaited<R>;
      } finally {
        held.release();
      }
    });
  }

  /** @internal Whether acquisition number `generation` is in force: a Lock's until it is released, by its handle or a bare `release()`; a semaphore's permit cannot be told from another. */
  holds(generation: number): boolean {
    return !this.#isLock || (this.#words[GEN] === generation && Atomics.load(this.#words, COUNT) <= 0);
  }

  /** @internal A handle releases its acquisition: a Lock's only if it is still the current one. */
  releaseHandle(generation: number): void {
    if (!this.#isLock) return this.release();
    const stale = () => new Error("Lock: this handle's acquisition was already released (by a bare release()); releasing it again would release the next holder's");
    if (this.#words[GEN] !== generation) throw stale();
    const count = Atomics.compareExchange(this.#words, COUNT, 0, 1);
    if (count === 0) return;
    if (count > 0) throw stale();
    this.#handOff();
  }

  /** The error for a `release()` with no permit out. */
  protected abstract overRelease(count: number): Error;

  /** `Name.acquire()`, for messages. */
  protected abstract get where(): string;

  /** The caller got a permit: a Lock's new acquisition number (its holder is GEN's only writer). */
  #acquired(): Acquired {
    if (!this.#isLock) return newHandle(this, 0);
    const generation = (this.#words[GEN]! + 1) | 0;
    this.#words[GEN] = generation;
    return newHandle(this, generation);
  }

  #queue(options: WaitOptions | undefined): Promise<Acquired> {
    const region = this.#region;
    const words = this.#words;
    let ticket: number | undefined;
    region.enter();
    try {
      for (let count = Atomics.load(words, COUNT); ; ) {
        // Still free (a release came in meanwhile): take it.
        if (count > 0) {
          const seen = Atomics.compareExchange(words, COUNT, count, count - 1);
          if (seen === count) return Promise.resolve(this.#acquired());
          count = seen;
          continue;
        }
        if (options?.timeout === 0) return timedOut(this.where, 0);
        const seen = Atomics.compareExchange(words, COUNT, count, count - 1);
        if (seen === count) break;
        count = seen;
      }
      ticket = this.#line.enqueue();
      // COUNT < 0 now, so no lock-free path moved it since: the undo is exact.
      if (ticket === undefined) Atomics.add(words, COUNT, 1);
    } finally {
      region.leave();
    }
    if (ticket === undefined) return linesFull(this.where, region.kind, region.slots);
    return TicketWait.wait(this.#line, ticket, this.#hooks, options, this.where);
  }

  /** Guarded hand-off: the permit goes straight to the first waiter, or back if they all left. */
  #handOff(): void {
    const region = this.#region;
    const words = this.#words;
    region.enter();
    try {
      if (Atomics.add(words, COUNT, 1) < 0) {
        let generation = 0;
        if (this.#isLock) words[GEN] = generation = (words[GEN]! + 1) | 0;
        this.#line.grant(this.#line.first()!, generation);
      }
    } finally {
      region.leave();
    }
  }
}

/** Checks a semaphore's `value` (an integer 0 … 2³¹−1). */
export function checkPermits(where: string, value: unknown): number {
  if (typeof value !== "number") throw typeError(where, "value", "an integer ≥ 0", value);
  if (!Number.isInteger(value) || value < 0 || value > MAX_PERMITS) throw new RangeError(`${where}: expected \`value\` to be an integer from 0 to ${MAX_PERMITS}, got ${String(value)} (number)`);
  return value;
}

export { MAX_PERMITS };
