/**
 * The only door through which time reaches the core. Adapters (`@syncio/node`, `@syncio/deno`,
 * `@syncio/bun`) install a binding of their runtime's timers; `@syncio/core/testing` installs a
 * virtual clock; without either, a default made of web-standard globals is used.
 */

/**
 * What syncio needs from a JavaScript runtime: a monotonic clock, one-shot timers and a
 * macrotask turn. Implement it to run syncio on a runtime it does not know, then {@link setRuntime}.
 */
export interface Runtime {
  /** Shown in diagnostics and by the tests to prove which binding is live, e.g. `"node"`. */
  readonly name: string;
  /** Monotonic time in milliseconds (only differences are used). */
  now(): number;
  /**
   * Calls `callback` once, `ms` milliseconds from now. syncio never passes more than
   * 2³¹−1 ms (it splits longer delays itself). With `keepAlive` false the pending timer must
   * not keep the process alive (Node's `unref()`); with true it must.
   */
  setTimer(callback: () => void, ms: number, keepAlive: boolean): unknown;
  /** Cancels a timer returned by {@link Runtime.setTimer}; a fired or cleared one is ignored. */
  clearTimer(handle: unknown): void;
  /**
   * Calls `callback` on a later turn of the event loop, after every pending microtask —
   * what `asyncio.sleep(0)` yields. Callbacks run in the order they were given.
   */
  macrotask(callback: () => void): void;
  /**
   * Keeps the process (or thread) alive until the returned function is called; calling it again
   * does nothing. syncio holds one while a wait depends on something the runtime cannot see: a
   * {@link timeout} signal a waiter watches (its timer alone does not keep the process alive), or
   * an `Atomics.waitAsync` in `@syncio/workers`. Optional: without it, syncio holds the process
   * with a long keep-alive timer from {@link Runtime.setTimer}.
   */
  keepAlive?(): () => void;
}

/** Timers of every runtime overflow past this many milliseconds and fire at once. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

const noop = (): void => {};

interface MessagePortLike {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/**
 * Runs callbacks on macrotask turns through `MessageChannel` messages, which browsers do not clamp
 * the way they clamp nested `setTimeout(0)`: one message per callback, so microtasks run between
 * callbacks as they do between `setImmediate` callbacks. Falls back to `setTimeout(0)` where no
 * channel delivers real macrotasks. Exported for adapters whose runtime lacks a better primitive.
 */
export function messageChannelMacrotask(): (callback: () => void) => void {
  /** Callbacks in order; while any waits, exactly one message (or one timer each) is on its way. */
  const pending: Array<() => void> = [];
  let inFlight = false;
  /** Whether a channel's message comes after every pending microtask; learnt from the first one. */
  let channelIsMacrotask: boolean | undefined;
  let probeChainDone = false;
  const runNext = () => pending.shift()?.();
  const post = (Channel: new () => { port1: MessagePortLike; port2: MessagePortLike }) => {
    // A fresh channel for every message: Deno delivers the later messages of a reused channel
    // among microtasks, and an open port keeps it alive (unref() from the handler is ignored).
    const channel = new Channel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (channelIsMacrotask === undefined) {
        // Deno's node:worker_threads MessageChannel (the global one inside vitest's workers there)
        // delivers even a first message after one microtask; a real macrotask comes after the probe.
        channelIsMacrotask = probeChainDone;
        if (!channelIsMacrotask) {
          inFlight = false;
          for (let i = 0; i < pending.length; i++) setTimeout(runNext, 0);
          return;
        }
      }
      if (pending.length > 1) post(Channel);
      else inFlight = false;
      runNext();
    };
    channel.port2.postMessage(0);
  };
  return (callback) => {
    pending.push(callback);
    const Channel = (globalThis as { MessageChannel?: new () => { port1: MessagePortLike; port2: MessagePortLike } }).MessageChannel;
    if (Channel === undefined || channelIsMacrotask === false) {
      setTimeout(runNext, 0);
      return;
    }
    if (inFlight) return;
    inFlight = true;
    if (channelIsMacrotask === undefined) {
      let chain = Promise.resolve();
      for (let i = 0; i < 64; i++) chain = chain.then(() => {});
      void chain.then(() => (probeChainDone = true));
    }
    post(Channel);
  };
}

/** The runtime built only from web-standard globals (browsers, and any runtime without an adapter). */
export const webRuntime: Runtime = {
  name: "web",
  now: () => performance.now(),
  setTimer(callback, ms, keepAlive) {
    const handle = setTimeout(callback, ms) as unknown as { unref?: () => void };
    if (!keepAlive) handle?.unref?.();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  macrotask: messageChannelMacrotask(),
  keepAlive() {
    const interval = setInterval(noop, MAX_TIMER_DELAY);
    return () => clearInterval(interval);
  },
};

let current: Runtime = webRuntime;

/**
 * Keeps the process alive until the returned function is called (once; later calls do nothing),
 * through the current runtime's {@link Runtime.keepAlive}, or a chain of keep-alive timers where
 * the runtime has none.
 */
export function holdProcess(): () => void {
  const runtime = current;
  if (runtime.keepAlive !== undefined) {
    let release: (() => void) | undefined = runtime.keepAlive();
    return () => {
      release?.();
      release = undefined;
    };
  }
  let handle: unknown;
  let held = true;
  const rearm = (): void => {
    if (held) handle = runtime.setTimer(rearm, MAX_TIMER_DELAY, true);
  };
  rearm();
  return () => {
    if (!held) return;
    held = false;
    runtime.clearTimer(handle);
  };
}

/** The runtime syncio currently uses. */
export function getRuntime(): Runtime {
  return current;
}

/**
 * Makes `runtime` the one every primitive, `sleep` and `timeout` use from now on, and returns
 * the previous one. Adapters call it when imported; tests use `@syncio/core/testing` instead.
 */
export function setRuntime(runtime: Runtime): Runtime {
  if (runtime === null || typeof runtime !== "object") throw new TypeError(`setRuntime(): expected \`runtime\` to be a Runtime object, got ${String(runtime)}`);
  for (const method of ["now", "setTimer", "clearTimer", "macrotask"] as const) {
    if (typeof runtime[method] !== "function") throw new TypeError(`setRuntime(): expected \`runtime.${method}\` to be a function, got ${typeof runtime[method]}`);
  }
  const previous = current;
  current = runtime;
  return previous;
}

/** A timer on the runtime that was current when it started; delays past 2³¹−1 ms are chained. */
export class Timer {
  readonly #runtime: Runtime;
  readonly #callback: () => void;
  readonly #keepAlive: boolean;
  /** When the callback is due, on `#runtime`'s clock; only read for delays past MAX_TIMER_DELAY. */
  readonly #due: number;
  #handle: unknown;

  constructor(callback: () => void, ms: number, keepAlive: boolean) {
    this.#runtime = current;
    this.#callback = callback;
    this.#keepAlive = keepAlive;
    this.#due = ms > MAX_TIMER_DELAY ? this.#runtime.now() + ms : 0;
    this.#handle = this.#runtime.setTimer(ms > MAX_TIMER_DELAY ? () => this.#step() : callback, Math.min(ms, MAX_TIMER_DELAY), keepAlive);
  }

  cancel(): void {
    this.#runtime.clearTimer(this.#handle);
  }

  #step(): void {
    const left = this.#due - this.#runtime.now();
    if (left <= 0) this.#callback();
    else this.#handle = this.#runtime.setTimer(() => this.#step(), Math.min(left, MAX_TIMER_DELAY), this.#keepAlive);
  }
}
