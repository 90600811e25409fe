/** What `acquire()` resolves to: a handle that releases its own acquisition, once. */

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/** @internal The primitive behind a handle: releases the acquisition numbered `generation`. */
export interface HandleOwner {
  releaseAcquired(generation: number): void;
}

/** The primitive behind a handle (until it released) and the number of its acquisition. */
const OWNER = Symbol("syncio.workers.owner");
const GENERATION = Symbol("syncio.workers.generation");
type Owned = Acquired & { [OWNER]: HandleOwner | undefined; [GENERATION]: number };

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
export interface Acquired extends Disposable, AsyncDisposable {
  /** Whether this handle has not released yet. */
  readonly held: boolean;
  /**
   * Releases the primitive, the first time only.
   * @throws Error for a Lock whose acquisition was already released by a bare `release()`.
   */
  release(): void;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Every handle's prototype, a plain object (as in core): V8's `then` lookup when a promise
 * resolves to a handle is much cheaper on an `Object.create()` of a plain object than on an
 * instance of a class.
 */
const handlePrototype: ThisType<Owned> & object = {
  get held(): boolean {
    return this[OWNER] !== undefined;
  },
  release(): void {
    const owner = this[OWNER];
    if (owner === undefined) return;
    this[OWNER] = undefined;
    owner.releaseAcquired(this[GENERATION]);
  },
  [Symbol.dispose](): void {
    this.release();
  },
  [asyncDispose](): Promise<void> {
    try {
      this.release();
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  },
};

/** For `instanceof Acquired` only: handles come from `acquire()` and `tryAcquire()`. */
export const Acquired: { readonly prototype: Acquired } = function Acquired(): never {
  throw new TypeError("Acquired: handles are made by acquire() and tryAcquire(), not by new");
} as unknown as { readonly prototype: Acquired };
Object.defineProperty(Acquired, "prototype", { value: handlePrototype });
Object.defineProperty(handlePrototype, "constructor", { value: Acquired, writable: true, configurable: true });

/** @internal A new handle of acquisition number `generation` from `owner`. */
export function newHandle(owner: HandleOwner, generation: number): Acquired {
  const handle = Object.create(handlePrototype) as Owned;
  handle[OWNER] = owner;
  handle[GENERATION] = generation;
  return handle;
}
