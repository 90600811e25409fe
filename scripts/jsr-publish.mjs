#!/usr/bin/env node
// Publishes every published package that has a jsr.json (scripts/workspace.mjs: today
// @syncio/core and @syncio/deno) to JSR as one Deno workspace, so that a package's
// `jsr:@syncio/core` import resolves to the core being published (also offline, for a dry run).
// Each package's JSR fields live in its jsr.json (name, version, exports, publish, and for the
// adapter the import map that points @syncio/core at jsr:@syncio/core); they are merged over its
// deno.json, if any, into a staging copy, because the repo's own deno.json files serve `deno
// check` against node_modules and must not send it to JSR.
//
//   node scripts/jsr-publish.mjs --dry-run    what CI runs (via check-packages.mjs)
//   node scripts/jsr-publish.mjs              the real publish (needs JSR auth: GitHub OIDC in
//                                             .github/workflows/release.yml); versions already on
//                                             JSR are skipped, so a re-run publishes what is missing
// Any further arguments go to `deno publish`.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsrPackages, root } from "./workspace.mjs";

const members = jsrPackages().map((pkg) => pkg.dir);
/** Fields Deno accepts only at a workspace's root. */
const rootOnly = ["nodeModulesDir", "unstable", "workspace", "vendor", "lock"];
const staging = mkdtempSync(join(tmpdir(), "syncio-jsr-"));

try {
  for (const dir of members) {
    const source = join(root, dir);
    const target = join(staging, dir);
    mkdirSync(target, { recursive: true });
    const read = (name) => (existsSync(join(source, name)) ? JSON.parse(readFileSync(join(source, name), "utf8")) : {});
    const config = { ...read("deno.json"), ...read("jsr.json") };
    for (const field of [...rootOnly, "$schema"]) delete config[field];
    writeFileSync(join(target, "deno.json"), `${JSON.stringify(config, null, 2)}\n`);
    for (const entry of ["src", "README.md", "LICENSE"]) {
      if (existsSync(join(source, entry))) cpSync(join(source, entry), join(target, entry), { recursive: true });
    }
  }
  // The sources import siblings as "./x.js" (for tsc and tsup); Deno maps those to the .ts files
  // with sloppy imports, and `deno publish` rewrites them in what it uploads.
  writeFileSync(join(staging, "deno.json"), `${JSON.stringify({ workspace: members.map((dir) => `./${dir}`), unstable: ["sloppy-imports"] }, null, 2)}\n`);
  const deno = join(root, "node_modules", ".bin", "deno");
  const result = spawnSync(deno, ["publish", "--allow-dirty", ...process.argv.slice(2)], { cwd: staging, stdio: "inherit", timeout: 300_000, killSignal: "SIGKILL" });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(staging, { recursive: true, force: true });
}
