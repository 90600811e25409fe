/**
 * Wall-clock timers for what Redis's clock decides (heartbeats, lease deadlines, re-checks): they
 * must run in real time even while a test drives syncio's runtime with a virtual clock, and they
 * never keep the process alive on their own. The caller's `{ timeout }` goes through the installed
 * syncio runtime instead (see waiting.ts).
 */

/** Milliseconds on a monotonic clock. */
export const monotonic = (): number => performance.now();

/** A cancellable one-shot real-time timer that does not hold the process open. */
export function realTimer(callback: () => void, ms: number): () => void {
  const handle = setTimeout(callback, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
  const deno = (globalThis as { Deno?: { unrefTimer?(id: number): void } }).Deno;
  if (typeof handle === "number") deno?.unrefTimer?.(handle);
  else (handle as { unref?: () => void }).unref?.();
  return () => clearTimeout(handle);
}
