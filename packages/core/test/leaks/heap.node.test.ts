/**
 * After 100,000 callers blocked on one long-lived signal are aborted or time out, the heap is
 * back within 1 MB of where it was once garbage is collected. Named *.node.test.ts: the browser
 * run has no way to force a GC and leaves it out; node, deno and bun all run it.
 */
import { describe, expect, it } from "vitest";
import { ManualClock, scenarios, WAITERS } from "./scenarios.js";

const MB = 1024 * 1024;
/** Generous: 100,000 waiters take about a second on a quiet machine, but CI shares its cores. */
const TEST_TIMEOUT_MS = 60_000;

type Host = {
  gc?: (full?: boolean) => void;
  Bun?: { gc(force: boolean): void };
  Deno?: { memoryUsage(): { heapUsed: number } };
  process?: { memoryUsage?(): { heapUsed: number } };
};
const host = globalThis as Host;

/** A full collection, or a failure that says how to get one (never a silent skip). */
async function collectGarbage(): Promise<void> {
  const gc = host.gc ?? (host.Bun === undefined ? undefined : () => host.Bun!.gc(true));
  if (gc === undefined) {
    expect.fail("no way to force a GC here: run node or deno with --expose-gc (the core vitest config passes it to its workers) or run on Bun");
  }
  // Three times, with a macrotask between, so objects kept only by finished promise jobs go too.
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function heapUsed(): number {
  if (host.Deno !== undefined) return host.Deno.memoryUsage().heapUsed;
  const usage = host.process?.memoryUsage?.();
  if (usage === undefined) expect.fail("no heap measure on this runtime (process.memoryUsage or Deno.memoryUsage)");
  return usage.heapUsed;
}

describe.each(scenarios)("$name: heap after 100,000 blocked callers leave", ({ create }) => {
  for (const ending of ["abort", "timeout"] as const) {
    it(`is back within 1 MB of the baseline after GC (they ${ending === "abort" ? "are aborted" : "time out"})`, async () => {
      using clock = ManualClock.install();
      const subject = create();
      const longLived = new AbortController();
      // "timeout": every call waits on the long-lived signal and times out, the signal lives on.
      // "abort": every call of a round waits on that round's signal, which then aborts.
      const round = async (waiters: number) => {
        const aborter = new AbortController();
        const options = ending === "abort" ? { signal: aborter.signal } : { signal: longLived.signal, timeout: 1 };
        const calls: Promise<unknown>[] = [];
        for (let i = 0; i < waiters; i++) calls.push(subject.block(options));
        // Handlers go on before the rejections: Deno takes O(n²) for 100,000 promises rejected unhandled.
        const settled = Promise.allSettled(calls);
        if (ending === "abort") aborter.abort(new Error("round over"));
        else clock.advance(1);
        await settled;
      };
      await round(WAITERS / 10); // warm-up: compiled code and one-time allocations are not a leak
      await collectGarbage();
      const baseline = heapUsed();
      await round(WAITERS);
      // Bun's collector scans stacks conservatively, so a stray word can pin garbage for a cycle:
      // take the lowest of a few collections. A real leak stays, however often it is collected.
      let grown = Infinity;
      for (let attempt = 0; attempt < 5 && grown >= MB; attempt++) {
        await collectGarbage();
        grown = Math.min(grown, heapUsed() - baseline);
      }
      expect(subject.waiters()).toBe(0);
      expect(clock.armed).toBe(0);
      expect(grown, `heap grew by ${(grown / MB).toFixed(2)} MB after ${WAITERS} callers left`).toBeLessThan(MB);
    }, TEST_TIMEOUT_MS);
  }
});
