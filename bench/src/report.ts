/** Markdown for RESULTS.md and the console: one table per runtime, floors, heap, targets. */
import { CASES } from "./cases.js";
import type { SuiteOutput } from "./suite.js";
import { checkTargets, find, floorOf, ratio } from "./targets.js";

export interface PythonOutput {
  version: string;
  seconds: number;
  results: Array<{ caseId: string; nsPerOp: number; spread: number; ops: number }>;
}

export const PEERS = ["async-mutex", "async-sema", "p-limit", "p-queue", "@esfx/async-*", "effect"] as const;

const ns = (value: number | undefined) => (value === undefined ? "–" : value >= 10_000 ? `${(value / 1000).toFixed(1)} µs` : `${value.toFixed(value < 100 ? 1 : 0)} ns`);
const pct = (value: number) => `±${((value * 100) / 2).toFixed(0)}%`;

function row(cells: Array<string | number>): string {
  return `| ${cells.join(" | ")} |`;
}

export function runtimeSection(output: SuiteOutput, python?: PythonOutput): string {
  const lines: string[] = [];
  lines.push(`### ${output.runtime} ${output.version}`);
  lines.push("");
  lines.push(`syncio loaded from \`${output.syncio}\`; ${output.rounds} interleaved rounds; ${output.seconds.toFixed(0)} s; load average ${output.loadBefore.map((l) => l.toFixed(1)).join(" ")} before, ${output.loadAfter.map((l) => l.toFixed(1)).join(" ")} after.`);
  lines.push("");
  lines.push(`Floors: hop ${ns(floorOf(output, "hop"))}, wake ${ns(floorOf(output, "wake"))}, abort ${ns(floorOf(output, "abort"))} (CPU time per operation, median over rounds).`);
  lines.push("");
  const header = ["case", "per", "syncio", "× floor", "spread", "wall", ...PEERS];
  if (python !== undefined) header.push(`asyncio (py ${python.version})`);
  lines.push(row(header));
  lines.push(row(header.map(() => "---")));
  for (const info of CASES) {
    const mine = find(output, info.id, "syncio");
    if (mine === undefined) continue;
    const r = ratio(output, info.id)!;
    const cells = [info.title, info.unit, ns(mine.nsPerOp), `${r.toFixed(2)} × ${info.floor}`, pct(mine.spread), ns(mine.wallNsPerOp)];
    for (const peer of PEERS) {
      const theirs = find(output, info.id, peer);
      cells.push(theirs === undefined ? "–" : `${ns(theirs.nsPerOp)}${theirs.ops !== mine.ops ? ` (${theirs.ops / 1000}k)` : ""}`);
    }
    if (python !== undefined) cells.push(ns(python.results.find((p) => p.caseId === info.id)?.nsPerOp));
    lines.push(row(cells));
  }
  lines.push("");
  lines.push(row(["heap per queued waiter (no signal, caller's promise included)", ...output.heap.map((h) => h.library)]));
  lines.push(row(["---", ...output.heap.map(() => "---")]));
  lines.push(row(["bytes after full GC, 100k waiters", ...output.heap.map((h) => `${h.bytesPerWaiter.toFixed(0)} B`)]));
  lines.push("");
  const checks = checkTargets(output);
  lines.push(`Targets on ${output.runtime}: ${checks.filter((c) => c.met).length} of ${checks.length} met.`);
  lines.push("");
  lines.push(row(["target", "measured", "met"]));
  lines.push(row(["---", "---", "---"]));
  for (const check of checks) lines.push(row([check.target, check.measured, check.met ? "yes" : "**no**"]));
  lines.push("");
  return lines.join("\n");
}

/** The few rows worth a README: contended lock, queue, scaling, per runtime. */
export function headline(outputs: readonly SuiteOutput[]): string {
  const ids = ["lock.uncontended", "lock.contended.16", "semaphore.4x64", "queue.bounded", "queue.unbounded", "scaling.abort.100k"];
  const lines = [row(["case (CPU time per op)", ...outputs.map((o) => `${o.runtime}: syncio (× floor)`), ...outputs.map((o) => `${o.runtime}: fastest peer`)])];
  lines.push(row(["---", ...outputs.map(() => "---"), ...outputs.map(() => "---")]));
  for (const id of ids) {
    const info = CASES.find((c) => c.id === id)!;
    const cells: string[] = [info.title];
    for (const o of outputs) {
      const mine = find(o, id, "syncio");
      cells.push(mine === undefined ? "–" : `${ns(mine.nsPerOp)} (${ratio(o, id)!.toFixed(2)}×)`);
    }
    for (const o of outputs) {
      const peers = o.results.filter((r) => r.caseId === id && r.library !== "syncio" && r.library !== "floor").sort((a, b) => a.nsPerOp - b.nsPerOp);
      cells.push(peers[0] === undefined ? "–" : `${ns(peers[0].nsPerOp)} ${peers[0].library}`);
    }
    lines.push(row(cells));
  }
  return lines.join("\n");
}
