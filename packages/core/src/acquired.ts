/** What `acquire()` resolves to: a handle that releases its own acquisition, once. */

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/** @internal What a handle releases: Lock, Semaphore, BoundedSemaphore (a Condition hands out its lock's). */
export interface Grantor {
  /** Releases the acquisition `handle` stands for; throws, changing nothing, if it cannot. */
  releaseHandle(handle: Acquired): void;
  /** Whether the acquisition `handle` stands for is still in force. */
  holds(handle: Acquired): boolean;
}

/**
 * The proof of one acquisition. `release()` or disposing it releases that acquisition once;
 * further calls do nothing. It never releases another caller's: a `Lock` handle whose
 * acquisition was already released by a bare `lock.release()` throws instead. Works with
 * `using` and `await using` (TypeScript ≥ 5.2) and with `try`/`finally`:
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
  /** The primitive to release, until this handle has released (or tried to). */
  #owner: Grantor | undefined;

  /** @internal Created by the primitives. */
  constructor(owner: Grantor) {
    this.#owner = owner;
  }

  /**
   * Whether this acquisition is still in force: not released through this handle, and (for a
   * `Lock`) not released by a bare `release()` either.
   */
  get held(): boolean {
    return this.#owner !== undefined && this.#owner.holds(this);
  }

  /**
   * Releases this acquisition, the first time only.
   * @throws Error if it was a `Lock`'s and a bare `lock.release()` already released it: the
   * lock, perhaps held by a later caller now, is left alone.
   */
  release(): void {
    const owner = this.#owner;
    if (owner === undefined) return;
    this.#owner = undefined;
    owner.releaseHandle(this);
  }

  [Symbol.dispose](): void {
    this.release();
  }

  [asyncDispose](): Promise<void> {
    try {
      this.release();
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  }
}

/** Node's, Bun's and Deno's console and `util.inspect` call this to show an object. */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
