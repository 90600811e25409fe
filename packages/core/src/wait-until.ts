import { getRuntime } from "./runtime.js";
import type { WaitOptions } from "./waiter-queue.js";

/**
 * @internal The loop of `waitFor()`, shared by the conditions built on core: checks `predicate()`
 * now and after each `waitOnce()` (one notification, the lock held again), which gets `options`
 * with the timeout left of the whole call.
 */
export async function waitUntil<R>(
  predicate: () => R,
  options: WaitOptions | undefined,
  waitOnce: (options: WaitOptions | undefined) => Promise<unknown>,
): Promise<Exclude<R, false | 0 | "" | null | undefined | 0n>> {
  const timeout = options?.timeout;
  const deadline = timeout === undefined || timeout === Infinity ? undefined : getRuntime().now() + timeout;
  let result = predicate();
  while (!result) {
    const left = deadline === undefined ? undefined : Math.max(0, deadline - getRuntime().now());
    await waitOnce(left === undefined ? options : { signal: options?.signal, timeout: left });
    result = predicate();
  }
  return result as Exclude<R, false | 0 | "" | null | undefined | 0n>;
}
