/** Issue 7's targets, checked against one runtime's results. */
import { CASES, type Floor } from "./cases.js";
import type { EntryResult } from "./harness.js";
import type { SuiteOutput } from "./suite.js";

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** Peers that have a blocking queue (a `get` that waits), for the "5× the fastest peer" target. */
const QUEUE_PEERS = new Set(["@esfx/async-*", "effect"]);

export function find(output: SuiteOutput, caseId: string, library: string): EntryResult | undefined {
  return output.results.find((result) => result.caseId === caseId && result.library === library);
}

export function floorOf(output: SuiteOutput, floor: Floor): number {
  return find(output, `floor.${floor}`, "floor")!.nsPerOp;
}

/** syncio's ns/op over its case's floor. */
export function ratio(output: SuiteOutput, caseId: string): number | undefined {
  const info = CASES.find((c) => c.id === caseId);
  const result = find(output, caseId, "syncio");
  if (info === undefined || result === undefined) return undefined;
  return result.nsPerOp / floorOf(output, info.floor);
}

export function fastestPeer(output: SuiteOutput, caseId: string, only?: Set<string>): EntryResult | undefined {
  const peers = output.results.filter((r) => r.caseId === caseId && r.library !== "syncio" && r.library !== "floor" && (only === undefined || only.has(r.library)));
  return peers.sort((a, b) => a.nsPerOp - b.nsPerOp)[0];
}

const x = (value: number) => `${value.toFixed(2)}×`;

export function checkTargets(output: SuiteOutput): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const runtime = output.runtime;
  const ratioCheck = (caseId: string, limit: number, floor: string) => {
    const value = ratio(output, caseId);
    if (value === undefined) return;
    checks.push({ target: `${caseId} ≤ ${limit} × ${floor} floor`, measured: x(value), met: value <= limit });
  };
  ratioCheck("lock.uncontended", 1.0, "hop");
  const contendedLimit = runtime === "node" ? 1.2 : 1.5;
  for (const caseId of ["lock.contended.2", "lock.contended.16", "lock.contended.1000", "semaphore.4x64"]) {
    ratioCheck(caseId, contendedLimit, "wake");
    const peer = fastestPeer(output, caseId);
    const mine = find(output, caseId, "syncio");
    if (peer !== undefined && mine !== undefined) {
      checks.push({ target: `${caseId} faster than every peer`, measured: `${x(peer.nsPerOp / mine.nsPerOp)} the fastest (${peer.library})`, met: mine.nsPerOp < peer.nsPerOp });
    }
  }
  for (const [caseId, limit] of [["queue.bounded", 2.0], ["queue.unbounded", 1.6], ["queue.burst", 2.5]] as const) {
    ratioCheck(caseId, limit, "wake");
    const peer = fastestPeer(output, caseId, QUEUE_PEERS);
    const mine = find(output, caseId, "syncio");
    if (peer !== undefined && mine !== undefined) {
      const speedup = peer.nsPerOp / mine.nsPerOp;
      checks.push({ target: `${caseId} ≥ 5× the fastest blocking-queue peer`, measured: `${x(speedup)} (${peer.library})`, met: speedup >= 5 });
    }
  }
  const heap = output.heap.find((h) => h.library === "syncio");
  if (heap !== undefined) checks.push({ target: "heap ≤ 400 B per queued waiter", measured: `${heap.bytesPerWaiter.toFixed(0)} B`, met: heap.bytesPerWaiter <= 400 });
  ratioCheck("scaling.abort.100k", 1.3, "abort");
  const scale = (big: string, small: string, what: string) => {
    const a = find(output, big, "syncio");
    const b = find(output, small, "syncio");
    if (a === undefined || b === undefined) return;
    const value = a.nsPerOp / b.nsPerOp;
    checks.push({ target: `${what}: per-waiter time at 100k ≤ 1.5 × at 1k`, measured: x(value), met: value <= 1.5 });
  };
  scale("scaling.abort.100k", "scaling.abort.1k", "abort O(1)");
  scale("scaling.drain.100k", "scaling.drain.1k", "drain linear");
  return checks;
}
