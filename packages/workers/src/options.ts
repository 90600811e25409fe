/** Construction options, the errors every primitive shares, and `from()`'s hand-over of a region. */
import { checkInteger, typeError } from "@syncio/core/internal";
import type { Region } from "./ticket-ring.js";

/** Slots per line when `waiters` is not given: lines without payload, and a queue's getters and putters. */
export const DEFAULT_WAITERS = 1024;
export const DEFAULT_QUEUE_WAITERS = 256;
/** The most slots a line may have (a larger ring is almost surely a mistake). */
const MAX_WAITERS = 1 << 20;

/** Options every primitive takes at construction. */
export interface SharedOptions {
  /**
   * How many callers, across all threads, may wait in it at once (rounded up to a power of two
   * ≥ 4; default 1024, a queue's getters and putters 256 each). One more is refused: its call
   * rejects with an `Error` saying so, and changes nothing.
   */
  waiters?: number | undefined;
}

/** Checks construction `options` whose keys must be among `keys`; returns them (or `{}`). */
export function checkOptions<T extends object>(where: string, options: T | undefined, keys: readonly string[]): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) throw typeError(where, "options", "an object or undefined", options);
  for (const key in options) {
    if (!keys.includes(key)) throw new TypeError(`${where}: unknown option \`${key}\`: the options are ${keys.map((k) => `\`${k}\``).join(", ")}`);
  }
  return options;
}

/** `options.waiters`, checked, or the default. */
export function waitersOption(where: string, waiters: unknown, fallback: number): number {
  if (waiters === undefined) return fallback;
  checkInteger(where, "options.waiters", waiters, 1);
  if ((waiters as number) > MAX_WAITERS) throw new RangeError(`${where}: expected \`options.waiters\` to be at most ${MAX_WAITERS}, got ${String(waiters)}`);
  return waiters as number;
}

/** The rejection of a call that found every waiter slot of its line held. */
export function linesFull(where: string, kind: string, slots: number): Promise<never> {
  return Promise.reject(new Error(`${where}: ${slots} callers already wait on this ${kind} across threads, as many as it has slots for; create it with a larger \`waiters\` option`));
}

let opening: Region | undefined;

/** Runs `make` (a constructor call) so that the constructor adopts `region` instead of creating one. */
export function adopt<T>(region: Region, make: () => T): T {
  opening = region;
  try {
    return make();
  } finally {
    opening = undefined;
  }
}

/** The region `adopt()` is handing to the constructor running now, if any. */
export function adopted(): Region | undefined {
  const region = opening;
  opening = undefined;
  return region;
}
