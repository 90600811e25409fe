import { afterEach, describe, expect, it } from "vitest";
import { getRuntime, Lock, MAX_TIMER_DELAY, messageChannelMacrotask, setRuntime, sleep, timeout, TimeoutError, webRuntime, type Runtime } from "syncio";
import { flushMicrotasks, restoreRealTime, useVirtualTime, VirtualClock } from "syncio/testing";
import { countedSignal, RecordingClock, rejectionOf, track } from "./support/index.js";

describe("sleep()", () => {
  it("resolves to undefined after ms on the runtime's clock, not before", async () => {
    using clock = useVirtualTime();
    const sleeping = track(sleep(1000));
    await clock.advance(999);
    expect(sleeping.state).toBe("pending");
    await clock.advance(1);
    expect(sleeping.state).toBe("fulfilled");
    expect(sleeping.value).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });

  it("wakes sleepers in order of their due time", async () => {
    using clock = useVirtualTime();
    const order: number[] = [];
    const sleepers = [30, 10, 20].map((ms) => sleep(ms).then(() => order.push(ms)));
    await clock.runAll();
    await Promise.all(sleepers);
    expect(order).toEqual([10, 20, 30]);
  });

  it("keeps the process alive while pending", async () => {
    using clock = new RecordingClock().install();
    const sleeping = sleep(10);
    expect(clock.requests).toEqual([{ ms: 10, keepAlive: true }]);
    await clock.advance(10);
    await sleeping;
  });

  describe("sleep(0)", () => {
    it("yields a macrotask turn on the runtime, like asyncio.sleep(0)", async () => {
      using clock = useVirtualTime();
      const sleeping = track(sleep(0));
      expect(clock.pendingTimers).toBe(1);
      await clock.flush();
      expect(sleeping.state).toBe("pending");
      await clock.advance(0);
      expect(sleeping.state).toBe("fulfilled");
    });

    it("resolves only after every pending microtask on the default runtime", async () => {
      const order: string[] = [];
      const slept = sleep(0).then(() => order.push("sleep(0)"));
      let chain = Promise.resolve();
      for (let i = 0; i < 1000; i++) chain = chain.then(() => {});
      const microtasks = chain.then(() => order.push("1000 microtasks"));
      await Promise.all([slept, microtasks]);
      expect(order).toEqual(["1000 microtasks", "sleep(0)"]);
    });

    it("runs sleep(0) callbacks in the order they were asked for", async () => {
      const order: number[] = [];
      await Promise.all([1, 2, 3].map((n) => sleep(0).then(() => order.push(n))));
      expect(order).toEqual([1, 2, 3]);
    });
  });

  describe("sleep(ms, { signal })", () => {
    it("rejects with the signal's reason, unchanged, and cancels its timer and listener", async () => {
      using clock = useVirtualTime();
      const counted = countedSignal();
      const sleeping = sleep(1000, { signal: counted.signal });
      expect(counted.listeners).toBe(1);
      const reason = { why: "stop" };
      counted.abort(reason);
      expect(await rejectionOf(sleeping)).toBe(reason);
      expect(clock.pendingTimers).toBe(0);
      expect(counted.listeners).toBe(0);
    });

    it("rejects at once when already aborted, arming nothing", async () => {
      using clock = useVirtualTime();
      const counted = countedSignal();
      counted.abort("early");
      const sleeping = track(sleep(10, { signal: counted.signal }));
      expect(clock.pendingTimers).toBe(0);
      expect(counted.added).toBe(0);
      await clock.flush();
      expect(sleeping.reason).toBe("early");
    });

    it("removes its listener when it wakes", async () => {
      using clock = useVirtualTime();
      const counted = countedSignal();
      const sleeping = sleep(10, { signal: counted.signal });
      await clock.advance(10);
      await sleeping;
      expect(counted.listeners).toBe(0);
    });

    it("sleeps forever with ms = Infinity, arming no timer, until aborted", async () => {
      using clock = useVirtualTime();
      const controller = new AbortController();
      const sleeping = track(sleep(Infinity, { signal: controller.signal }));
      expect(clock.pendingTimers).toBe(0);
      await clock.advance(2 ** 50);
      expect(sleeping.state).toBe("pending");
      controller.abort("wake");
      await clock.flush();
      expect(sleeping.reason).toBe("wake");
    });
  });

  describe("bad arguments", () => {
    it.each([
      ["a string", "10", TypeError],
      ["nothing", undefined, TypeError],
      ["a negative number", -1, RangeError],
      ["NaN", Number.NaN, RangeError],
    ])("throws synchronously on %s as ms, naming `ms`", (_label, ms, errorClass) => {
      expect(() => sleep(ms as never)).toThrow(errorClass);
      expect(() => sleep(ms as never)).toThrow(/^sleep\(\): expected `ms` to be a number of milliseconds/);
    });

    it("throws a TypeError on a signal that is not an AbortSignal", () => {
      expect(() => sleep(1, { signal: {} as never })).toThrow(TypeError);
    });
  });
});

/** Runs `body` with `globalThis.MessageChannel` replaced by `replacement`, then restores it. */
async function withMessageChannel(replacement: unknown, body: () => Promise<void>): Promise<void> {
  const scope = globalThis as { MessageChannel?: unknown };
  const original = scope.MessageChannel;
  scope.MessageChannel = replacement;
  try {
    await body();
  } finally {
    scope.MessageChannel = original;
  }
}

/** Microtask-deep chain of `length` steps; resolves when its last step ran. */
function microtaskChain(length: number): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < length; i++) chain = chain.then(() => {});
  return chain;
}

/**
 * A MessageChannel that delivers each message one microtask after postMessage(), as Deno's
 * node:worker_threads MessageChannel does (it is the global one inside vitest's workers on Deno).
 */
class MicrotaskMessageChannel {
  closed = false;
  readonly port1 = {
    onmessage: null as ((event: unknown) => void) | null,
    close: () => {
      this.closed = true;
    },
  };
  readonly port2 = {
    postMessage: () => {
      queueMicrotask(() => {
        if (!this.closed) this.port1.onmessage?.({ data: 0 });
      });
    },
  };
}

describe("messageChannelMacrotask()", () => {
  it("runs the microtasks a callback queues before the next callback, like setImmediate", async () => {
    const macrotask = messageChannelMacrotask();
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      macrotask(() => {
        order.push("A1");
        void Promise.resolve().then(() => order.push("A2"));
      });
      macrotask(() => {
        order.push("B1");
        resolve();
      });
    });
    await done;
    expect(order).toEqual(["A1", "A2", "B1"]);
  });

  it("runs callbacks after every pending microtask, in the order given", async () => {
    const macrotask = messageChannelMacrotask();
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      macrotask(() => order.push("first"));
      macrotask(() => {
        order.push("second");
        resolve();
      });
    });
    const chain = microtaskChain(1000).then(() => order.push("1000 microtasks"));
    await Promise.all([done, chain]);
    expect(order).toEqual(["1000 microtasks", "first", "second"]);
  });

  it("regression (Deno's node-compat MessageChannel delivers among microtasks): still runs callbacks only after every pending microtask", async () => {
    await withMessageChannel(MicrotaskMessageChannel, async () => {
      const macrotask = messageChannelMacrotask();
      for (let round = 0; round < 3; round++) {
        const order: string[] = [];
        const ran = new Promise<void>((resolve) => macrotask(() => resolve(void order.push("macrotask"))));
        const chain = microtaskChain(1000).then(() => order.push("1000 microtasks"));
        await Promise.all([ran, chain]);
        expect(order).toEqual(["1000 microtasks", "macrotask"]);
      }
    });
  });

  it("falls back to a timer where there is no MessageChannel", async () => {
    await withMessageChannel(undefined, async () => {
      const macrotask = messageChannelMacrotask();
      const order: string[] = [];
      const ran = new Promise<void>((resolve) => {
        macrotask(() => order.push("first"));
        macrotask(() => resolve(void order.push("second")));
      });
      const chain = microtaskChain(1000).then(() => order.push("1000 microtasks"));
      await Promise.all([ran, chain]);
      expect(order).toEqual(["1000 microtasks", "first", "second"]);
    });
  });

  it("runs a callback queued by a callback on a later turn", async () => {
    const macrotask = messageChannelMacrotask();
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      macrotask(() => {
        order.push("outer");
        macrotask(() => resolve(void order.push("inner")));
        void Promise.resolve().then(() => order.push("outer's microtask"));
      });
    });
    expect(order).toEqual(["outer", "outer's microtask", "inner"]);
  });
});

describe("timeout()", () => {
  it("returns an AbortSignal that aborts after ms on the runtime's clock, not before", async () => {
    using clock = useVirtualTime();
    const signal = timeout(500);
    expect(signal).toBeInstanceOf(AbortSignal);
    await clock.advance(499);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(signal.aborted).toBe(true);
  });

  it("aborts with syncio's TimeoutError as the reason", async () => {
    using clock = useVirtualTime();
    const signal = timeout(5);
    await clock.advance(5);
    expect(signal.reason).toBeInstanceOf(TimeoutError);
    expect(signal.reason).toBeInstanceOf(Error);
    expect((signal.reason as Error).name).toBe("TimeoutError");
    expect((signal.reason as Error).message).toBe("timeout(): 5 ms elapsed");
  });

  it("makes a blocking call reject with that TimeoutError, one deadline over several calls", async () => {
    using clock = useVirtualTime();
    const lock = new Lock();
    await lock.acquire();
    const signal = timeout(100);
    const first = track(lock.acquire({ signal }));
    const second = track(lock.acquire({ signal }));
    await clock.advance(100);
    expect(first.reason).toBeInstanceOf(TimeoutError);
    expect(second.reason).toBe(first.reason);
    expect(lock.statistics().waiters).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it("is aborted at once with ms = 0", () => {
    const signal = timeout(0);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(TimeoutError);
  });

  it("never aborts with ms = Infinity, and arms no timer", async () => {
    using clock = useVirtualTime();
    const signal = timeout(Infinity);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(2 ** 50);
    expect(signal.aborted).toBe(false);
  });

  it("does not keep the process alive, like AbortSignal.timeout()", () => {
    using clock = new RecordingClock().install();
    timeout(10);
    expect(clock.requests).toEqual([{ ms: 10, keepAlive: false }]);
  });

  it.each([
    ["a string", "10", TypeError],
    ["a negative number", -5, RangeError],
    ["NaN", Number.NaN, RangeError],
  ])("throws synchronously on %s, naming `ms`", (_label, ms, errorClass) => {
    expect(() => timeout(ms as never)).toThrow(errorClass);
    expect(() => timeout(ms as never)).toThrow(/^timeout\(\): expected `ms`/);
  });
});

describe("delays beyond 2³¹−1 ms", () => {
  const long = 2 ** 31 + 5000;

  it("MAX_TIMER_DELAY is 2³¹−1", () => {
    expect(MAX_TIMER_DELAY).toBe(2 ** 31 - 1);
  });

  it("sleep() wakes at the full delay and never asks the runtime for more than 2³¹−1 ms", async () => {
    using clock = new RecordingClock().install();
    const sleeping = track(sleep(long));
    await clock.advance(MAX_TIMER_DELAY);
    expect(sleeping.state).toBe("pending");
    await clock.advance(long - MAX_TIMER_DELAY - 1);
    expect(sleeping.state).toBe("pending");
    await clock.advance(1);
    expect(sleeping.state).toBe("fulfilled");
    expect(clock.requests.length).toBeGreaterThan(1);
    expect(clock.requests.every(({ ms }) => ms <= MAX_TIMER_DELAY)).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("timeout() aborts at the full delay", async () => {
    using clock = new RecordingClock().install();
    const signal = timeout(long);
    await clock.advance(long - 1);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect(clock.requests.every(({ ms }) => ms <= MAX_TIMER_DELAY)).toBe(true);
  });

  it("a blocking call's timeout fires at the full delay, and an early wake clears the chained timer", async () => {
    using clock = new RecordingClock().install();
    const lock = new Lock();
    await lock.acquire();
    const patient = track(lock.acquire({ timeout: long }));
    await clock.advance(MAX_TIMER_DELAY + 1);
    expect(patient.state).toBe("pending");
    expect(clock.pendingTimers).toBe(1);
    lock.release();
    await clock.flush();
    expect(patient.state).toBe("fulfilled");
    expect(clock.pendingTimers).toBe(0);

    const impatient = track(lock.acquire({ timeout: 3 * 2 ** 31 }));
    await clock.advance(3 * 2 ** 31);
    expect(impatient.reason).toBeInstanceOf(TimeoutError);
    expect(clock.requests.every(({ ms }) => ms <= MAX_TIMER_DELAY)).toBe(true);
  });
});

describe("the runtime", () => {
  it("is the web-standard default unless an adapter installed its own binding", () => {
    const runtime = getRuntime();
    expect(["web", "node", "deno", "bun"]).toContain(runtime.name);
    if (runtime.name === "web") expect(runtime).toBe(webRuntime);
  });

  it("setRuntime() installs a runtime and returns the previous one", () => {
    const custom: Runtime = { ...webRuntime, name: "custom" };
    const previous = setRuntime(custom);
    try {
      expect(getRuntime()).toBe(custom);
    } finally {
      expect(setRuntime(previous)).toBe(custom);
    }
    expect(getRuntime()).toBe(previous);
  });

  it.each([
    ["null", null],
    ["an object without clock or timers", { name: "empty" }],
    ["an object whose setTimer is not a function", { ...webRuntime, setTimer: 1 }],
  ])("setRuntime() throws a TypeError on %s and keeps the current runtime", (_label, runtime) => {
    const before = getRuntime();
    expect(() => setRuntime(runtime as never)).toThrow(TypeError);
    expect(getRuntime()).toBe(before);
  });

  it("useVirtualTime() is undone by disposing the clock", () => {
    const before = getRuntime();
    {
      using clock = useVirtualTime();
      expect(getRuntime()).toBe(clock);
    }
    expect(getRuntime()).toBe(before);
  });

  it("a timer keeps the runtime it started on, even if the runtime changes meanwhile", async () => {
    const clock = useVirtualTime();
    const sleeping = track(sleep(10));
    clock.uninstall();
    await clock.advance(10);
    expect(sleeping.state).toBe("fulfilled");
  });
});

describe("VirtualClock", () => {
  it("fires many timers in due order, ties in arming order, skipping the cleared ones", async () => {
    using clock = useVirtualTime();
    const fired: Array<[number, number]> = [];
    const handles: unknown[] = [];
    let state = 7;
    const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const due = Math.floor(random() * 50);
      handles.push(clock.setTimer(() => fired.push([clock.now(), i]), due));
    }
    for (let i = 0; i < 2000; i += 3) clock.clearTimer(handles[i]);
    expect(clock.pendingTimers).toBe(1333);
    await clock.runAll();
    expect(fired).toHaveLength(1333);
    expect(fired.every(([, i]) => i % 3 !== 0)).toBe(true);
    const sorted = [...fired].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(fired).toEqual(sorted);
    expect(clock.pendingTimers).toBe(0);
  });

  it("fires timers due at the same time in creation order", async () => {
    using clock = useVirtualTime();
    const order: string[] = [];
    void sleep(5).then(() => order.push("a"));
    void sleep(5).then(() => order.push("b"));
    await clock.advance(5);
    expect(order).toEqual(["a", "b"]);
  });

  it("moves now() to each timer as it fires, then to the target", async () => {
    using clock = useVirtualTime();
    const seen: number[] = [];
    void sleep(3).then(() => seen.push(clock.now()));
    await clock.advance(10);
    expect(seen).toEqual([3]);
    expect(clock.now()).toBe(10);
  });

  it("settles microtasks between timers, so a sleep started by a woken sleeper fires in the same advance", async () => {
    using clock = useVirtualTime();
    const woke = track(sleep(2).then(() => sleep(2)));
    await clock.advance(4);
    expect(woke.state).toBe("fulfilled");
  });

  it("rejects a negative advance", async () => {
    using clock = useVirtualTime();
    await expect(clock.advance(-1)).rejects.toBeInstanceOf(RangeError);
  });

  it("flushMicrotasks() settles a chain of microtasks without moving the clock", async () => {
    using clock = useVirtualTime();
    let done = false;
    void Promise.resolve()
      .then(() => {})
      .then(() => {})
      .then(() => (done = true));
    await flushMicrotasks();
    expect(done).toBe(true);
    expect(clock.now()).toBe(0);
  });
});

describe("timeout() and process lifetime", () => {
  it("holds the process alive while a waiter watches its signal, and lets go when the signal fires", async () => {
    using clock = useVirtualTime();
    const signal = timeout(100);
    expect(clock.pendingHolds).toBe(0);
    const lock = new Lock();
    await lock.acquire();
    const first = track(lock.acquire({ signal }));
    const second = track(lock.acquire({ signal }));
    expect(clock.pendingHolds).toBe(1);
    await clock.advance(100);
    expect([first.state, second.state]).toEqual(["rejected", "rejected"]);
    expect(clock.pendingHolds).toBe(0);
  });

  it("lets go once the last waiter watching its signal is served, before it fires", async () => {
    using clock = useVirtualTime();
    const signal = timeout(100);
    const lock = new Lock();
    const holder = await lock.acquire();
    const waiting = lock.acquire({ signal });
    expect(clock.pendingHolds).toBe(1);
    holder.release();
    await waiting;
    expect(clock.pendingHolds).toBe(0);
    expect(signal.aborted).toBe(false);
  });

  it("holds nothing for a signal nobody waits on, nor for a signal of another origin", async () => {
    using clock = useVirtualTime();
    timeout(100);
    const controller = new AbortController();
    const lock = new Lock();
    await lock.acquire();
    const waiting = lock.acquire({ signal: controller.signal });
    expect(clock.pendingHolds).toBe(0);
    controller.abort();
    await rejectionOf(waiting);
  });

  it("holds through the runtime's keepAlive(), or a keep-alive timer where the runtime has none", async () => {
    const requests: Array<{ ms: number; keepAlive: boolean }> = [];
    const cleared: unknown[] = [];
    const bare: Runtime = {
      name: "bare",
      now: () => 0,
      setTimer: (_callback, ms, keepAlive) => {
        const handle = { ms };
        requests.push({ ms, keepAlive });
        return handle;
      },
      clearTimer: (handle) => cleared.push(handle),
      macrotask: (callback) => queueMicrotask(callback),
    };
    const previous = setRuntime(bare);
    try {
      const signal = timeout(100);
      const lock = new Lock();
      await lock.acquire();
      const waiting = lock.acquire({ signal });
      expect(requests).toEqual([{ ms: 100, keepAlive: false }, { ms: MAX_TIMER_DELAY, keepAlive: true }]);
      lock.release();
      await waiting;
      expect(cleared).toEqual([{ ms: MAX_TIMER_DELAY }]);
    } finally {
      setRuntime(previous);
    }
  });
});

describe("a virtual clock a hung test left installed", () => {
  afterEach(restoreRealTime);
  /** Runs `fn` with console.warn captured; returns what was warned. */
  function warnings(fn: () => void): string[] {
    const seen: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => seen.push(args.map(String).join(" "));
    try {
      fn();
    } finally {
      console.warn = original;
    }
    return seen;
  }

  it("is uninstalled by the next useVirtualTime(), which warns with the place it was installed", () => {
    const real = getRuntime();
    const stale = useVirtualTime(); // never disposed, as in a test that timed out
    let fresh: VirtualClock | undefined;
    const warned = warnings(() => {
      fresh = useVirtualTime();
    });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^useVirtualTime\(\): a virtual clock installed earlier was never disposed/);
    expect(warned[0]).toMatch(/installed at .*time\.test\.ts\S*:\d+:\d+/);
    expect(warned[0]).toContain("afterEach(restoreRealTime)");
    expect(getRuntime()).toBe(fresh);
    fresh!.uninstall();
    // Disposing the new clock restores real time, not the stale clock.
    expect(getRuntime()).toBe(real);
    expect(getRuntime()).not.toBe(stale);
  });

  it("is uninstalled by restoreRealTime() in afterEach, which says how many it found", () => {
    const real = getRuntime();
    useVirtualTime();
    expect(warnings(() => useVirtualTime())).toHaveLength(1);
    expect(restoreRealTime()).toBe(1); // the second call had already replaced the first
    expect(getRuntime()).toBe(real);
    expect(restoreRealTime()).toBe(0);
  });

  it("does not count a clock nested on purpose with install() as left behind", () => {
    using outer = useVirtualTime();
    const inner = new VirtualClock().install();
    const warned = warnings(() => {
      using _third = useVirtualTime();
      expect(getRuntime()).not.toBe(inner);
    });
    expect(warned).toEqual([]);
    expect(getRuntime()).toBe(inner);
    inner.uninstall();
    expect(getRuntime()).toBe(outer);
  });
});
