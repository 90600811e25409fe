/** What `acquire()` resolves to: a handle that releases its own acquisition, once. */

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/** @internal The primitive behind a handle: releases the acquisition numbered `generation`. */
export interface HandleOwner {
  releaseAcquired(generation: number): void;
}

/**
 * The proof of one acquisition, as core's handle: `release()` or disposing it releases the
 * primitive once; further calls do nothing. A Lock's handle releases only its own acquisition:
 * if that was already released by a bare `lock.release()`, the handle throws instead of
 * releasing whoever holds the lock now.
 *
 * @example
 * ```ts
 * {
 *   using _held = await lock.acquire();
 *   // critical section, one thread at a time
 * } // released here, also on throw
 * ```
 */
export class Acquired implements Disposable, AsyncDisposable {
  #owner: HandleOwner | undefined;
  readonly #generation: number;

  /** @internal Created by the primitives. */
  constructor(owner: HandleOwner, generation: number) {
    this.#owner = owner;
    this.#generation = generation;
  }

  /** Whether this handle has not released yet. */
  get held(): boolean {
    return this.#owner !== undefined;
  }

  /**
   * Releases the primitive, the first time only.
   * @throws Error for a Lock whose acquisition was already released by a bare `release()`.
   */
  release(): void {
    const owner = this.#owner;
    if (owner === undefined) return;
    this.#owner = undefined;
    owner.releaseAcquired(this.#generation);
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
