/** Throws unless this is Deno, told by its `Deno` global. */
export function assertDeno(): void {
  const scope = globalThis as { Bun?: unknown; Deno?: unknown; process?: { versions?: { node?: string } } };
  if (scope.Bun !== undefined) throw new Error("@syncio/deno was imported on Bun: import @syncio/bun instead.");
  if (scope.Deno !== undefined) return;
  if (scope.process?.versions?.node !== undefined) throw new Error("@syncio/deno was imported on Node.js: import @syncio/node instead.");
  throw new Error("@syncio/deno was imported outside Deno: in a browser, import @syncio/core (it runs on web-standard globals).");
}
