/** What `acquire()` resolves to: a handle that releases its own acquisition, once. */

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/** Node's, Bun's and Deno's console and `util.inspect` call this to show an object. */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** @internal What a handle releases: Lock, Semaphore, BoundedSemaphore (a Condition hands out its lock's). */
export interface Grantor {
  /** Releases acquisition number `grant` (a handle's); throws, changing nothing, if it cannot. */
  releaseHandle(grant: number): void;
  /** Whether acquisition number `grant` is still in force. */
  holds(grant: number): boolean;
}

/** The primitive a handle releases, until it has released (or tried to). */
const OWNER = Symbol("syncio.owner");
/** The number of the acquisition a handle stands for (a Lock's; 0 for a semaphore's). */
const GRANT = Symbol("syncio.grant");
type Owned = Acquired & { [OWNER]: Grantor | undefined; [GRANT]: number };

/**
 * The proof of one acquisition. `release()` or disposing it releases that acquisition once;
 * further calls do nothing. It never releases another caller's: a `Lock` handle whose
 * acquisition was already released by a bare `lock.release()` throws instead. Works with
 * `using` and `await using` (TypeScript ≥ 5.2) and with `try`/`finally`. Made by the
 * primitives only; `handle instanceof Acquired` tells one.
 *
 * @example
 * ```ts
 * {
 *   using _held = await lock.acquire();
 *   // critical section
 * } // released here, also on throw
 * ```
 */
export interface Acquired extends Disposable, AsyncDisposable {
  /**
   * Whether this acquisition is still in force: not released through this handle, and (for a
   * `Lock`) not released by a bare `release()` either.
   */
  readonly held: boolean;
  /**
   * Releases this acquisition, the first time only.
   * @throws Error if it was a `Lock`'s and a bare `lock.release()` already released it: the
   * lock, perhaps held by a later caller now, is left alone.
   */
  release(): void;
  [Symbol.dispose](): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Every handle's prototype, a plain object rather than a class's: V8 looks up `then` on every
 * value a promise resolves to, and on an instance of a class (made with `new`) that lookup costs
 * about a third of an uncontended acquire–release; on an `Object.create()` of a plain object it
 * is as cheap as on an object literal.
 */
const handlePrototype: ThisType<Owned> & object = {
  get held(): boolean {
    const owner = this[OWNER];
    return owner !== undefined && owner.holds(this[GRANT]);
  },
  release(): void {
    const owner = this[OWNER];
    if (owner === undefined) return;
    this[OWNER] = undefined;
    owner.releaseHandle(this[GRANT]);
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
  [inspectSymbol](): string {
    return `Acquired { held: ${this.held} }`;
  },
};

/** For `instanceof Acquired` only: handles come from `acquire()` and `tryAcquire()`. */
export const Acquired: { readonly prototype: Acquired } = function Acquired(): never {
  throw new TypeError("Acquired: handles are made by acquire() and tryAcquire(), not by new");
} as unknown as { readonly prototype: Acquired };
Object.defineProperty(Acquired, "prototype", { value: handlePrototype });
Object.defineProperty(handlePrototype, "constructor", { value: Acquired, writable: true, configurable: true });

/**
 * @internal A new handle of acquisition number `grant` from `owner`. The handle points at its
 * owner, never the other way round: storing a fresh object into a long-lived primitive costs V8
 * a write barrier and keeps the object alive past the next scavenge (a third of an uncontended
 * acquire–release, measured), so a Lock remembers the number of the grant in force instead.
 */
export function newHandle(owner: Grantor, grant: number): Acquired {
  const handle = Object.create(handlePrototype) as Owned;
  handle[OWNER] = owner;
  handle[GRANT] = grant;
  return handle;
}
