// Every package a release publishes is in every part of the release: the changesets fixed group
// (one version for all), the package checks, the API docs, and JSR's config when it has one.
// "Published" is derived from the workspace (scripts/workspace.mjs): a new public package under
// packages/ that forgets any of these fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { publicPackages, jsrPackages, pinSyncioJsr } from "../workspace.mjs";
import { must, root } from "./harness.mjs";

const readJson = (path) => JSON.parse(readFileSync(join(root, path), "utf8"));
const published = publicPackages();
const names = published.map((pkg) => pkg.name);
const changesets = readJson(".changeset/config.json");

describe("the published packages", () => {
  test("are the workspace's public packages: every non-private package, all of them under packages/", () => {
    const listing = must("pnpm", ["ls", "-r", "--depth", "-1", "--json"], { seconds: 60 });
    const workspace = JSON.parse(listing.stdout).filter((pkg) => pkg.private !== true && pkg.path !== root.replace(/\/$/, ""));
    expect(workspace.map((pkg) => pkg.name).sort()).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(["@syncio/core", "@syncio/node", "@syncio/deno", "@syncio/bun"]));
  });

  test("are one changesets fixed group, so they always share a version", () => {
    const group = changesets.fixed.find((candidate) => candidate.includes("@syncio/core")) ?? [];
    const missing = names.filter((name) => !group.includes(name));
    expect(missing, `add ${missing.join(", ")} to "fixed" in .changeset/config.json`).toEqual([]);
    expect([...group].sort()).toEqual([...names].sort());
    expect(changesets.fixed).toHaveLength(1);
  });

  test("share one version now", () => {
    expect(new Set(published.map((pkg) => pkg.version)).size).toBe(1);
  });

  test("are published publicly (scoped packages are private on npm unless told)", () => {
    expect(changesets.access).toBe("public");
    for (const pkg of published) expect(pkg.manifest.publishConfig?.access ?? "public", pkg.name).toBe("public");
  });

  test("are each checked by scripts/check-packages.mjs (pack, publint, attw, smoke)", () => {
    const checks = readFileSync(join(root, "scripts/check-packages.mjs"), "utf8");
    const listed = (name) => new RegExp(`name:\\s*["']${name.replace(/[/.@-]/g, "\\$&")}["']`).test(checks);
    const missing = published.filter((pkg) => !listed(pkg.name)).map((pkg) => pkg.name);
    expect(missing, `add ${missing.join(", ")} to the packages in scripts/check-packages.mjs`).toEqual([]);
  });

  test("each have their entry points in the API docs (typedoc.json)", () => {
    const entryPoints = readJson("typedoc.json").entryPoints;
    const missing = published.filter((pkg) => !entryPoints.some((entry) => entry.startsWith(`${pkg.dir}/`))).map((pkg) => pkg.name);
    expect(missing, `add ${missing.join(", ")} to entryPoints in typedoc.json`).toEqual([]);
  });

  test("are the only packages changesets releases: apps and bench are private and never versioned", () => {
    expect(changesets.privatePackages).toEqual({ version: false, tag: false });
    for (const name of changesets.ignore) expect(names).not.toContain(name);
  });
});

describe("the JSR packages (those with a jsr.json)", () => {
  const versions = Object.fromEntries(published.map((pkg) => [pkg.name, pkg.version]));

  test("include @syncio/core and @syncio/deno", () => {
    expect(jsrPackages().map((pkg) => pkg.name)).toEqual(expect.arrayContaining(["@syncio/core", "@syncio/deno"]));
  });

  test.each(jsrPackages().map((pkg) => [pkg.name, pkg]))("%s: jsr.json has the npm name and version, and pins @syncio imports to it", (name, pkg) => {
    expect(pkg.jsr.name).toBe(name);
    expect(pkg.jsr.version).toBe(pkg.version);
    for (const target of Object.values(pkg.jsr.imports ?? {})) expect(target).toBe(pinSyncioJsr(target, versions));
  });
});

describe("pinSyncioJsr (what sync-jsr-versions writes)", () => {
  const versions = { "@syncio/core": "1.2.3" };
  test("pins a @syncio package's import to its version, keeping a subpath", () => {
    expect(pinSyncioJsr("jsr:@syncio/core@0.0.0", versions)).toBe("jsr:@syncio/core@1.2.3");
    expect(pinSyncioJsr("jsr:@syncio/core", versions)).toBe("jsr:@syncio/core@1.2.3");
    expect(pinSyncioJsr("jsr:@syncio/core@^0.1/internal", versions)).toBe("jsr:@syncio/core@1.2.3/internal");
  });
  test("leaves anything else alone", () => {
    expect(pinSyncioJsr("npm:redis@^5", versions)).toBe("npm:redis@^5");
    expect(pinSyncioJsr("jsr:@std/assert@1", versions)).toBe("jsr:@std/assert@1");
    expect(pinSyncioJsr("jsr:@syncio/unknown@0.0.0", versions)).toBe("jsr:@syncio/unknown@0.0.0");
  });
});
