// What a release ships, derived from the workspace rather than listed by hand: every package under
// packages/ whose package.json is not private is published to npm, and each of those that has a
// jsr.json is also published to JSR. A new package joins by existing; the release checks in
// `pnpm test` (scripts/release) then insist that it also joins the changesets `fixed` group.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("..", import.meta.url).pathname;

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/**
 * The published packages, in directory order: `{ name, version, dir, path, manifest, jsr }`,
 * where `dir` is relative to the repo root ("packages/core"), `path` absolute, and `jsr` the parsed
 * jsr.json or `undefined`.
 */
export function publicPackages(base = root) {
  const packagesDir = join(base, "packages");
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, "package.json")))
    .map((entry) => {
      const dir = `packages/${entry.name}`;
      const path = join(base, dir);
      const manifest = readJson(join(path, "package.json"));
      const jsr = existsSync(join(path, "jsr.json")) ? readJson(join(path, "jsr.json")) : undefined;
      return { name: manifest.name, version: manifest.version, dir, path, manifest, jsr };
    })
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The published packages that also go to JSR (those with a jsr.json). */
export function jsrPackages(base = root) {
  return publicPackages(base).filter((pkg) => pkg.jsr !== undefined);
}

/**
 * Rewrites a `jsr:@syncio/<name>[@range][/subpath]` import target to pin `versions[name]`, keeping
 * the subpath; any other target comes back unchanged.
 */
export function pinSyncioJsr(target, versions) {
  const match = /^jsr:(@syncio\/[^@/]+)(?:@[^/]*)?(\/.*)?$/.exec(String(target));
  if (match === null || versions[match[1]] === undefined) return target;
  return `jsr:${match[1]}@${versions[match[1]]}${match[2] ?? ""}`;
}
