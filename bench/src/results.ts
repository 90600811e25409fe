/** Looking things up in one set's results on one runtime: entries, floors, ratios, and the floor rule. */
import type { EntryResult } from "./harness.js";
import type { SetView } from "./sets.js";

export function find(view: SetView, caseId: string, library: string): EntryResult | undefined {
  return view.output.results.find((result) => result.caseId === caseId && result.library === library);
}

/** Every measured form of a floor kind, cheapest (fastest round) first, reference forms included (flagged). */
export function floorForms(view: SetView, kind: string): EntryResult[] {
  return view.output.results.filter((result) => result.caseId === `floor.${kind}`).sort((a, b) => fastestRound(a) - fastestRound(b));
}

/** The fastest of a result's rounds (each round's value is the median of its batches). */
export function fastestRound(result: EntryResult): number {
  return Math.min(...result.rounds);
}

/**
 * The floor a kind's cases are divided by: the least this work was seen to cost in this run,
 * i.e. the fastest round of its cheapest form (reference forms never count). Load on the machine
 * only ever adds time, so a floor's least cost is its best estimate; a case keeps its median.
 */
export function floorCost(view: SetView, kind: string): { nsPerOp: number; form: string } | undefined {
  let best: EntryResult | undefined;
  for (const result of floorForms(view, kind)) {
    if (result.reference !== true && (best === undefined || fastestRound(result) < fastestRound(best))) best = result;
  }
  return best === undefined ? undefined : { nsPerOp: fastestRound(best), form: formName(best) };
}

/** `two-slots-closure` from the library column `floor:two-slots-closure`. */
export function formName(result: EntryResult): string {
  return result.library.replace(/^floor:/, "");
}

/** `library`'s time in `caseId` over the case's floor (syncio's by default). */
export function ratio(view: SetView, caseId: string, library = "syncio"): number | undefined {
  const info = view.set.cases.find((c) => c.id === caseId);
  const result = find(view, caseId, library);
  if (info === undefined || result === undefined) return undefined;
  const floor = floorCost(view, info.floor);
  return floor === undefined ? undefined : result.nsPerOp / floor.nsPerOp;
}

export function peerResults(view: SetView, caseId: string, only?: ReadonlySet<string>): EntryResult[] {
  return view.output.results
    .filter((r) => r.caseId === caseId && r.library !== "syncio" && !r.caseId.startsWith("floor.") && (only === undefined || only.has(r.library)))
    .sort((a, b) => a.nsPerOp - b.nsPerOp);
}

export function fastestPeer(view: SetView, caseId: string, only?: ReadonlySet<string>): EntryResult | undefined {
  return peerResults(view, caseId, only)[0];
}

/**
 * The floor rule: a floor is the cheapest code that does its kind of work, so an entry of any
 * library measuring below its case's floor means the floor is wrong. Returns one message per
 * such entry (and per case whose floor was not measured); the run fails on any. `tolerance` < 1
 * only for the quick check, whose one tiny round on a busy machine is noise, not a measurement:
 * there it still catches a floor that is wrong by a wide margin.
 */
export function floorViolations(view: SetView, tolerance = 1): string[] {
  const messages: string[] = [];
  for (const info of view.set.cases) {
    const entries = view.output.results.filter((r) => r.caseId === info.id);
    if (entries.length === 0) continue;
    const floor = floorCost(view, info.floor);
    if (floor === undefined) {
      messages.push(`${view.runtime}: case ${info.id} is divided by floor "${info.floor}", which was not measured`);
      continue;
    }
    for (const entry of entries) {
      if (entry.nsPerOp < floor.nsPerOp * tolerance) {
        messages.push(
          `${view.runtime}: case ${info.id} (${entry.library}) measured ${entry.nsPerOp.toFixed(1)} ns per ${info.unit}, below its floor "${info.floor}" ` +
            `(${floor.nsPerOp.toFixed(1)} ns, form ${floor.form}): that floor is not the cheapest code for this work`,
        );
      }
    }
  }
  return messages;
}
