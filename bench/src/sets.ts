/**
 * A set of cases with the floors they are divided by: the unit the suite runs, the report
 * tabulates and the chart plots. The core primitives are one set (`core-set.ts`); another
 * package's cases (workers, Redis) plug in as another set with floors of their own (an
 * `Atomics.waitAsync` ping-pong, a Redis round trip) by adding it to {@link SETS}.
 */
import type { Entry, EntryResult } from "./harness.js";
import type { FloorKind } from "./floors.js";
import type { RuntimeName, Syncio } from "./syncio.js";

/** One row of a set's table. */
export interface CaseInfo {
  /** Unique across sets, e.g. `lock.contended.16`. */
  id: string;
  title: string;
  /** What one operation is (the divisor). */
  unit: string;
  /** The id of the {@link FloorKind} (of this set) its time is divided by. */
  floor: string;
}

/** What a set's entries are built from. */
export interface SetContext {
  syncio: Syncio;
  runtime: RuntimeName;
  /** 1 in a full run; `--quick` makes every count small (a check that everything runs, not a measurement). */
  scale: number;
}

/** Bytes each queued waiter keeps alive, per library (core's heap table). */
export interface HeapResult {
  library: string;
  bytesPerWaiter: number;
  /** Each repetition's bytes per waiter. */
  samples: number[];
}

/** One set's part of a runtime's output. */
export interface SetOutput {
  id: string;
  results: EntryResult[];
  heap: HeapResult[];
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** A set's results on one runtime, with what the report and the targets ask of them. */
export interface SetView {
  set: CaseSet;
  runtime: RuntimeName;
  output: SetOutput;
}

export interface CaseSet {
  /** Short id, e.g. `core`, `workers`, `redis`. */
  id: string;
  /** Heading in RESULTS.md and the chart. */
  title: string;
  floors: readonly FloorKind[];
  cases: readonly CaseInfo[];
  /** Libraries other than syncio, in column order. */
  peers: readonly string[];
  /** Runtimes it runs on (default: all). */
  runtimes?: readonly RuntimeName[];
  /** Case ids shown in the README's headline table. */
  headline?: readonly string[];
  /** Every library's entries of every case (the floors' entries are added by the suite). */
  entries(context: SetContext): Promise<Entry[]>;
  /** Measured after the rounds (core: heap per queued waiter). */
  heap?(context: SetContext): Promise<HeapResult[]>;
  /** The set's targets, checked on one runtime's results. */
  targets?(view: SetView): TargetCheck[];
}

/** Every set `pnpm bench` runs, in report order. */
export async function loadSets(): Promise<CaseSet[]> {
  const { coreSet } = await import("./core-set.js");
  return [coreSet];
}
