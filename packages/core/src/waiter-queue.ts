/**
 * The one wait queue every primitive sits on: FIFO, O(1) removal, hand-off by resolving the
 * first waiter, and the abort/timeout plumbing (one listener per signal, one timer per waiter)
 * that leaves nothing behind when a waiter leaves.
 */
import { TimeoutError, typeError, rangeError } from "./errors.js";
import { holdProcess, Timer } from "./runtime.js";

/** Options every blocking call takes. */
export interface WaitOptions {
  /** Aborting it makes the call reject with `signal.reason`, unchanged. Already aborted: rejects at once, takes nothing. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait, `0 ≤ timeout ≤ Infinity`; then the call rejects with a {@link TimeoutError}. `0`: only what is free now. */
  timeout?: number | undefined;
}

/** Something an abort or a timeout can call off. */
export interface Cancellable {
  /** Called once by the signal's abort or the timer; must undo the wait and settle it with `reason`. */
  cancel(reason: unknown): void;
  /** Links in its signal's list (see {@link SignalWatchers}). */
  signalPrev: Cancellable | null;
  signalNext: Cancellable | null;
}

/**
 * Every cancellable waiting on one AbortSignal, behind a single listener: Node warns past ten
 * listeners on a signal and removes listeners in O(n), so waiters never listen themselves.
 */
class SignalWatchers {
  readonly signal: AbortSignal;
  head: Cancellable | null = null;
  /** A function, not a `handleEvent` object: Node wraps those in an async function per call. */
  readonly listener = (): void => this.fire();
  /** Ends the process hold of a {@link KEEP_ALIVE_WHILE_WATCHED} signal, while watched. */
  releaseHold: (() => void) | undefined = undefined;

  constructor(signal: AbortSignal) {
    this.signal = signal;
    // `once`: the runtime drops the listener as it dispatches, cheaper than removing it ourselves.
    signal.addEventListener("abort", this.listener, { once: true });
    if ((signal as Watched)[KEEP_ALIVE_WHILE_WATCHED] === true) this.releaseHold = holdProcess();
  }

  fire(): void {
    watchersBySignal.delete(this.signal);
    this.releaseHold?.();
    const reason = this.signal.reason;
    for (let watcher = this.head; watcher !== null; ) {
      const next = watcher.signalNext;
      watcher.signalPrev = watcher.signalNext = null;
      watcher.cancel(reason);
      watcher = next;
    }
    this.head = null;
  }
}

/**
 * Where a signal's watchers are found: a non-enumerable symbol-keyed slot on the signal itself
 * (a WeakMap entry made aborting a queued waiter ~40% dearer on Deno and ~20% on Node and Bun),
 * or a WeakMap for a signal that cannot take a property (frozen, sealed).
 */
const WATCHERS = Symbol("syncio.signalWatchers");

/**
 * Marks a signal whose abort comes from a timer that does not keep the process alive (a
 * `timeout()` signal): while a waiter watches it, the process is held alive, as asyncio's loop
 * runs until a pending `asyncio.timeout()` fires; unwatched, it keeps nothing alive.
 */
export const KEEP_ALIVE_WHILE_WATCHED = Symbol("syncio.keepAliveWhileWatched");
type Watched = AbortSignal & { [WATCHERS]?: SignalWatchers | undefined; [KEEP_ALIVE_WHILE_WATCHED]?: boolean };
const watchersOfSealedSignals = new WeakMap<AbortSignal, SignalWatchers>();
const watchersBySignal = {
  get(signal: AbortSignal): SignalWatchers | undefined {
    return (signal as Watched)[WATCHERS] ?? watchersOfSealedSignals.get(signal);
  },
  set(signal: AbortSignal, watchers: SignalWatchers): void {
    if (Object.prototype.hasOwnProperty.call(signal, WATCHERS)) (signal as Watched)[WATCHERS] = watchers;
    else if (Object.isExtensible(signal)) Object.defineProperty(signal, WATCHERS, { value: watchers, writable: true, configurable: true });
    else watchersOfSealedSignals.set(signal, watchers);
  },
  delete(signal: AbortSignal): void {
    if ((signal as Watched)[WATCHERS] !== undefined) (signal as Watched)[WATCHERS] = undefined;
    else watchersOfSealedSignals.delete(signal);
  },
};

/** Calls `cancellable.cancel(signal.reason)` when `signal` aborts, until {@link unwatchSignal}. */
export function watchSignal(signal: AbortSignal, cancellable: Cancellable): void {
  let watchers = watchersBySignal.get(signal);
  if (watchers === undefined) {
    watchers = new SignalWatchers(signal);
    watchersBySignal.set(signal, watchers);
  }
  const head = watchers.head;
  cancellable.signalNext = head;
  if (head !== null) head.signalPrev = cancellable;
  watchers.head = cancellable;
}

/** Stops watching; the signal's listener goes when its last watcher does. */
export function unwatchSignal(signal: AbortSignal, cancellable: Cancellable): void {
  const { signalPrev: prev, signalNext: next } = cancellable;
  cancellable.signalPrev = cancellable.signalNext = null;
  if (next !== null) next.signalPrev = prev;
  if (prev !== null) {
    prev.signalNext = next;
    return;
  }
  const watchers = watchersBySignal.get(signal);
  if (watchers === undefined || watchers.head !== cancellable) return;
  watchers.head = next;
  if (next === null) {
    watchersBySignal.delete(signal);
    signal.removeEventListener("abort", watchers.listener);
    watchers.releaseHold?.();
  }
}

const NativeAbortSignal: typeof AbortSignal | undefined = globalThis.AbortSignal;

export function isAbortSignal(value: unknown): value is AbortSignal {
  if (NativeAbortSignal !== undefined && value instanceof NativeAbortSignal) return true;
  // Signals from another realm or a polyfill: anything shaped like one.
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function" &&
    typeof (value as AbortSignal).removeEventListener === "function"
  );
}

/**
 * Validates a blocking call's options (throwing `TypeError`/`RangeError` that name `where`),
 * and returns a rejected promise if the signal is already aborted, else `undefined`.
 * `withTimeout` false: only `signal` is an option (`sleep()`).
 */
export function checkWaitOptions(options: WaitOptions | undefined, where: string, withTimeout = true): Promise<never> | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) throw typeError(where, "options", "an object or undefined", options);
  const expected = withTimeout ? "`signal` and `timeout`" : "`signal`";
  // Plain JS would otherwise wait forever on a misplaced signal or a misspelt key.
  if (isAbortSignal(options)) throw new TypeError(`${where}: expected \`options\` to be an object with ${expected}, got an AbortSignal: pass { signal } instead`);
  for (const key in options) {
    if (key !== "signal" && (key !== "timeout" || !withTimeout)) throw new TypeError(`${where}: unknown option \`${key}\`: the options are ${expected}`);
  }
  const { signal, timeout } = options;
  if (signal !== undefined && !isAbortSignal(signal)) throw typeError(where, "options.signal", "an AbortSignal", signal);
  if (timeout !== undefined) {
    if (typeof timeout !== "number") throw typeError(where, "options.timeout", "a number of milliseconds", timeout);
    if (!(timeout >= 0)) throw rangeError(where, "options.timeout", "a number of milliseconds ≥ 0", timeout);
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  return undefined;
}

/**
 * Settled promises a call returns when it need not wait: one shared object each, since every
 * caller sees the same outcome (saves an allocation on, e.g., every `put()` with room).
 */
export const RESOLVED: Promise<void> = /* @__PURE__ */ Promise.resolve();
export const RESOLVED_TRUE: Promise<true> = /* @__PURE__ */ Promise.resolve(true);

/** The rejection for a call with `timeout: 0` that would have to wait. */
export function timedOut(where: string, timeout: number): Promise<never> {
  return Promise.reject(new TimeoutError(`${where} timed out after ${timeout} ms`));
}

/**
 * Arms `options` on `cancellable`: its signal and (for a finite timeout) a keep-alive timer.
 * `shownTimeout` is the timeout the caller asked for, when `options.timeout` is what is left of it.
 */
export function arm(cancellable: Cancellable & { timer: Timer | undefined }, options: WaitOptions, where: string, shownTimeout = options.timeout): void {
  const { signal, timeout } = options;
  if (signal !== undefined) watchSignal(signal, cancellable);
  if (timeout !== undefined && timeout !== Infinity) {
    cancellable.timer = new Timer(() => cancellable.cancel(new TimeoutError(`${where} timed out after ${shownTimeout} ms`)), timeout, true);
  }
}

// The executor is shared so that queuing a waiter allocates no closure.
let capturedResolve: (value: any) => void;
let capturedReject: (reason: unknown) => void;
function captureResolvers(resolve: (value: any) => void, reject: (reason: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/** One blocked call: a node of a {@link WaiterQueue} and the resolvers of the caller's promise. */
export class Waiter<T = unknown> {
  prev: Waiter<any> | null = null;
  next: Waiter<any> | null = null;
  /** The queue it is in, or null once it was handed something, cancelled or removed. */
  queue: WaiterQueue<T> | null = null;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
  /** What the waiter carries in, e.g. a blocked putter's item. */
  payload: unknown;
  /** Its signal and timer, for a call made with options; most waits have none (a smaller node). */
  armed: Armed | undefined = undefined;

  constructor(payload: unknown) {
    this.payload = payload;
    this.resolve = capturedResolve;
    this.reject = capturedReject;
  }
}

/** The options a waiter was armed with: what its signal's abort or its timer calls off. */
class Armed implements Cancellable {
  readonly waiter: Waiter<any>;
  readonly signal: AbortSignal | undefined;
  timer: Timer | undefined = undefined;
  signalPrev: Cancellable | null = null;
  signalNext: Cancellable | null = null;

  constructor(waiter: Waiter<any>, signal: AbortSignal | undefined) {
    this.waiter = waiter;
    this.signal = signal;
  }

  /** Abort or timeout: the waiter leaves the queue and rejects, unless it was already served. */
  cancel(reason: unknown): void {
    const waiter = this.waiter;
    const queue = waiter.queue;
    if (queue === null) return;
    queue.remove(waiter);
    waiter.reject(reason);
  }

  disarm(): void {
    if (this.signal !== undefined) unwatchSignal(this.signal, this);
    if (this.timer !== undefined) this.timer.cancel();
  }
}

/** A FIFO of {@link Waiter}s. Primitives hand a resource over with `shift()` then `resolve()`. */
export class WaiterQueue<T> {
  #head: Waiter<T> | null = null;
  #tail: Waiter<T> | null = null;
  #size = 0;

  /** Waiters still queued (not yet handed anything). */
  get size(): number {
    return this.#size;
  }

  /**
   * Queues a new waiter carrying `payload` and returns its promise. `options` must have passed
   * {@link checkWaitOptions}; `where` names the call in a timeout message.
   */
  wait(options: WaitOptions | undefined, where: string, payload?: unknown): Promise<T> {
    const promise = new Promise<T>(captureResolvers);
    const waiter = new Waiter<T>(payload);
    this.push(waiter);
    if (options !== undefined) {
      const armed = (waiter.armed = new Armed(waiter, options.signal));
      arm(armed, options, where);
    }
    return promise;
  }

  /** Links `waiter` at the tail. */
  push(waiter: Waiter<T>): void {
    waiter.queue = this;
    const tail = this.#tail;
    waiter.prev = tail;
    if (tail === null) this.#head = waiter;
    else tail.next = waiter;
    this.#tail = waiter;
    this.#size++;
  }

  /** The first waiter, still queued. */
  peek(): Waiter<T> | null {
    return this.#head;
  }

  /** Unlinks and returns the first waiter, disarmed; the caller must settle it at once. */
  shift(): Waiter<T> | null {
    const waiter = this.#head;
    if (waiter !== null) this.remove(waiter);
    return waiter;
  }

  /** Unlinks `waiter` in O(1) and disarms its signal and timer. */
  remove(waiter: Waiter<T>): void {
    const { prev, next } = waiter;
    if (prev === null) this.#head = next;
    else prev.next = next;
    if (next === null) this.#tail = prev;
    else next.prev = prev;
    waiter.prev = waiter.next = null;
    waiter.queue = null;
    this.#size--;
    if (waiter.armed !== undefined) waiter.armed.disarm();
  }

  /** Resolves the first waiter with `value`; false if none waits. */
  resolveFirst(value: T): boolean {
    const waiter = this.shift();
    if (waiter === null) return false;
    waiter.resolve(value);
    return true;
  }

  /** Resolves every waiter with `value`, in order. */
  resolveAll(value: T): void {
    for (let waiter = this.shift(); waiter !== null; waiter = this.shift()) waiter.resolve(value);
  }

  /** Rejects every waiter, in order, with what `reason()` makes for each. */
  rejectAll(reason: () => unknown): void {
    for (let waiter = this.shift(); waiter !== null; waiter = this.shift()) waiter.reject(reason());
  }

  /** Waiters' payloads from first to last (for string forms). */
  *payloads(): IterableIterator<unknown> {
    for (let waiter = this.#head; waiter !== null; waiter = waiter.next) yield waiter.payload;
  }
}
