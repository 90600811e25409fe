// The GitHub workflows are checked here, before any push: against GitHub's workflow schema and
// job graph (action-validator, offline), against this repo's rules (workflow-rules.mjs), and for
// what each must do. The validator is shown to reject broken copies of the real files.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { bin, findStep, root, run, workflow } from "./harness.mjs";
import { pinProblem, workflowProblems } from "./workflow-rules.mjs";

const files = readdirSync(join(root, ".github/workflows")).filter((name) => /\.ya?ml$/.test(name)).sort();
const scratch = mkdtempSync(join(tmpdir(), "syncio-workflows-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs action-validator on `text` saved as a workflow file; resolves to { valid, output }. */
function validate(text, name = "workflow.yml") {
  const path = join(scratch, name);
  writeFileSync(path, text);
  const result = run(bin("action-validator"), [path], { seconds: 60 });
  return { valid: result.code === 0, output: result.output };
}

const source = (name) => readFileSync(join(root, ".github/workflows", name), "utf8");
/** A copy of a workflow with `change` applied to its parsed form, as YAML text. */
const mutated = (name, change) => {
  const document = parse(source(name));
  change(document);
  return stringify(document);
};

describe("the workflow files", () => {
  test("are ci.yml and release.yml", () => {
    expect(files).toEqual(["ci.yml", "release.yml"]);
  });

  test.each(files)("%s passes action-validator (GitHub's workflow schema, job graph)", (name) => {
    const { valid, output } = validate(source(name), name);
    expect(output).toBe("");
    expect(valid).toBe(true);
  });

  test.each(files)("%s keeps the repo's rules: explicit permissions, id-token only to publish, actions pinned", (name) => {
    expect(workflowProblems(workflow(name), name)).toEqual([]);
  });
});

describe("action-validator rejects a broken workflow", () => {
  test("a job without runs-on", () => {
    const { valid, output } = validate(mutated("ci.yml", (doc) => delete doc.jobs.ci["runs-on"]));
    expect(valid).toBe(false);
    expect(output).toContain("/jobs/ci");
  });

  test("a misspelt key in a job", () => {
    const { valid, output } = validate(source("release.yml").replace("timeout-minutes: 20", "timeout_minutes: 20"));
    expect(valid).toBe(false);
    expect(output).toContain("/jobs/version");
  });

  test("a job that needs a job that does not exist", () => {
    const { valid, output } = validate(mutated("release.yml", (doc) => (doc.jobs.jsr.needs = "publish")));
    expect(valid).toBe(false);
    expect(output).toContain("unresolved job publish");
  });

  test("a step that both uses an action and runs a command", () => {
    const { valid, output } = validate(mutated("ci.yml", (doc) => (doc.jobs.ci.steps[0].run = "echo")));
    expect(valid).toBe(false);
    expect(output).toContain("/jobs/ci/steps/0");
  });

  test("a permission that is not read, write or none", () => {
    const { valid, output } = validate(mutated("release.yml", (doc) => (doc.jobs.npm.permissions["id-token"] = "always")));
    expect(valid).toBe(false);
    expect(output).toContain("/jobs/npm");
  });

  test("a file that is not YAML", () => {
    const { valid, output } = validate(`${source("ci.yml")}\n  - [unclosed\n`);
    expect(valid).toBe(false);
    expect(output).toContain("parse_error");
  });
});

describe("the repo's rules reject", () => {
  test("an action on a moving tag or a branch", () => {
    expect(pinProblem("actions/checkout@v6")).toMatch(/can move/);
    expect(pinProblem("actions/checkout@main")).toMatch(/can move/);
    expect(pinProblem("actions/checkout")).toMatch(/names no version/);
    expect(pinProblem("actions/checkout@v6.0.2")).toBeUndefined();
    expect(pinProblem("actions/checkout@0123456789abcdef0123456789abcdef01234567")).toBeUndefined();
  });

  test("id-token: write on a job that does not publish", () => {
    const broken = parse(source("release.yml"));
    broken.jobs.version.permissions["id-token"] = "write";
    expect(workflowProblems(broken, "release.yml")).toEqual(["release.yml: job version has id-token: write but no step that publishes"]);
  });

  test("a publishing job without id-token: write", () => {
    const broken = parse(source("release.yml"));
    delete broken.jobs.jsr.permissions["id-token"];
    expect(workflowProblems(broken, "release.yml")).toEqual(["release.yml: job jsr publishes without id-token: write (no OIDC for npm provenance or JSR)"]);
  });

  test("a job without its own permissions, and write access granted to the whole workflow", () => {
    const broken = parse(source("ci.yml"));
    delete broken.jobs.ci.permissions;
    broken.permissions = { contents: "write" };
    expect(workflowProblems(broken, "ci.yml")).toEqual([
      "ci.yml: top-level permissions: contents: write belongs on the job that needs it",
      "ci.yml: job ci declares no permissions of its own",
    ]);
  });

  test("write-all, and a floating action version", () => {
    const broken = parse(source("ci.yml"));
    broken.jobs.ci.permissions = "write-all";
    broken.jobs.ci.steps[0].uses = "actions/checkout@v6";
    expect(workflowProblems(broken, "ci.yml")).toEqual([
      'ci.yml: job ci permissions are "write-all": name each scope',
      'ci.yml: job ci, step 1: actions/checkout@v6 is pinned to "v6", which can move: use an exact release (vX.Y.Z) or a commit SHA',
    ]);
  });
});

describe("the commands the workflows run", () => {
  const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;
  const pnpmCommands = ["install", "exec", "store", "publish"];
  /** The shell commands of a parsed workflow: run steps, and the changesets action's version and publish commands. */
  const commandsOf = (parsed) =>
    Object.values(parsed.jobs).flatMap((job) =>
      (job.steps ?? []).flatMap((step) => [step.run, step.with?.version, step.with?.publish].filter((command) => typeof command === "string")),
    );
  /** `pnpm <name>` that is neither a root script nor a pnpm command, `node`/`bash` of a missing file. */
  function commandProblems(commands) {
    const problems = [];
    for (const command of commands) {
      for (const [, name] of command.matchAll(/\bpnpm ([a-z][\w:-]*)/g)) {
        if (!pnpmCommands.includes(name) && scripts[name] === undefined) problems.push(`pnpm ${name}: no such root script`);
      }
      for (const [, path] of command.matchAll(/\b(?:node|bash) ((?:\.|[\w-])[\w./-]*)/g)) {
        if (!existsSync(join(root, path))) problems.push(`${path}: no such file`);
      }
    }
    return problems;
  }

  test.each(files)("%s: each `pnpm <name>` is a root script or a pnpm command, each `node`/`bash` file exists", (name) => {
    expect(commandsOf(workflow(name)).length).toBeGreaterThan(0);
    expect(commandProblems(commandsOf(workflow(name)))).toEqual([]);
  });

  test("a misspelt script or a missing file is caught", () => {
    const broken = parse(source("release.yml"));
    findStep(broken.jobs.npm, { uses: "changesets/action" }).with.publish = "pnpm relase";
    findStep(broken.jobs.jsr, { runs: /jsr-publish/ }).run = "node scripts/jsr-publsh.mjs";
    expect(commandProblems(commandsOf(broken))).toEqual(["pnpm relase: no such root script", "scripts/jsr-publsh.mjs: no such file"]);
  });
});

describe("ci.yml", () => {
  const ci = workflow("ci.yml");
  const job = ci.jobs.ci;

  test("runs on every push and pull request, and may read the repository only", () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    expect(ci.on.push).toBeNull(); // every branch
    expect(ci.on.pull_request).toBeNull();
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(job.permissions).toEqual({ contents: "read" });
  });

  test("runs `bash .ci/run`, all of it, as root on Debian bookworm with Node 20 (what .ci/run is written for)", () => {
    expect(Object.keys(ci.jobs)).toEqual(["ci"]);
    expect(job.container).toBe("node:20-bookworm");
    expect(findStep(job, { runs: /\.ci\/run/ }).run.trim()).toBe("bash .ci/run");
    expect(readFileSync(join(root, ".ci/run"), "utf8")).toMatch(/pnpm test\s*$/);
  });

  test("lets git read the checkout (owned by the runner's user, while the container runs as root) before .ci/run", () => {
    const safe = job.steps.indexOf(findStep(job, { runs: /safe\.directory/ }));
    expect(job.steps[safe].run).toContain('git config --global --add safe.directory "$GITHUB_WORKSPACE"');
    expect(safe).toBeLessThan(job.steps.indexOf(findStep(job, { runs: /\.ci\/run/ })));
  });

  test("caches the pnpm store, keyed on the lockfile", () => {
    const cache = findStep(job, { uses: "actions/cache" });
    expect(cache.with.path).toBe("${{ steps.pnpm.outputs.store }}");
    expect(cache.with.key).toContain("hashFiles('pnpm-lock.yaml')");
    expect(findStep(job, { runs: /pnpm store path/ }).id).toBe("pnpm");
  });
});

describe("release.yml", () => {
  const release = workflow("release.yml");
  const { version, npm, jsr } = release.jobs;
  const rootScripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts;

  test("runs on pushes to main (and by hand), one run at a time, never cancelled half-way", () => {
    expect(release.on.push).toEqual({ branches: ["main"] });
    expect(release.concurrency).toEqual({ group: "release", "cancel-in-progress": false });
    expect(release.permissions).toEqual({});
  });

  test("opens the Version Packages pull request with `pnpm version-packages`, which also keeps jsr.json in step", () => {
    const step = findStep(version, { uses: "changesets/action" });
    expect(step.with.version).toBe("pnpm version-packages");
    expect(step.with.publish).toBeUndefined();
    expect(step.with.title).toBe("Version Packages");
    expect(rootScripts["version-packages"]).toBe("changeset version && node scripts/sync-jsr-versions.mjs");
    expect(version.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  });

  test("publishes to npm only when no changeset is pending, with `pnpm release`, provenance, and GitHub releases", () => {
    expect(npm.needs).toBe("version");
    expect(npm.if).toBe("needs.version.outputs.pending == 'false'");
    expect(version.outputs.pending).toBe("${{ steps.changesets.outputs.hasChangesets }}");
    const step = findStep(npm, { uses: "changesets/action" });
    expect(step.with.publish).toBe("pnpm release");
    expect(step.with.createGithubReleases).toBe(true);
    expect(step.env.NPM_CONFIG_PROVENANCE).toBe("true");
    expect(step.env.NPM_TOKEN).toBe("${{ secrets.NPM_TOKEN }}");
    expect(rootScripts.release).toMatch(/&& changeset publish$/);
    expect(npm.permissions).toEqual({ contents: "write", "id-token": "write" });
  });

  test("publishes with npm 11 (trusted publishing needs 11.5.1 or later), which pnpm publishes through", () => {
    expect(findStep(npm, { runs: /npm install -g npm@/ }).run).toMatch(/npm install -g npm@11\b/);
  });

  test("publishes to JSR after npm published (or when run by hand), with OIDC", () => {
    expect(jsr.needs).toBe("npm");
    expect(jsr.if).toBe("needs.npm.outputs.published == 'true' || github.event_name == 'workflow_dispatch'");
    expect(findStep(jsr, { runs: /jsr-publish/ }).run.trim()).toBe("node scripts/jsr-publish.mjs");
    expect(jsr.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  test("only from main", () => {
    expect(version.if).toBe("github.ref == 'refs/heads/main'");
  });
});
