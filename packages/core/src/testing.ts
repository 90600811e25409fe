/**
 * @syncio/core/testing — a virtual clock for tests: timeouts and sleeps run instantly and in a
 * deterministic order, with microtasks settled between timers.
 * @module @syncio/core/testing
 */
import { getRuntime, messageChannelMacrotask, setRuntime, type Runtime } from "./runtime.js";

interface VirtualTimer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

const hostMacrotask = messageChannelMacrotask();

const earlier = (a: VirtualTimer, b: VirtualTimer): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/**
 * Resolves once every pending microtask (and every microtask those schedule) has run, by
 * waiting one real macrotask turn of the host. Never waits on the clock.
 */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => hostMacrotask(resolve));
}

/**
 * A {@link Runtime} whose clock only moves when told to. Install it with {@link useVirtualTime}
 * (or `setRuntime`); then `sleep`, `timeout` and every `{ timeout }` option follow it.
 *
 * @example
 * ```ts
 * using clock = useVirtualTime();
 * const acquiring = lock.acquire({ timeout: 5000 });
 * await clock.advance(5000); // instant
 * await expect(acquiring).rejects.toThrow(TimeoutError);
 * ```
 */
export class VirtualClock implements Runtime, Disposable {
  readonly name = "virtual";
  #now = 0;
  #seq = 0;
  /** Armed timers (macrotasks are timers due now). */
  readonly #timers = new Set<VirtualTimer>();
  /** A min-heap by (due, seq) of armed timers, plus cleared ones not yet sifted out. */
  #heap: VirtualTimer[] = [];
  #previous: Runtime | undefined;
  #holds = 0;
  /** Where {@link useVirtualTime} installed it (for the warning about a clock never disposed). */
  #installedAt: string | undefined;

  now(): number {
    return this.#now;
  }

  /** Arms a timer due `ms` from now on this clock; the handle is opaque (pass it to `clearTimer`). */
  setTimer(callback: () => void, ms: number): unknown {
    const timer = { due: this.#now + ms, seq: this.#seq++, callback };
    this.#timers.add(timer);
    this.#push(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    if (!this.#timers.delete(handle as VirtualTimer)) return;
    // Cleared timers leave the heap lazily; rebuild it before they outnumber the armed ones.
    if (this.#heap.length > 64 && this.#heap.length > 2 * this.#timers.size) {
      this.#heap = [];
      for (const timer of this.#timers) this.#push(timer);
    }
  }

  macrotask(callback: () => void): void {
    this.setTimer(callback, 0);
  }

  /** Counts the hold instead of holding the process: virtual time never keeps a process alive. */
  keepAlive(): () => void {
    this.#holds++;
    let held = true;
    return () => {
      if (held) this.#holds--;
      held = false;
    };
  }

  /** Keep-alive holds taken and not yet released (see {@link Runtime.keepAlive}). */
  get pendingHolds(): number {
    return this.#holds;
  }

  /** Timers armed and not yet fired or cleared (a test's check that nothing was left behind). */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves the clock forward by `ms`, firing each timer due on the way at its own time, in due
   * order (ties: creation order), settling microtasks before and after each.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance(): expected \`ms\` to be a number ≥ 0, got ${String(ms)}`);
    const target = this.#now + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.#next();
      if (next === undefined || next.due > target) break;
      this.#fire(next);
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /** Fires timers in order, moving the clock to each, until none is left (at most `limit`). */
  async runAll(limit = 100_000): Promise<void> {
    for (let fired = 0; ; fired++) {
      await flushMicrotasks();
      const next = this.#next();
      if (next === undefined) return;
      if (fired >= limit) throw new Error(`VirtualClock.runAll(): still ${this.#timers.size} timers after ${limit}; is something rescheduling forever?`);
      this.#fire(next);
    }
  }

  /** Settles pending microtasks without moving the clock. */
  flush(): Promise<void> {
    return flushMicrotasks();
  }

  /** Makes this clock the runtime; `[Symbol.dispose]` (or {@link uninstall}) restores the previous one. */
  install(): this {
    this.#previous ??= setRuntime(this);
    return this;
  }

  /** Restores the runtime that was current before {@link install}. */
  uninstall(): void {
    if (this.#previous === undefined) return;
    setRuntime(this.#previous);
    this.#previous = undefined;
  }

  /** @internal Where useVirtualTime() installed this clock, if it did. */
  static installedAt(clock: VirtualClock): string | undefined {
    return clock.#installedAt;
  }

  /** @internal */
  static markInstalledAt(clock: VirtualClock, site: string): void {
    clock.#installedAt = site;
  }

  [Symbol.dispose](): void {
    this.uninstall();
  }

  #next(): VirtualTimer | undefined {
    const heap = this.#heap;
    while (heap.length > 0 && !this.#timers.has(heap[0]!)) this.#pop();
    return heap[0];
  }

  #push(timer: VirtualTimer): void {
    const heap = this.#heap;
    let index = heap.push(timer) - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (earlier(heap[parent]!, timer)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = timer;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && earlier(heap[child + 1]!, heap[child]!)) child++;
      if (earlier(last, heap[child]!)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }

  /** Fires `timer`, the heap's top. */
  #fire(timer: VirtualTimer): void {
    this.#pop();
    this.#timers.delete(timer);
    if (timer.due > this.#now) this.#now = timer.due;
    timer.callback();
  }
}

/**
 * Installs a new {@link VirtualClock} as the runtime and returns it; dispose it (or call
 * `uninstall()`) to restore the previous runtime.
 *
 * A test that hangs never reaches the end of its `using` block, so its clock would stay
 * installed and stall every later test that uses real time. Dispose in `afterEach` (see
 * {@link restoreRealTime}); failing that, the next `useVirtualTime()` finds the clock an earlier
 * one left installed, uninstalls it, and warns with the place it was installed.
 *
 * @example
 * ```ts
 * using clock = useVirtualTime();
 * const slept = sleep(60_000);
 * await clock.advance(60_000);
 * await slept;
 * ```
 */
export function useVirtualTime(): VirtualClock {
  const left = uninstallVirtualClocks((site) => site !== undefined);
  if (left.length > 0) {
    console.warn(
      `useVirtualTime(): a virtual clock installed earlier was never disposed (a test that hung or timed out skips its \`using\` disposal), so it was uninstalled now. ` +
        `It was installed ${left.join("; and another ")}. Dispose clocks in afterEach: \`afterEach(restoreRealTime)\` from @syncio/core/testing.`,
    );
  }
  const clock = new VirtualClock();
  VirtualClock.markInstalledAt(clock, callSite());
  return clock.install();
}

/**
 * Uninstalls every virtual clock that is still installed, restoring the runtime that was
 * current before the first, and returns how many there were. Made for `afterEach`, so a test
 * that hangs with a clock installed cannot stall the tests after it (vitest and node:test alike).
 *
 * @example
 * ```ts
 * import { afterEach } from "vitest"; // or "node:test"
 * import { restoreRealTime } from "@syncio/core/testing";
 * afterEach(restoreRealTime);
 * ```
 */
export function restoreRealTime(): number {
  return uninstallVirtualClocks(() => true).length;
}

/** Uninstalls the virtual clocks on top of the runtime while `which(installedAt)`; returns their sites. */
function uninstallVirtualClocks(which: (site: string | undefined) => boolean): string[] {
  const sites: string[] = [];
  for (let runtime = getRuntime(); runtime instanceof VirtualClock; runtime = getRuntime()) {
    const site = VirtualClock.installedAt(runtime);
    if (!which(site)) break;
    sites.push(site ?? "by install()");
    runtime.uninstall();
    // A clock installed by setRuntime() directly cannot uninstall itself: stop rather than loop.
    if (getRuntime() === runtime) break;
  }
  return sites;
}

/** The first stack frame outside this module: "at <test file>:<line>:<column>". */
function callSite(): string {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  const outside = frames.find((frame) => !/testing\.(ts|js)/.test(frame) && /\d+:\d+/.test(frame));
  return outside?.trim().replace(/^at\s+/, "at ").replace(/^(?!at )/, "at ") ?? "at an unknown place";
}
