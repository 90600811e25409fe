/** Markdown for RESULTS.md and the README: floors, one table per set per runtime, heap, targets. */
import { fastestPeer, fastestRound, find, floorCost, floorForms, formName, ratio } from "./results.js";
import type { CaseSet, SetView } from "./sets.js";
import type { SuiteOutput } from "./protocol.js";

export interface PythonOutput {
  version: string;
  seconds: number;
  results: Array<{ caseId: string; nsPerOp: number; spread: number; ops: number }>;
}

export const ns = (value: number | undefined) =>
  value === undefined ? "–" : value >= 10_000 ? `${(value / 1000).toFixed(1)} µs` : `${value.toFixed(value < 100 ? 1 : 0)} ns`;
const pct = (value: number) => `±${((value * 100) / 2).toFixed(0)}%`;

function row(cells: ReadonlyArray<string | number>): string {
  return `| ${cells.join(" | ")} |`;
}

function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string[] {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}

/** Every set's results on one runtime. */
export function viewsOf(output: SuiteOutput, sets: readonly CaseSet[]): SetView[] {
  return output.sets.flatMap((setOutput) => {
    const set = sets.find((s) => s.id === setOutput.id);
    return set === undefined ? [] : [{ set, runtime: output.runtime as SetView["runtime"], output: setOutput }];
  });
}

/** How each floor kind is written, every form, and what each cost on each runtime; the kept one in bold. */
export function floorsSection(outputs: readonly SuiteOutput[], sets: readonly CaseSet[]): string {
  const lines: string[] = [];
  for (const set of sets) {
    const views = outputs.flatMap((output) => viewsOf(output, [set]));
    if (views.length === 0) continue;
    if (sets.length > 1) lines.push(`### ${set.title}`, "");
    const rows: string[][] = [];
    for (const kind of set.floors) {
      for (const form of kind.forms) {
        const cells = [`${kind.id}`, `\`${form.id}\`${form.reference === true ? " (reference)" : ""}`, form.description];
        for (const view of views) {
          const result = find(view, `floor.${kind.id}`, `floor:${form.id}`);
          const kept = floorCost(view, kind.id)?.form === form.id;
          const cost = result === undefined ? "–" : `${ns(fastestRound(result))} (${ns(result.nsPerOp)})`;
          cells.push(kept ? `**${cost}** kept` : cost);
        }
        rows.push(cells);
      }
    }
    lines.push(...table(["floor", "form", "how it is written", ...views.map((v) => `${v.runtime}: fastest round (median)`)], rows), "");
    lines.push(...set.floors.map((kind) => `- **${kind.id}**: ${kind.what}.`), "");
  }
  return lines.join("\n");
}

/** One runtime: its floors, every set's table, heap, targets. */
export function runtimeSection(output: SuiteOutput, sets: readonly CaseSet[], python?: PythonOutput): string {
  const lines: string[] = [];
  lines.push(`### ${output.runtime} ${output.version}`, "");
  lines.push(
    `syncio loaded from \`${output.syncio}\`; ${output.rounds} interleaved rounds; ${output.seconds.toFixed(0)} s; load average ${output.loadBefore.map((l) => l.toFixed(1)).join(" ")} before, ${output.loadAfter.map((l) => l.toFixed(1)).join(" ")} after.`,
    "",
  );
  for (const view of viewsOf(output, sets)) {
    const { set } = view;
    if (sets.length > 1) lines.push(`#### ${set.title}`, "");
    const floors = set.floors.map((kind) => {
      const floor = floorCost(view, kind.id);
      return floor === undefined ? `${kind.id} –` : `${kind.id} ${ns(floor.nsPerOp)} (\`${floor.form}\`)`;
    });
    lines.push(`Floors kept: ${floors.join(", ")}.`, "");
    const header = ["case", "per", "syncio", "× floor", "spread", "wall", ...set.peers];
    const withPython = python !== undefined && set.id === "core";
    if (withPython) header.push(`asyncio (py ${python.version})`);
    const rows: string[][] = [];
    for (const info of set.cases) {
      const mine = find(view, info.id, "syncio");
      if (mine === undefined) continue;
      const r = ratio(view, info.id);
      const cells = [info.title, info.unit, ns(mine.nsPerOp), r === undefined ? "–" : `${r.toFixed(2)} × ${info.floor}`, pct(mine.spread), ns(mine.wallNsPerOp)];
      for (const peer of set.peers) {
        const theirs = find(view, info.id, peer);
        cells.push(theirs === undefined ? "–" : `${ns(theirs.nsPerOp)}${theirs.ops !== mine.ops ? ` (${theirs.ops / 1000}k)` : ""}`);
      }
      if (withPython) cells.push(ns(python.results.find((p) => p.caseId === info.id)?.nsPerOp));
      rows.push(cells);
    }
    lines.push(...table(header, rows), "");
    if (view.output.heap.length > 0) {
      lines.push(
        ...table(
          ["heap per queued waiter (no signal, caller's promise included)", ...view.output.heap.map((h) => h.library)],
          [["bytes after full GC, 100k waiters", ...view.output.heap.map((h) => `${h.bytesPerWaiter.toFixed(0)} B`)]],
        ),
        "",
      );
    }
    const checks = set.targets?.(view) ?? [];
    if (checks.length > 0) {
      lines.push(`Targets on ${output.runtime}: ${checks.filter((c) => c.met).length} of ${checks.length} met.`, "");
      lines.push(...table(["target", "measured", "met"], checks.map((check) => [check.target, check.measured, check.met ? "yes" : "**no**"])), "");
    }
  }
  return lines.join("\n");
}

/** The few rows worth a README, per runtime: syncio with its ratio, and the fastest peer. */
export function headline(outputs: readonly SuiteOutput[], sets: readonly CaseSet[]): string {
  const lines = [row(["case (CPU time per op)", ...outputs.map((o) => `${o.runtime}: syncio (× floor)`), ...outputs.map((o) => `${o.runtime}: fastest peer`)])];
  lines.push(row(["---", ...outputs.map(() => "---"), ...outputs.map(() => "---")]));
  for (const set of sets) {
    const views = outputs.map((output) => viewsOf(output, [set])[0]);
    for (const id of set.headline ?? []) {
      const info = set.cases.find((c) => c.id === id)!;
      const cells: string[] = [info.title];
      for (const view of views) {
        const mine = view && find(view, id, "syncio");
        cells.push(view === undefined || mine === undefined ? "–" : `${ns(mine.nsPerOp)} (${ratio(view, id)!.toFixed(2)}× ${info.floor})`);
      }
      for (const view of views) {
        const peer = view && fastestPeer(view, id);
        cells.push(peer === undefined ? "–" : `${ns(peer.nsPerOp)} ${peer.library}`);
      }
      lines.push(row(cells));
    }
  }
  return lines.join("\n");
}

/** Every floor form's cost on one runtime, one line per kind: fastest round (median). */
export function floorSummary(view: SetView): string[] {
  return view.set.floors.map((kind) => {
    const forms = floorForms(view, kind.id).map((r) => `${formName(r)}${r.reference === true ? " (ref)" : ""} ${ns(fastestRound(r))} (${ns(r.nsPerOp)})`);
    return `${view.runtime} ${kind.id}: ${forms.join(", ")}`;
  });
}
