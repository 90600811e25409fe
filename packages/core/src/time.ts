import { rangeError, TimeoutError, typeError } from "./errors.js";
import { getRuntime, Timer } from "./runtime.js";
import { checkWaitOptions, KEEP_ALIVE_WHILE_WATCHED, unwatchSignal, watchSignal, type Cancellable } from "./waiter-queue.js";

/** Options of {@link sleep}. */
export interface SleepOptions {
  /** Aborting it rejects the sleep with `signal.reason` and cancels its timer. */
  signal?: AbortSignal | undefined;
}

function checkDelay(where: string, ms: unknown): number {
  if (typeof ms !== "number") throw typeError(where, "ms", "a number of milliseconds", ms);
  if (!(ms >= 0)) throw rangeError(where, "ms", "a number of milliseconds ≥ 0", ms);
  return ms;
}

/** One sleep: settles once, by its timer (or macrotask) or by its signal. */
class Sleeper implements Cancellable {
  signalPrev: Cancellable | null = null;
  signalNext: Cancellable | null = null;
  timer: Timer | undefined = undefined;
  #signal: AbortSignal | undefined;
  #resolve: () => void;
  #reject: (reason: unknown) => void;
  #settled = false;

  constructor(ms: number, signal: AbortSignal | undefined, resolve: () => void, reject: (reason: unknown) => void) {
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    if (signal !== undefined) watchSignal(signal, this);
    if (ms === 0) getRuntime().macrotask(() => this.#wake());
    else if (ms !== Infinity) this.timer = new Timer(() => this.#wake(), ms, true);
  }

  cancel(reason: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.timer?.cancel();
    this.#reject(reason);
  }

  #wake(): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#signal !== undefined) unwatchSignal(this.#signal, this);
    this.#resolve();
  }
}

/**
 * Resolves after `ms` milliseconds on the runtime's clock; `sleep(0)` yields one macrotask turn
 * (asyncio: `await asyncio.sleep(seconds)`, in ms). Delays past 2³¹−1 ms work. A pending sleep
 * keeps the process alive.
 * @throws TypeError / RangeError if `ms` is not a number ≥ 0 (synchronously).
 * Rejects with `signal.reason` on abort.
 *
 * @example
 * ```ts
 * await sleep(1000);
 * await sleep(0); // let timers and I/O run
 * ```
 */
export function sleep(ms: number, options?: SleepOptions): Promise<void> {
  checkDelay("sleep()", ms);
  const aborted = checkWaitOptions(options, "sleep()", false);
  if (aborted !== undefined) return aborted;
  return new Promise<void>((resolve, reject) => {
    new Sleeper(ms, options?.signal, resolve, reject);
  });
}

/**
 * An AbortSignal that aborts after `ms` milliseconds on the runtime's clock, with a
 * {@link TimeoutError} as its `reason` (asyncio: `asyncio.timeout(delay)`). While a syncio call
 * waits on it, it keeps the process alive until it fires (as asyncio's loop runs until then); a
 * signal nothing waits on keeps nothing alive, like `AbortSignal.timeout()`. Delays past
 * 2³¹−1 ms work.
 * @throws TypeError / RangeError if `ms` is not a number ≥ 0.
 *
 * @example
 * ```ts
 * const signal = timeout(500);
 * await lock.acquire({ signal });
 * await queue.get({ signal }); // the same deadline covers both
 * ```
 */
export function timeout(ms: number): AbortSignal {
  checkDelay("timeout()", ms);
  const controller = new AbortController();
  const fire = () => controller.abort(new TimeoutError(`timeout(): ${ms} ms elapsed`));
  if (ms === 0) fire();
  else if (ms !== Infinity) {
    new Timer(fire, ms, false);
    (controller.signal as AbortSignal & { [KEEP_ALIVE_WHILE_WATCHED]?: boolean })[KEEP_ALIVE_WHILE_WATCHED] = true;
  }
  return controller.signal;
}
