/**
 * Every error syncio throws or rejects with, and the helpers that word argument errors.
 * Argument errors name the call, the argument and the value; state errors name the
 * primitive and the mistake.
 */

/**
 * A wait ran out of time: a blocking call's `timeout` elapsed, or a {@link timeout} signal fired.
 * The equivalent of Python's `TimeoutError` raised by `asyncio.timeout()` / `asyncio.wait_for()`.
 */
export class TimeoutError extends Error {
  override name = "TimeoutError" as const;
}

/** `getNowait()` found the queue empty. asyncio: `asyncio.QueueEmpty`. */
export class QueueEmpty extends Error {
  override name = "QueueEmpty" as const;
}

/** `putNowait()` found the queue full. asyncio: `asyncio.QueueFull`. */
export class QueueFull extends Error {
  override name = "QueueFull" as const;
}

/** The queue was shut down: puts always fail, gets fail once it is drained. asyncio: `asyncio.QueueShutDown` (3.13). */
export class QueueShutDown extends Error {
  override name = "QueueShutDown" as const;
}

/** The barrier was reset or aborted while a caller waited in it, or is broken. asyncio: `asyncio.BrokenBarrierError`. */
export class BrokenBarrierError extends Error {
  override name = "BrokenBarrierError" as const;
}

/** Shows a value in an error message: strings quoted, everything else as written in code, with its type. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  const type = typeof value;
  if (type === "string") return `${JSON.stringify(value)} (string)`;
  if (type === "number" || type === "bigint" || type === "boolean") return `${String(value)} (${type})`;
  if (type === "function") return `a function (function)`;
  if (type === "symbol") return `${String(value)} (symbol)`;
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  return `an ${tag === "Object" ? "object" : tag} (object)`.replace(/^an ([^aeiou])/i, "a $1");
}

/** `TypeError` for an argument of the wrong type: ``Queue(): expected `maxsize` to be an integer, got "1" (string)``. */
export function typeError(where: string, argument: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${where}: expected \`${argument}\` to be ${expected}, got ${describeValue(value)}`);
}

/** `RangeError` for an argument of the right type but out of range. */
export function rangeError(where: string, argument: string, expected: string, value: unknown): RangeError {
  return new RangeError(`${where}: expected \`${argument}\` to be ${expected}, got ${describeValue(value)}`);
}

/** Checks an integer argument: a number (else `TypeError`), an integer ≥ `min` (else `RangeError`). */
export function checkInteger(where: string, argument: string, value: unknown, min: number): number {
  const expected = min === -Infinity ? "an integer" : `an integer ≥ ${min}`;
  if (typeof value !== "number") throw typeError(where, argument, expected, value);
  if (!Number.isInteger(value) || value < min) throw rangeError(where, argument, expected, value);
  return value;
}
