import { describe, expect, inject, it } from "vitest";
import * as syncio from "syncio";
import { getRuntime, Lock, MAX_TIMER_DELAY, sleep, timeout, TimeoutError, webRuntime } from "syncio";
import { useVirtualTime } from "syncio/testing";

declare module "vitest" {
  export interface ProvidedContext {
    /** SYNCIO_ADAPTER of this run: node, deno, bun, web, or "sources". */
    syncioAdapter: string;
    /** The runtime the config says runs this suite: node, deno, bun or chromium. */
    syncioHost: string;
  }
}

const adapter = inject("syncioAdapter");
const host = inject("syncioHost");

/** The runtime executing this file, told by the globals only that runtime defines. */
function actualHost(): string {
  const scope = globalThis as { Bun?: unknown; Deno?: unknown; process?: { versions?: { node?: string } }; navigator?: { userAgent?: string } };
  if (scope.Bun !== undefined) return "bun";
  if (scope.Deno !== undefined) return "deno";
  if (scope.navigator?.userAgent?.includes("Chrome/") && typeof document !== "undefined") return "chromium";
  if (scope.process?.versions?.node !== undefined) return "node";
  return "unknown";
}

/** Settles after `ms` on the host's own timers, bypassing syncio. */
const hostDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe(`the runtime binding (SYNCIO_ADAPTER=${adapter}, on ${host})`, () => {
  it("runs on the runtime the config names", () => {
    expect(actualHost()).toBe(host);
  });

  if (adapter === "node" || adapter === "deno" || adapter === "bun") {
    it("loads the adapter of the runtime it runs on, and the adapter installed its binding", () => {
    expect(actualHost()).toBe(adapter);
    expect(getRuntime().name).toBe(adapter);
    expect((syncio as { runtime?: unknown }).runtime).toBe(getRuntime());
  });
  }

  if (adapter === "web" || adapter === "sources") {
    it("loads core alone, which runs on the web-standard runtime", () => {
    expect("runtime" in syncio).toBe(false);
    expect(getRuntime()).toBe(webRuntime);
    expect(getRuntime().name).toBe("web");
  });
  }

  it("shares one core with syncio/testing: the virtual clock replaces the binding, then restores it", () => {
    const bound = getRuntime();
    {
      using clock = useVirtualTime();
      expect(getRuntime()).toBe(clock);
    }
    expect(getRuntime()).toBe(bound);
  });

  if (host !== "chromium") {
    it("exposes a garbage collector to leak tests (globalThis.gc; Bun.gc on Bun)", () => {
      const scope = globalThis as { gc?: unknown; Bun?: { gc?: unknown } };
      expect(typeof (host === "bun" ? scope.Bun?.gc : scope.gc)).toBe("function");
    });
  }

  it("has a clock that never runs backwards and advances with the host's timers", async () => {
    const { now } = getRuntime();
    const before = now();
    await hostDelay(20);
    const after = now();
    // Timers may fire a hair early against another clock; 15 ms of 20 proves the unit is ms.
    expect(after - before).toBeGreaterThanOrEqual(15);
    expect(after - before).toBeLessThan(5000);
  });

  it("clears a timer so that it never fires", async () => {
    const runtime = getRuntime();
    let fired = false;
    runtime.clearTimer(runtime.setTimer(() => (fired = true), 1, true));
    await hostDelay(20);
    expect(fired).toBe(false);
  });
});

describe("sleep(0) on the real runtime", () => {
  it("lets a due timer fire between turns (a chain of sleep(0) does not starve timers)", async () => {
    let fired = false;
    setTimeout(() => (fired = true), 0);
    let turns = 0;
    while (!fired && turns < 1_000_000) {
      await sleep(0);
      turns++;
    }
    expect(fired).toBe(true);
  });

  it("is not clamped like setTimeout(0): 1000 turns take far less than 1000 ms", async () => {
    const { now } = getRuntime();
    const start = now();
    for (let turn = 0; turn < 1000; turn++) await sleep(0);
    expect(now() - start).toBeLessThan(500);
  });

  it("resolves before a timer armed earlier for 1000 ms", async () => {
    const order: string[] = [];
    const timer = setTimeout(() => order.push("timer"), 1000);
    await sleep(0).then(() => order.push("sleep(0)"));
    clearTimeout(timer);
    expect(order).toEqual(["sleep(0)"]);
  });
});

describe(`delays past 2³¹−1 ms on the real runtime`, () => {
  // Every runtime's own timer overflows there and fires after ~1 ms; core chains shorter timers.
  for (const ms of [MAX_TIMER_DELAY + 1, 2 ** 32 + 5, 8.64e15]) {
    it(`sleep(${ms}) is still pending a while later, and aborts cleanly`, async () => {
      const controller = new AbortController();
      let settled = false;
      const sleeping = sleep(ms, { signal: controller.signal }).finally(() => (settled = true));
      await hostDelay(50);
      expect(settled).toBe(false);
      const aborted = expect(sleeping).rejects.toBe("stop");
      controller.abort("stop");
      await aborted;
    });
  }

  it("timeout(2³¹) has not aborted a while later", async () => {
    const signal = timeout(2 ** 31);
    await hostDelay(50);
    expect(signal.aborted).toBe(false);
  });

  it("acquire({ timeout: 2³² }) is still waiting a while later, then gets the lock", async () => {
    const lock = new Lock();
    const held = await lock.acquire();
    let settled = false;
    const waiting = lock.acquire({ timeout: 2 ** 32 }).finally(() => (settled = true));
    await hostDelay(50);
    expect(settled).toBe(false);
    held.release();
    (await waiting).release();
    expect(lock.locked()).toBe(false);
  });

  it("a 1 ms timeout still fires (the split only applies past the limit)", async () => {
    const lock = new Lock();
    const held = await lock.acquire();
    await expect(lock.acquire({ timeout: 1 })).rejects.toBeInstanceOf(TimeoutError);
    held.release();
  });
});
