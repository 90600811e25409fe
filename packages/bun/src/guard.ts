/** Throws unless this is Bun, told by its `Bun` global. */
export function assertBun(): void {
  const scope = globalThis as { Bun?: unknown; Deno?: unknown; process?: { versions?: { node?: string } } };
  if (scope.Bun !== undefined) return;
  if (scope.Deno !== undefined) throw new Error("@syncio/bun was imported on Deno: import @syncio/deno instead.");
  if (scope.process?.versions?.node !== undefined) throw new Error("@syncio/bun was imported on Node.js: import @syncio/node instead.");
  throw new Error("@syncio/bun was imported outside Bun: in a browser, import @syncio/core (it runs on web-standard globals).");
}
