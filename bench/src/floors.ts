/**
 * The runtime's floors, measured in the same process as the cases: what the cheapest hand-written
 * code pays for one await (hop), one hand-over of control to a parked async function (wake),
 * and one abort reaching a parked promise (abort).
 */
import { startClock, type Entry, type Sample } from "./harness.js";

/** One `await` of a promise that is already resolved. */
async function hop(ops: number): Promise<Sample> {
  const resolved = Promise.resolve(1);
  let count = 0;
  const clock = startClock();
  for (let i = 0; i < ops; i++) count += await resolved;
  return clock.stop(count);
}

/**
 * Two async functions hand control to each other through resolvers: each parks on a fresh
 * promise, resolves the other's, and awaits — one promise, one resolve, one resume per wake.
 */
async function wake(ops: number): Promise<Sample> {
  let parked: ((value: number) => void) | null = null;
  let wakes = 0;
  async function player(): Promise<void> {
    while (wakes < ops) {
      const other = parked;
      const mine = new Promise<number>((resolve) => {
        parked = resolve;
      });
      if (other !== null) other(1);
      wakes += await mine;
    }
    const other = parked;
    parked = null;
    other?.(1);
  }
  const clock = startClock();
  await Promise.all([player(), player()]);
  // The last wake only lets the other player see the loop is over.
  return clock.stop(Math.min(wakes, ops));
}

/** `AbortController.abort()` rejecting one parked promise through its abort listener. */
async function abort(ops: number): Promise<Sample> {
  const controllers: AbortController[] = [];
  const reason = new Error("aborted");
  let rejected = 0;
  const onRejected = (error: unknown) => {
    if (error === reason) rejected++;
  };
  for (let i = 0; i < ops; i++) {
    const controller = new AbortController();
    const signal = controller.signal;
    new Promise((_resolve, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    }).catch(onRejected);
    controllers.push(controller);
  }
  const clock = startClock();
  for (let i = 0; i < ops; i++) controllers[i]!.abort(reason);
  await null; // runs after every rejection handler queued above
  return clock.stop(rejected);
}

export const FLOOR_OPS = { hop: 20_000, wake: 20_000, abort: 5_000 } as const;

export function floorEntries(): Entry[] {
  return [
    { caseId: "floor.hop", library: "floor", ops: FLOOR_OPS.hop, expected: FLOOR_OPS.hop, batch: () => hop(FLOOR_OPS.hop) },
    { caseId: "floor.wake", library: "floor", ops: FLOOR_OPS.wake, expected: FLOOR_OPS.wake, batch: () => wake(FLOOR_OPS.wake) },
    { caseId: "floor.abort", library: "floor", ops: FLOOR_OPS.abort, expected: FLOOR_OPS.abort, batch: () => abort(FLOOR_OPS.abort) },
  ];
}
