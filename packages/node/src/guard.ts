/** Throws unless this is Node.js. Bun and Deno define `process` too, so their own globals go first. */
export function assertNode(): void {
  const scope = globalThis as { Bun?: unknown; Deno?: unknown; process?: { versions?: { node?: string } } };
  if (scope.Bun !== undefined) throw new Error("@syncio/node was imported on Bun: import @syncio/bun instead.");
  if (scope.Deno !== undefined) throw new Error("@syncio/node was imported on Deno: import @syncio/deno instead.");
  if (scope.process?.versions?.node === undefined) {
    throw new Error("@syncio/node was imported outside Node.js: in a browser, import @syncio/core (it runs on web-standard globals).");
  }
}
