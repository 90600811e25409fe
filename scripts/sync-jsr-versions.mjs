#!/usr/bin/env node
// After `changeset version` (which bumps package.json only): copies each JSR package's npm
// version into its jsr.json (and into its deno.json when that one names the package), and pins
// every `jsr:@syncio/<name>` import to that package's version, subpath kept (the published
// packages are one fixed group, so these are all the same version). A JSR package is any
// published package with a jsr.json (scripts/workspace.mjs). Part of `pnpm version-packages`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsrPackages, pinSyncioJsr, publicPackages } from "./workspace.mjs";

const versions = Object.fromEntries(publicPackages().map((pkg) => [pkg.name, pkg.version]));

for (const pkg of jsrPackages()) {
  for (const name of ["jsr.json", "deno.json"]) {
    const path = join(pkg.path, name);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    const config = JSON.parse(text);
    if (name === "deno.json" && config.name !== pkg.name) continue; // a deno.json that only serves `deno check`
    // Edits the two kinds of value in place, so the file keeps its layout; the result is checked
    // against the same edits made on the parsed object, and rewritten whole if they differ.
    config.version = pkg.version;
    for (const [specifier, target] of Object.entries(config.imports ?? {})) config.imports[specifier] = pinSyncioJsr(target, versions);
    let edited = text
      .replace(/("version"\s*:\s*)"[^"]*"/, (_, key) => `${key}${JSON.stringify(pkg.version)}`)
      .replace(/"(jsr:@syncio\/[^"]*)"/g, (_, target) => JSON.stringify(pinSyncioJsr(target, versions)));
    if (JSON.stringify(JSON.parse(edited)) !== JSON.stringify(config)) edited = `${JSON.stringify(config, null, 2)}\n`;
    if (edited !== text) writeFileSync(path, edited);
    console.log(`${pkg.dir}/${name}: ${config.name}@${pkg.version}`);
  }
}
