/** What a runtime's suite process hands back to `main.js`: progress lines on stderr, then its output file. */
import type { SetOutput } from "./sets.js";

export interface SuiteOutput {
  runtime: string;
  version: string;
  syncio: string;
  rounds: number;
  quick: boolean;
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
  sets: SetOutput[];
}

/** What the suite tells its parent, one JSON object per `@progress` line on stderr. */
export interface ProgressMessage {
  runtime: string;
  /** `warmup`, `round` (with `round` from 1) or `heap`. */
  phase: "warmup" | "round" | "heap";
  round: number;
  rounds: number;
  caseId: string;
  library: string;
  /** Steps (an entry's warm-up or one of its rounds) done, of `total`. */
  index: number;
  total: number;
  /** Nominal milliseconds done and in all (time budgets, not counting batches that run over). */
  budgetDone: number;
  budgetTotal: number;
  /** Seconds since the suite started. */
  elapsed: number;
}

export const PROGRESS_PREFIX = "@progress ";
