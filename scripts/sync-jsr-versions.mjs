#!/usr/bin/env node
// After `changeset version` (which bumps package.json only): copies each JSR package's npm
// version into its jsr.json / deno.json, and pins the deno adapter's jsr:@syncio/core import to
// that same version (the adapters and core are one fixed group). Part of `pnpm version-packages`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const coreVersion = JSON.parse(readFileSync(join(root, "packages/core/package.json"), "utf8")).version;

for (const dir of ["packages/core", "packages/deno"]) {
  const { version } = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
  for (const name of ["jsr.json", "deno.json"]) {
    const path = join(root, dir, name);
    if (!existsSync(path)) continue;
    const config = JSON.parse(readFileSync(path, "utf8"));
    if (typeof config.name !== "string" || !config.name.startsWith("@syncio/")) continue;
    config.version = version;
    for (const [specifier, target] of Object.entries(config.imports ?? {})) {
      if (String(target).startsWith("jsr:@syncio/core")) config.imports[specifier] = `jsr:@syncio/core@${coreVersion}`;
    }
    writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
    console.log(`${dir}/${name}: ${config.name}@${version}`);
  }
}
