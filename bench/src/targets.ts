/** The core set's targets (issues 7 and 11), checked against one runtime's results. */
import { fastestPeer, find, ratio } from "./results.js";
import type { SetView, TargetCheck } from "./sets.js";

/** Peers that have a blocking queue (a `get` that waits), for the "5× the fastest peer" target. */
const QUEUE_PEERS: ReadonlySet<string> = new Set(["@esfx/async-*", "effect"]);

const x = (value: number) => `${value.toFixed(2)}×`;

/**
 * Limits over the case's floor. Node's contended and queue limits are issue 11's (its "Queue(10)
 * 1P/1C ≤ 1.5×" applies to both Queue(10) cases: the hand-off over the wake floor, taking turns
 * over the pass floor); the rest keep issue 7's numbers, now over the honest floors.
 */
function limits(runtime: string) {
  const node = runtime === "node";
  return {
    uncontended: 1.05,
    contended: node ? 1.3 : 1.5,
    handoff: node ? 1.5 : 2.0,
    bounded: node ? 1.5 : 2.0,
    unbounded: 1.6,
    burst: 2.5,
    abort: 1.3,
  };
}

export function coreTargets(view: SetView): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const limit = limits(view.runtime);
  const ratioCheck = (caseId: string, max: number) => {
    const value = ratio(view, caseId);
    const floor = view.set.cases.find((c) => c.id === caseId)?.floor;
    if (value === undefined) return;
    checks.push({ target: `${caseId} ≤ ${max} × ${floor} floor`, measured: x(value), met: value <= max });
  };
  const fasterThanPeers = (caseId: string) => {
    const peer = fastestPeer(view, caseId);
    const mine = find(view, caseId, "syncio");
    if (peer !== undefined && mine !== undefined) {
      checks.push({ target: `${caseId} faster than every peer`, measured: `${x(peer.nsPerOp / mine.nsPerOp)} the fastest (${peer.library})`, met: mine.nsPerOp < peer.nsPerOp });
    }
  };
  ratioCheck("lock.uncontended", limit.uncontended);
  for (const caseId of ["lock.contended.2", "lock.contended.16", "lock.contended.1000", "semaphore.4x64"]) {
    ratioCheck(caseId, limit.contended);
    fasterThanPeers(caseId);
  }
  const queues = [["queue.handoff", limit.handoff], ["queue.bounded", limit.bounded], ["queue.unbounded", limit.unbounded], ["queue.burst", limit.burst]] as const;
  for (const [caseId, max] of queues) {
    ratioCheck(caseId, max);
    const peer = fastestPeer(view, caseId, QUEUE_PEERS);
    const mine = find(view, caseId, "syncio");
    if (peer !== undefined && mine !== undefined) {
      const speedup = peer.nsPerOp / mine.nsPerOp;
      checks.push({ target: `${caseId} ≥ 5× the fastest blocking-queue peer`, measured: `${x(speedup)} (${peer.library})`, met: speedup >= 5 });
    }
  }
  const heap = view.output.heap.find((h) => h.library === "syncio");
  if (heap !== undefined) checks.push({ target: "heap ≤ 400 B per queued waiter", measured: `${heap.bytesPerWaiter.toFixed(0)} B`, met: heap.bytesPerWaiter <= 400 });
  ratioCheck("scaling.abort.100k", limit.abort);
  const scale = (big: string, small: string, what: string) => {
    const a = find(view, big, "syncio");
    const b = find(view, small, "syncio");
    if (a === undefined || b === undefined) return;
    const value = a.nsPerOp / b.nsPerOp;
    checks.push({ target: `${what}: per-waiter time at 100k ≤ 1.5 × at 1k`, measured: x(value), met: value <= 1.5 });
  };
  scale("scaling.abort.100k", "scaling.abort.1k", "abort O(1)");
  scale("scaling.drain.100k", "scaling.drain.1k", "drain linear");
  return checks;
}
