// A release, rehearsed in a scratch clone of the working tree with the commands
// .github/workflows/release.yml runs (read from the file, so a change there is what gets
// rehearsed), against a local npm registry (Verdaccio) instead of npmjs.org and with
// `deno publish --dry-run` instead of JSR:
//   1. a changeset for one package is merged, and the version job's command (`pnpm
//      version-packages`) makes the "Version Packages" commit;
//   2. `pnpm publish -r --dry-run` and the JSR dry run list exactly the public packages and the
//      JSR packages, at the new version;
//   3. the npm job's command (`pnpm release`) with the job's environment: refused without
//      GitHub's OIDC token (provenance is on), then, provenance off, published and tagged; the
//      tags pushed as the action does; a second run publishes nothing;
//   4. what was published installs from the registry and runs.
// What cannot run here (GitHub, npmjs.org, jsr.io, OIDC) is listed in CONTRIBUTING.md.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { jsrPackages, publicPackages } from "../workspace.mjs";
import { bump, findStep, must, pendingLevel, run, scratchClone, startRegistry, workflow } from "./harness.mjs";

const scratch = mkdtempSync(join(tmpdir(), "syncio-release-"));
const repo = join(scratch, "repo");
const release = workflow("release.yml");
const versionCommand = findStep(release.jobs.version, { uses: "changesets/action" }).with.version.split(/\s+/);
const publishStep = findStep(release.jobs.npm, { uses: "changesets/action" });
const publishCommand = publishStep.with.publish.split(/\s+/);
const jsrCommand = findStep(release.jobs.jsr, { runs: /jsr-publish/ }).run.trim().split(/\s+/);

/** Environment for commands in the scratch repo: CI as on GitHub, npm and changesets pointed at the local registry. */
let env = { CI: "true" };
let registry;
let before; // the public packages before the release
let expected; // the version they all get
let published; // the `pnpm release` run that published

/** `git` in the scratch repo. */
const git = (...args) => must("git", args, { cwd: repo }).stdout.trim();
const inRepo = (command, options = {}) => run(command[0], command.slice(1), { cwd: repo, seconds: 600, ...options, env: { ...env, ...options.env } });
const packages = () => publicPackages(repo);
const releaseTags = () => git("tag", "--list").split("\n").filter(Boolean).sort();
/** `name@version` for each of `pkgs` at `version`, sorted. */
const at = (pkgs, version) => pkgs.map((pkg) => `${pkg.name}@${version}`).sort();
/** What the registry has for a package: its packument, or undefined on 404. */
const fromRegistry = (name) => registry.packument(name);

beforeAll(async () => {
  scratchClone(repo);
  // The version job: install, then a merged changeset for one package, then the job's command.
  must("pnpm", ["install", "--offline", "--frozen-lockfile"], { cwd: repo, seconds: 600, env });
  before = packages();
  const only = before.at(-1).name;
  writeFileSync(join(repo, ".changeset/release-rehearsal.md"), `---\n"${only}": patch\n---\n\nRelease rehearsal: a changeset for ${only} alone.\n`);
  git("add", "-A");
  git("commit", "-q", "-m", "a changeset for one package");
  expected = bump(before[0].version, pendingLevel(repo, before.map((pkg) => pkg.name)));
  const versioned = inRepo(versionCommand);
  if (versioned.code !== 0) throw new Error(`${versionCommand.join(" ")} failed:\n${versioned.output}`);
  // The Version Packages pull request is merged; the npm job checks it out and installs with a
  // frozen lockfile (checked here without relinking what is installed already).
  git("add", "-A");
  git("commit", "-q", "-m", "Version Packages");
  must("pnpm", ["install", "--offline", "--frozen-lockfile", "--lockfile-only"], { cwd: repo, seconds: 600, env });
  // `pnpm release` builds before it publishes; built here once, the dry runs pack what it will.
  must("pnpm", ["exec", "turbo", "run", "build", "--filter=./packages/*", "--output-logs=errors-only"], { cwd: repo, seconds: 600, env });
  registry = await startRegistry(join(scratch, "registry"));
  env = { ...env, ...registry.env };
});

afterAll(async () => {
  await registry?.stop();
  if (process.env.SYNCIO_KEEP_SCRATCH) console.log(`scratch kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
});

describe(`the version job (${versionCommand.join(" ")}), after a changeset for one package`, () => {
  test("gives every public package, and only those, the one new version", () => {
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(packages().map((pkg) => `${pkg.name}@${pkg.version}`).sort()).toEqual(at(before, expected));
    expect(expected).not.toBe(before[0].version);
  });

  test("leaves the private packages (apps, bench) alone", () => {
    const changed = git("diff", "--name-only", "HEAD~1", "HEAD").split("\n");
    expect(changed.filter((path) => path.startsWith("apps/") || path.startsWith("bench/"))).toEqual([]);
  });

  test("changes only versions, changelogs, jsr.json files, and consumes the changesets", () => {
    const changed = git("diff", "--name-only", "HEAD~1", "HEAD").split("\n").filter(Boolean);
    const unexpected = changed.filter((path) => !/^packages\/[^/]+\/(package\.json|CHANGELOG\.md|jsr\.json)$/.test(path) && !/^\.changeset\/[^/]+\.md$/.test(path));
    expect(unexpected).toEqual([]);
    expect(readdirSync(join(repo, ".changeset")).sort()).toEqual(["README.md", "config.json"]);
  });

  test("writes each public package's changelog entry, which the action turns into its GitHub release", () => {
    for (const pkg of packages()) {
      const changelog = readFileSync(join(pkg.path, "CHANGELOG.md"), "utf8");
      const entry = changelog.split(/^## /m).find((section) => section.startsWith(`${expected}\n`));
      expect(entry, `${pkg.dir}/CHANGELOG.md has no "## ${expected}" section`).toBeDefined();
      if (pkg.name === before.at(-1).name) expect(entry).toContain(`Release rehearsal: a changeset for ${pkg.name} alone.`);
    }
  });

  test("keeps every jsr.json in step: the new version, and jsr:@syncio imports pinned to it", () => {
    const jsr = jsrPackages(repo);
    expect(jsr.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(["@syncio/core", "@syncio/deno"]));
    for (const pkg of jsr) {
      expect(pkg.jsr.version, pkg.name).toBe(expected);
      for (const target of Object.values(pkg.jsr.imports ?? {}).filter((value) => String(value).startsWith("jsr:@syncio/"))) {
        expect(target).toMatch(new RegExp(`^jsr:@syncio/[^@/]+@${expected.replace(/\./g, "\\.")}(/|$)`));
      }
    }
  });

  test("leaves a lockfile that the npm job's frozen install accepts, and that install changes nothing", () => {
    expect(git("status", "--porcelain")).toBe("");
  });
});

describe("the dry runs of the new version", () => {
  test("pnpm publish -r --dry-run lists exactly the public packages, at the new version", () => {
    const result = inRepo(["pnpm", "publish", "-r", "--dry-run", "--no-git-checks"]);
    expect(result.code, result.output).toBe(0);
    const listed = [...result.output.matchAll(/^\+ (@syncio\/\S+)$/gm)].map((match) => match[1]).sort();
    expect(listed).toEqual(at(before, expected));
  });

  test(`the JSR dry run (${jsrCommand.join(" ")} --dry-run) passes for exactly the JSR packages, at the same version`, () => {
    const result = inRepo([...jsrCommand, "--dry-run"]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Success.*Dry run complete/);
    const simulated = [...result.output.matchAll(/Simulating publish of (@syncio\/\S+) with files/g)].map((match) => match[1]).sort();
    expect(simulated, result.output).toEqual(at(jsrPackages(repo), expected));
  });
});

describe(`the npm job (${publishCommand.join(" ")}), against a local registry`, () => {
  test("with the job's NPM_CONFIG_PROVENANCE but no id-token permission, npm refuses: nothing is published or tagged", async () => {
    expect(publishStep.env.NPM_CONFIG_PROVENANCE).toBe("true");
    // GitHub Actions as npm sees it, without the OIDC request variables that `id-token: write` provides.
    const refused = inRepo(publishCommand, {
      env: { NPM_CONFIG_PROVENANCE: publishStep.env.NPM_CONFIG_PROVENANCE, GITHUB_ACTIONS: "true", ACTIONS_ID_TOKEN_REQUEST_URL: "", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "" },
    });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('Provenance generation in GitHub Actions requires "write" access to the "id-token" permission');
    for (const pkg of before) expect(await fromRegistry(pkg.name), pkg.name).toBeUndefined();
    expect(releaseTags()).toEqual([]);
  });

  test("publishes exactly the public packages at the new version, and tags each one as changesets does", async () => {
    published = inRepo(publishCommand, { env: { NPM_CONFIG_PROVENANCE: "false" } });
    expect(published.code, published.output).toBe(0);
    expect(releaseTags()).toEqual(at(before, expected));
    for (const pkg of before) {
      const packument = await fromRegistry(pkg.name);
      expect(Object.keys(packument?.versions ?? {}), pkg.name).toEqual([expected]);
      expect(packument["dist-tags"]).toEqual({ latest: expected });
    }
  });

  test("prints one 'New tag:' line per package, from which the action creates the GitHub releases", () => {
    // changesets/action reads `New tag: <name>@<version>` lines from the publish command's stdout.
    const tagged = [...published.stdout.matchAll(/New tag:\s+(@syncio\/[^@\s]+)@(\S+)/g)].map((match) => `${match[1]}@${match[2]}`).sort();
    expect(tagged).toEqual(at(before, expected));
  });

  test("publishes manifests whose @syncio dependencies are the new version (no workspace: ranges)", async () => {
    for (const pkg of before) {
      const manifest = (await fromRegistry(pkg.name)).versions[expected];
      for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
        if (name.startsWith("@syncio/")) expect(range, `${pkg.name} → ${name}`).toBe(expected);
        expect(String(range)).not.toMatch(/^workspace:/);
      }
    }
  });

  test("pushes the tags (as the action does), and a second run publishes and tags nothing", () => {
    git("push", "-q", "origin", "--tags");
    expect(git("ls-remote", "--tags", "--refs", "origin").split("\n").map((line) => line.replace(/^\S+\s+refs\/tags\//, "")).sort()).toEqual(at(before, expected));
    const again = inRepo(publishCommand, { env: { NPM_CONFIG_PROVENANCE: "false" } });
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("No unpublished projects to publish");
    expect(again.stdout).not.toMatch(/New tag:/);
    expect(releaseTags()).toEqual(at(before, expected));
  });
});

describe("what was published", () => {
  test("installs from the registry into a new project, and @syncio/node works under node", () => {
    const project = join(scratch, "consumer");
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const install = run("npm", ["install", "--no-audit", "--no-fund", `@syncio/node@${expected}`], { cwd: project, env, seconds: 180 });
    expect(install.code, install.output).toBe(0);
    const installed = JSON.parse(readFileSync(join(project, "node_modules/@syncio/core/package.json"), "utf8"));
    expect(installed.version).toBe(expected);
    expect(existsSync(join(project, "node_modules/@syncio/node/dist/index.js"))).toBe(true);
    const program = `import { Lock, getRuntime } from "@syncio/node";
const lock = new Lock();
const held = await lock.acquire();
const next = lock.acquire({ timeout: 1000 });
held.release();
(await next).release();
console.log(getRuntime().name, String(lock));`;
    const used = run("node", ["--input-type=module", "-e", program], { cwd: project, seconds: 60 });
    expect(used.code, used.output).toBe(0);
    expect(used.stdout.trim()).toBe("node <Lock [unlocked]>");
  });
});
