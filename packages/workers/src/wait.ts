/**
 * This thread's side of waiting on a ticket: sleeping on the slot word with `Atomics.waitAsync`
 * (never `Atomics.wait`: the event loop keeps running), holding the thread alive while any wait is
 * pending, re-checking pending slots now and then (a wake-up can go missing), and the abort/timeout
 * plumbing of core, so a call leaves no trace when it gives up.
 */
import { arm, holdProcess, unwatchSignal, type Cancellable, type Timer } from "@syncio/core/internal";
import type { WaitOptions } from "@syncio/core";
import type { Line } from "./ticket-ring.js";

/** `Atomics.waitAsync` (ES2024; in Node ≥ 16, Deno, Bun, Chromium), typed here for an ES2022 lib. */
const waitAsync = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> } }).waitAsync;

// ── Keep-alive: one hold for all of this thread's pending waits ─────────────────────────────────

let pendingWaits = 0;
let releaseHold: (() => void) | undefined;
let releaseCheckQueued = false;

function releaseIfIdle(): void {
  releaseCheckQueued = false;
  if (pendingWaits === 0 && releaseHold !== undefined) {
    const release = releaseHold;
    releaseHold = undefined;
    release();
  }
}

function holdThread(): void {
  if (pendingWaits++ === 0 && releaseHold === undefined) releaseHold = holdProcess();
}

function unholdThread(): void {
  // Released a microtask later: a thread that waits again at once (a loop of acquire/release) keeps
  // its hold instead of dropping and re-taking it on every hand-off.
  if (--pendingWaits === 0 && !releaseCheckQueued) {
    releaseCheckQueued = true;
    queueMicrotask(releaseIfIdle);
  }
}

// ── Re-check: a pending slot is looked at again every RECHECK_MS ─────────────────────────────────

/**
 * Deno runs a waitAsync's resolution only when its event loop turns for another reason, so a
 * notify can sit unseen while the thread has nothing else to do (denoland/deno#15358). A host timer
 * turns the loop and re-reads every pending slot. It is unref'd (the hold above keeps the thread
 * alive, not this timer) and re-armed only while something waits.
 */
const RECHECK_MS = 250;
const watching = new Set<SlotWatch>();
let recheckArmed = false;

type HostTimer = { unref?: () => void } | number;
const host = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): HostTimer;
  Deno?: { unrefTimer(id: number): void };
};

function armRecheck(): void {
  if (recheckArmed) return;
  recheckArmed = true;
  const timer = host.setTimeout(recheck, RECHECK_MS);
  // https://nodejs.org/api/timers.html#timeoutunref · https://bun.com/reference/bun/Timer/unref
  if (typeof timer === "object" && typeof timer.unref === "function") timer.unref();
  // https://docs.deno.com/api/deno/~/Deno.unrefTimer
  else if (typeof timer === "number" && host.Deno !== undefined) host.Deno.unrefTimer(timer);
}

function recheck(): void {
  recheckArmed = false;
  for (const watch of [...watching]) watch.check();
  if (watching.size > 0) armRecheck();
}

/**
 * Watches one slot word until it no longer holds `expected`, then calls `changed()` once
 * (unless stopped first). Holds the thread alive meanwhile.
 */
export class SlotWatch {
  readonly #words: Int32Array;
  readonly #index: number;
  readonly #expected: number;
  readonly #changed: () => void;
  #done = false;

  constructor(words: Int32Array, index: number, expected: number, changed: () => void) {
    this.#words = words;
    this.#index = index;
    this.#expected = expected;
    this.#changed = changed;
  }

  /** Starts watching; `changed()` may be called at once, if the word already moved on. */
  start(): this {
    holdThread();
    watching.add(this);
    armRecheck();
    this.#sleep();
    return this;
  }

  /** Re-reads the word; calls `changed()` if it moved on. */
  check(): void {
    if (this.#done || Atomics.load(this.#words, this.#index) === this.#expected) return;
    this.stop();
    this.#changed();
  }

  /** Stops watching (idempotent): no `changed()` call after this. */
  stop(): void {
    if (this.#done) return;
    this.#done = true;
    watching.delete(this);
    unholdThread();
  }

  #sleep(): void {
    const result = waitAsync(this.#words, this.#index, this.#expected);
    if (result.async) result.value.then(this.#woken);
    else this.check();
  }

  /** A wake-up may be spurious (a late notify meant for the slot's previous ticket): sleep again then. */
  readonly #woken = (): void => {
    if (this.#done) return;
    if (Atomics.load(this.#words, this.#index) === this.#expected) this.#sleep();
    else this.check();
  };
}

/** What a primitive does with a ticket's grant or withdrawal. */
export interface TicketHooks<T> {
  /** Turns the grant's VALUE (and cell) into the call's result, or throws its rejection. Runs before the slot is freed. */
  granted(value: number, ticket: number): T;
  /** Guarded: what else a withdrawal changes (e.g. a semaphore's count). */
  withdrawn?(): void;
}

/**
 * One blocked call waiting on a ticket of `line`: resolves with the hooks' reading of its grant, or
 * rejects on abort/timeout after withdrawing the ticket. A grant that came first wins: the hand-off
 * is final, as in core, and the call resolves even if its signal aborts right after.
 */
export class TicketWait<T> implements Cancellable {
  signalPrev: Cancellable | null = null;
  signalNext: Cancellable | null = null;
  timer: Timer | undefined = undefined;
  readonly #line: Line;
  readonly #ticket: number;
  readonly #hooks: TicketHooks<T>;
  readonly #signal: AbortSignal | undefined;
  readonly #watch: SlotWatch;
  readonly #resolve: (value: T) => void;
  readonly #reject: (reason: unknown) => void;
  #settled = false;

  constructor(line: Line, ticket: number, hooks: TicketHooks<T>, options: WaitOptions | undefined, where: string, resolve: (value: T) => void, reject: (reason: unknown) => void) {
    this.#line = line;
    this.#ticket = ticket;
    this.#hooks = hooks;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#signal = options?.signal;
    this.#watch = new SlotWatch(line.region.words, line.stateWord(ticket), line.pendingState(ticket), () => this.#complete());
    if (options !== undefined) arm(this, options, where);
    this.#watch.start();
  }

  /** Queues a waiter for `ticket` and returns its promise. */
  static wait<T>(line: Line, ticket: number, hooks: TicketHooks<T>, options: WaitOptions | undefined, where: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      new TicketWait(line, ticket, hooks, options, where, resolve, reject);
    });
  }

  /** Abort or timeout: withdraws the ticket and rejects, unless it was granted first. */
  cancel(reason: unknown): void {
    if (this.#settled) return;
    const region = this.#line.region;
    region.enter();
    let withdrawn: boolean;
    try {
      withdrawn = this.#line.withdraw(this.#ticket);
      if (withdrawn) this.#hooks.withdrawn?.();
    } finally {
      region.leave();
    }
    if (!withdrawn) return this.#complete();
    this.#finish();
    this.#reject(reason);
  }

  /** The slot changed: read the grant, free the slot, settle. */
  #complete(): void {
    if (this.#settled || !this.#line.isGranted(this.#ticket)) return;
    let result: T;
    try {
      result = this.#hooks.granted(this.#line.value(this.#ticket), this.#ticket);
    } catch (error) {
      this.#line.consume(this.#ticket);
      this.#finish();
      this.#reject(error);
      return;
    }
    this.#line.consume(this.#ticket);
    this.#finish();
    this.#resolve(result);
  }

  #finish(): void {
    this.#settled = true;
    this.#watch.stop();
    if (this.#signal !== undefined) unwatchSignal(this.#signal, this);
    this.timer?.cancel();
  }
}
