/** What `acquire()` resolves to on a Redis primitive: a renewed, fenced, abortable hold. */
import { inspectSymbol } from "@syncio/core/internal";
import { monotonic, realTimer } from "./clock.js";
import { ConnectionError, LeaseLostError } from "./errors.js";
import { scripts, type Script } from "./scripts.js";
import type { Entry, PrimitiveRef, Reply, Session } from "./session.js";

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");

/**
 * One acquisition of a Redis lock or semaphore permit, held while this connection renews it
 * (every `lease / 3`). Core's handle shape — `held`, `release()`, `Symbol.dispose`,
 * `Symbol.asyncDispose` — plus `fence` and `signal`. `await using` awaits the release; `using`
 * starts it. A lease releases only its own acquisition.
 *
 * @example
 * ```ts
 * await using held = await lock.acquire({ timeout: 5_000 });
 * await storage.write(data, { fence: held.fence, signal: held.signal });
 * ```
 */
export class Lease implements Disposable, AsyncDisposable {
  /** The acquisition; after a condition's wait(), the one it took back (its successor). */
  readonly #first: Holding;

  /** @internal Made by the primitives. */
  constructor(holding: Holding) {
    this.#first = holding;
  }

  get #holding(): Holding {
    let holding = this.#first;
    while (holding.successor !== undefined) holding = holding.successor;
    return holding;
  }

  /**
   * Strictly increasing with every grant of this primitive, in grant order, for as long as Redis
   * keeps its data. Send it with every write the lease guards, and have the resource refuse a
   * fence lower than one it has seen: that keeps a holder that was paused past its lease out.
   * A condition's `wait()` takes the lock back under a new fence (and a new `signal`): read them again.
   */
  get fence(): bigint {
    return this.#holding.fence;
  }

  /**
   * Aborts, with a {@link LeaseLostError} as its reason, once the lease is lost: its deadline in
   * Redis passed without a renewal (a paused process, a lost connection), Redis lost it, or the
   * connection was closed. Never aborts after this lease was released.
   */
  get signal(): AbortSignal {
    return this.#holding.signal;
  }

  /** Whether this lease still holds: not released, not lost. */
  get held(): boolean {
    return this.#holding.state === "held";
  }

  /**
   * Gives the acquisition back; the first waiter (in any process) is granted it in the same
   * script. Later calls do nothing. A lease that was lost resolves quietly.
   * Rejects with `ConnectionError` if Redis cannot be reached (the release is retried once it
   * can, and the lease's deadline ends it in any case); for a Lock, with an `Error` if a bare
   * `lock.release()` already released this acquisition.
   */
  release(): Promise<void> {
    try {
      return this.#holding.releaseByHandle();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Starts the release (`using`); a failure to reach Redis is dropped — the release is retried
   * and the deadline ends the lease in any case.
   * @throws Error for a Lock's lease whose acquisition a bare `lock.release()` already released.
   */
  [Symbol.dispose](): void {
    this.#holding.releaseByHandle().catch(() => {});
  }

  /** Releases and waits for it (`await using`). */
  [asyncDispose](): Promise<void> {
    return this.release();
  }

  /** `<Lease "orders" fence=12 held>`. */
  toString(): string {
    return `<Lease ${JSON.stringify(this.#holding.name)} fence=${this.fence} ${this.#holding.state}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * The session's side of a lease: an entry renewed by the heartbeat, whose signal aborts when a
 * renewal finds it gone or when no renewal confirmed it in time.
 */
export class Holding implements Entry {
  readonly id: string;
  readonly ref: PrimitiveRef;
  readonly name: string;
  readonly fence: bigint;
  readonly waiting = false;
  /** The acquisition that took over from this one (a condition's wait() released it and took the lock back). */
  successor: Holding | undefined;
  /** Made when the signal is first asked for (most leases are released before anyone does). */
  #controller: AbortController | undefined;
  #lostReason: LeaseLostError | undefined;
  state: "held" | "released" | "lost" = "held";
  /** Set when a bare `release()` of the primitive ended this acquisition (a Lock's lease then refuses to release). */
  releasedByPrimitive = false;
  readonly #session: Session;
  readonly #strictRelease: boolean;
  #releasing: Promise<void> | undefined;
  /** Whether the lease's own release() (or dispose) was called. */
  #handleUsed = false;
  #cancelLossTimer: (() => void) | undefined;

  /** What `close()` ends it with: a release, or (a leased queue item) a withdrawal that puts the item back. */
  readonly closeWith: Script;

  /** `strictRelease`: releasing after a bare `release()` is an error (Lock), not a no-op (semaphores). */
  constructor(session: Session, ref: PrimitiveRef, name: string, id: string, fence: bigint, confirmedUntil: number, strictRelease: boolean, closeWith: Script = scripts.release) {
    this.fence = fence;
    this.closeWith = closeWith;
    this.#session = session;
    this.ref = ref;
    this.name = name;
    this.id = id;
    this.#strictRelease = strictRelease;
    session.register(this);
    this.confirmed(confirmedUntil);
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#lostReason !== undefined) this.#controller.abort(this.#lostReason);
    }
    return this.#controller.signal;
  }

  granted(): void {}

  /**
   * Arms the loss: a renewal that cannot be confirmed by `until` minus a safety margin (a tenth of
   * the lease) aborts the signal before Redis can hand the lease to someone else.
   */
  confirmed(until: number): void {
    if (this.state !== "held") return;
    this.#cancelLossTimer?.();
    const margin = this.#session.lease / 10;
    this.#cancelLossTimer = realTimer(() => this.#lose("its renewal could not be confirmed before the lease ran out"), until - margin - monotonic());
  }

  lost(): void {
    this.#lose("its deadline passed in Redis before it was renewed (was the process paused?), or Redis lost its data");
  }

  /** The loss timer decides: the connection may be back before the deadline. */
  disconnected(cause: unknown): void {
    if (this.#session.closing) this.#lose("the connection was closed");
  }

  /**
   * The lease's own release, the first time only (later calls give the same promise). As in core,
   * it never releases a later holder's: a Lock's lease whose acquisition a bare `release()` ended
   * throws instead.
   */
  releaseByHandle(): Promise<void> {
    if (this.#handleUsed) return this.#releasing ?? Promise.resolve();
    this.#handleUsed = true;
    if (this.releasedByPrimitive && this.#strictRelease) {
      throw new Error(`${this.ref.label}: this lease's acquisition was already released by a bare release(); the lock, perhaps held by a later holder now, is left alone`);
    }
    return this.release(false);
  }

  /** `byPrimitive`: a bare `release()` of the primitive. */
  release(byPrimitive: boolean): Promise<void> {
    if (this.#releasing !== undefined) return this.#releasing;
    this.releasedByPrimitive = byPrimitive;
    if (this.state === "lost") return (this.#releasing = Promise.resolve());
    this.#end("released");
    this.#releasing = this.#session.leave(this.ref, this.id, scripts.release).then((reply) => {
      // Kept for a retry once Redis is back; the caller still hears that it did not get through.
      if (reply === undefined && !this.#session.closed) {
        throw new ConnectionError(`${this.ref.label}: the release could not reach Redis; it is retried once the connection is back, and the lease's deadline ends it in any case`);
      }
    });
    return this.#releasing;
  }

  /**
   * Ends it with `script` (a leased item's done): resolves to the script's reply, or undefined when
   * it was lost already. Rejects with `ConnectionError` when Redis cannot be reached (retried once
   * it can; the deadline ends it in any case).
   */
  end(script: Script): Promise<Reply | undefined> {
    if (this.state !== "held") return Promise.resolve(undefined);
    this.#end("released");
    return this.#session.leave(this.ref, this.id, script).then((reply) => {
      if (reply === undefined && !this.#session.closed) throw new ConnectionError(`${this.ref.label}: Redis could not be reached; it is retried once the connection is back`);
      return reply;
    });
  }

  /** A condition's wait() released it in Redis (and will hand the lease its successor). */
  handOver(): void {
    if (this.state === "held") this.#end("released");
  }

  #lose(why: string): void {
    if (this.state !== "held") return;
    this.#end("lost");
    this.#lostReason = new LeaseLostError(`${this.ref.label}: the lease was lost: ${why}`);
    this.#controller?.abort(this.#lostReason);
  }

  #end(state: "released" | "lost"): void {
    this.state = state;
    this.#cancelLossTimer?.();
    this.#session.unregister(this);
  }
}

