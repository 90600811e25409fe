/** What `acquire()` resolves to: a handle that releases what was acquired, once. */

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/** Anything with a `release()` (Lock, Semaphore, BoundedSemaphore, Condition). */
export interface Releasable {
  release(): void;
}

/**
 * The proof of one acquisition. `release()` or disposing it releases the primitive once;
 * further calls do nothing. Works with `using` and `await using`:
 *
 * @example
 * ```ts
 * {
 *   using _held = await lock.acquire();
 *   // critical section
 * } // released here, also on throw
 * ```
 */
export class Acquired implements Disposable, AsyncDisposable {
  /** The primitive to release, until released. */
  #owner: Releasable | undefined;

  /** @internal Created by the primitives. */
  constructor(owner: Releasable) {
    this.#owner = owner;
  }

  /** Whether this handle has not released yet. */
  get held(): boolean {
    return this.#owner !== undefined;
  }

  /** Releases the primitive, the first time only. */
  release(): void {
    const owner = this.#owner;
    if (owner === undefined) return;
    this.#owner = undefined;
    owner.release();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  [asyncDispose](): Promise<void> {
    this.release();
    return Promise.resolve();
  }
}

/** Node's, Bun's and Deno's console and `util.inspect` call this to show an object. */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
