/**
 * One blocking call on a Redis primitive, from the call to its settlement: its entry in Redis is
 * queued by the primitive's entry script (acquire.lua, event-wait.lua, …), and it settles on the
 * first of: a grant (the script's reply, a pub/sub message, or a renewal), its signal, its
 * timeout, a dropped connection. Whatever settles it first wins; the loser is cleaned up in Redis
 * by an idempotent withdraw.lua, which passes on a grant that arrived too late.
 */
import type { WaitOptions } from "@syncio/core";
import { arm, unwatchSignal, type Cancellable, type Timer } from "@syncio/core/internal";
import { monotonic } from "./clock.js";
import { ConnectionError } from "./errors.js";
import type { Entry, PrimitiveRef, Reply, Session } from "./session.js";
import type { Script } from "./scripts.js";

/** How a primitive waits: its entry script, and what a grant or a "busy" reply becomes. */
export interface WaitPlan<T> {
  readonly ref: PrimitiveRef;
  /** The entry script; ARGV after the common four: id, "wait" or "try", then `args`. */
  readonly script: Script;
  /** More ARGV for the entry script (a put's item). */
  readonly args?: readonly string[];
  /** `Name.method()`, for timeout messages. */
  readonly where: string;
  /** "try": take only what is free now, never queue. */
  readonly mode: "wait" | "try";
  /**
   * The value a grant resolves to (or a promise of it), or throws to reject. `confirmedUntil`:
   * monotonic ms until which Redis keeps the entry; `inReply`: granted by the entry script itself
   * (no grant record was left for it, unless the script made one). A "claim" reply (a re-sent
   * request found its grant) comes here as a grant by message, with the reply's payload.
   */
  granted(payload: string, id: string, confirmedUntil: number, inReply: boolean): T | PromiseLike<T>;
  /** What a "busy" reply (mode "try") resolves to, or throws. */
  busy(): T;
  /** The error any other reply of the entry script ("shutdown", "broken", …) rejects with. */
  refused?(reply: Reply): unknown;
  /**
   * The entry script granted something in its reply that left no grant record (a queue's item
   * taken at once), after the caller gave up: give it back. (A grant with a record is passed on by
   * the withdrawal the caller sent when it gave up.)
   */
  unwanted?(reply: Reply): void;
}

/** Starts a wait; `options` must have passed `checkWaitOptions`. */
export function wait<T>(session: Session, plan: WaitPlan<T>, options: WaitOptions | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    new RemoteWaiter(session, plan, resolve, reject).start(options);
  });
}

class RemoteWaiter<T> implements Entry, Cancellable {
  id: string;
  readonly ref: PrimitiveRef;
  readonly waiting = true;
  signalPrev: Cancellable | null = null;
  signalNext: Cancellable | null = null;
  timer: Timer | undefined = undefined;
  readonly #session: Session;
  readonly #plan: WaitPlan<T>;
  readonly #resolve: (value: T | PromiseLike<T>) => void;
  readonly #reject: (reason: unknown) => void;
  #signal: AbortSignal | undefined;
  #settled = false;
  /** Monotonic ms until which Redis is known to keep the entry alive. */
  #confirmedUntil = 0;
  #releaseHold: (() => void) | undefined;
  /** Whether the entry script answered for the current id. */
  #answered = false;

  constructor(session: Session, plan: WaitPlan<T>, resolve: (value: T | PromiseLike<T>) => void, reject: (reason: unknown) => void) {
    this.#session = session;
    this.#plan = plan;
    this.ref = plan.ref;
    this.#resolve = resolve;
    this.#reject = reject;
    this.id = session.nextId();
  }

  start(options: WaitOptions | undefined): void {
    if (options !== undefined) {
      this.#signal = options.signal;
      // "try" (timeout 0) is answered by the script itself: only the signal can end it sooner.
      arm(this, this.#plan.mode === "try" ? { signal: options.signal } : options, this.#plan.where);
    }
    this.#enter();
  }

  /** Registers first: a grant's message can overtake the entry script's reply. */
  #enter(): void {
    const id = this.id;
    this.#session.register(this);
    const sentAt = monotonic();
    // A grant's message can come before the reply: Redis keeps the entry at least a lease from now.
    this.#confirmedUntil = sentAt + this.#session.lease;
    this.#session.run(this.#plan.script, this.ref, [id, this.#plan.mode, ...(this.#plan.args ?? [])]).then(
      (reply) => this.#entered(id, reply, sentAt),
      (error: unknown) => {
        if (this.#settled || id !== this.id) {
          if (error instanceof ConnectionError) void this.#session.leave(this.ref, id);
          return;
        }
        this.#settle();
        // The script may have run before the connection dropped: take the entry out to be sure.
        if (error instanceof ConnectionError) void this.#session.leave(this.ref, id);
        this.#reject(error);
      },
    );
  }

  #entered(id: string, reply: Reply, sentAt: number): void {
    if (this.#settled || id !== this.id) {
      if (reply[0] === "granted") this.#plan.unwanted?.(reply);
      return;
    }
    this.#answered = true;
    this.#confirmedUntil = sentAt + this.#session.lease;
    switch (reply[0]) {
      case "granted":
        return this.#granted(String(reply[1] ?? ""), true);
      case "claim":
        return this.#granted(String(reply[1] ?? ""), false);
      case "waiting":
        // Queued: hold the process open while it waits (until now the pending command did).
        this.#releaseHold ??= this.#session.holdWhileWaiting();
        return this.#session.recheckAt(this.ref, Number(reply[1]));
      case "busy":
        this.#settle();
        try {
          this.#resolve(this.#plan.busy());
        } catch (error) {
          this.#reject(error);
        }
        return;
      default:
        this.#settle();
        this.#reject(this.#plan.refused?.(reply) ?? new Error(`${this.#plan.where}: unexpected reply from Redis: ${JSON.stringify(reply)}`));
    }
  }

  granted(payload: string): void {
    this.#granted(payload, false);
  }

  #granted(payload: string, inReply: boolean): void {
    // A grant after the caller gave up: the withdraw sent then passes it on.
    if (this.#settled) return;
    this.#settle();
    try {
      this.#resolve(this.#plan.granted(payload, this.id, this.#confirmedUntil, inReply));
    } catch (error) {
      this.#reject(error);
    }
  }

  confirmed(until: number): void {
    this.#confirmedUntil = until;
  }

  /** The entry was dropped from Redis while this process could not renew it: queue again, at the tail. */
  lost(): void {
    // Before its entry script answered, a renewal cannot have found the entry (nothing to redo).
    if (this.#settled || !this.#answered) return;
    this.#answered = false;
    this.#session.unregister(this);
    this.id = this.#session.nextId();
    this.#enter();
  }

  disconnected(cause: unknown): void {
    if (this.#settled) return;
    this.#settle();
    void this.#session.leave(this.ref, this.id);
    const why = this.#session.closing ? "the connection was closed" : "the connection to Redis was lost";
    this.#reject(new ConnectionError(`${this.#plan.where}: ${why} while it waited`, { cause }));
  }

  /** Abort or timeout: rejects at once; the entry leaves Redis at the next script. */
  cancel(reason: unknown): void {
    if (this.#settled) return;
    this.#settle();
    void this.#session.leave(this.ref, this.id).catch(() => {});
    this.#reject(reason);
  }

  #settle(): void {
    this.#settled = true;
    this.#session.unregister(this);
    if (this.#signal !== undefined) unwatchSignal(this.#signal, this);
    this.timer?.cancel();
    this.#releaseHold?.();
  }
}
