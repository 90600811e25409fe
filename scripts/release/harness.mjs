// What the release tests share: running a command under a hard time limit, a scratch copy of
// the working tree as a git repository with an `origin`, the workflows parsed, a local npm
// registry (Verdaccio, no uplinks: nothing leaves the machine) and small version arithmetic.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { root } from "../workspace.mjs";

export { root };
export const bin = (name) => join(root, "node_modules", ".bin", name);

/** Runs a command to completion under a hard time limit; never throws. Output comes without colour codes. */
export function run(command, args, { cwd = root, env = {}, seconds = 120 } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: seconds * 1000,
    killSignal: "SIGKILL",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  // Colour codes stripped (deno colours its output when FORCE_COLOR is set at all, even to 0).
  const plain = (text) => (text ?? "").replace(/\x1b\[[0-9;]*m/g, "");
  const stdout = plain(result.stdout);
  const stderr = plain(result.stderr);
  const failure = result.error?.code === "ETIMEDOUT" ? `\nkilled after ${seconds} s` : result.error ? `\n${result.error.message}` : "";
  return { code: result.error ? -1 : result.status, stdout, stderr, output: `${stdout}${stderr}${failure}` };
}

/** Like run(), but throws with the command's output when it fails. */
export function must(command, args, options) {
  const result = run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${result.output.slice(-6000)}`);
  return result;
}

/** A workflow file of this repo, parsed. */
export function workflow(name) {
  return parse(readFileSync(join(root, ".github/workflows", name), "utf8"));
}

/** The step of `job` that uses `action` (owner/repo, any version), or that runs a command matching `pattern`. */
export function findStep(job, { uses, runs }) {
  const step = (job.steps ?? []).find((candidate) =>
    uses !== undefined ? String(candidate.uses ?? "").split("@")[0] === uses : runs.test(String(candidate.run ?? "")),
  );
  if (step === undefined) throw new Error(`no step ${uses ?? runs} in job ${job.name}`);
  return step;
}

/**
 * Copies the working tree as git sees it (tracked and untracked files, not the ignored ones:
 * no node_modules, no dist) into `target`, commits it on `main`, and pushes that to a bare
 * `origin` beside it, so tag look-ups and pushes have a real remote as on GitHub.
 */
export function scratchClone(target) {
  const listing = must("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  const files = [...new Set(listing.stdout.split("\0").filter(Boolean))].filter((file) => existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    copyFileSync(join(root, file), join(target, file));
  }
  const git = (...args) => must("git", args, { cwd: target });
  git("init", "-q", "-b", "main");
  git("config", "user.name", "release rehearsal");
  git("config", "user.email", "rehearsal@localhost");
  git("config", "commit.gpgsign", "false");
  git("config", "tag.gpgsign", "false");
  git("add", "-A");
  git("commit", "-q", "-m", "the working tree under test");
  must("git", ["init", "-q", "--bare", `${target}.origin.git`]);
  git("remote", "add", "origin", `${target}.origin.git`);
  git("push", "-q", "origin", "main");
  return files.length;
}

/** A free loopback port (probed by listening on port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Verdaccio on a free loopback port with its storage in `dir` and no uplinks (it knows
 * only what is published to it), registers a user, and writes an npm user config with that
 * user's token. Resolves to `{ url, env, stop() }`; `env` points npm, pnpm and changesets at it.
 */
export async function startRegistry(dir) {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "    max_users: 10",
      "uplinks: {}",
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const child = spawn(bin("verdaccio"), ["--config", config, "--listen", `127.0.0.1:${port}`], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let log = "";
    child.stdout.on("data", (chunk) => (log += chunk));
    child.stderr.on("data", (chunk) => (log += chunk));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    };
    const deadline = Date.now() + 30_000;
    let up = false;
    while (!up && Date.now() < deadline && child.exitCode === null) {
      up = await fetch(`${url}-/ping`).then((response) => response.ok, () => false);
      if (!up) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!up) {
      lastError = new Error(`verdaccio did not answer on ${url} within 30 s:\n${log}`);
      await stop();
      continue;
    }
    const response = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "rehearsal", password: "rehearsal-password" }),
    });
    const { token } = await response.json();
    const npmrc = join(dir, "npmrc");
    writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    const env = { NPM_CONFIG_USERCONFIG: npmrc, npm_config_registry: url };
    /** The registry's document for a package (all its versions and dist-tags), or undefined on 404. */
    const packument = (name) =>
      new Promise((resolve, reject) => {
        const request = get(`${url}${name.replace("/", "%2f")}`, { agent: false, timeout: 30_000 }, (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk) => (body += chunk));
          response.on("end", () => (response.statusCode === 404 ? resolve(undefined) : response.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET ${name}: ${response.statusCode} ${body}`))));
        });
        request.on("timeout", () => request.destroy(new Error(`GET ${name}: no answer in 30 s`)));
        request.on("error", reject);
      });
    return { url, env, stop, packument, log: () => log };
  }
  throw lastError;
}

const levels = ["patch", "minor", "major"];

/** `version` raised by `level` ("patch" | "minor" | "major"), as semver (and changesets) do it. */
export function bump(version, level) {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (match === null) throw new Error(`cannot bump ${version}: only plain x.y.z versions (no pre mode) are rehearsed`);
  const [major, minor, patch] = match.slice(1).map(Number);
  if (level === "major") return `${major + 1}.0.0`;
  if (level === "minor") return `${major}.${minor + 1}.0`;
  if (level === "patch") return `${major}.${minor}.${patch + 1}`;
  throw new Error(`unknown bump level ${level}`);
}

/** The highest bump that the pending changesets in `dir`/.changeset ask for any of `names`, or undefined. */
export function pendingLevel(dir, names) {
  let highest = -1;
  for (const file of readdirSync(join(dir, ".changeset")).filter((name) => name.endsWith(".md") && name !== "README.md")) {
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(join(dir, ".changeset", file), "utf8"));
    const releases = front === null ? {} : (parse(front[1]) ?? {});
    for (const [name, level] of Object.entries(releases)) if (names.includes(name)) highest = Math.max(highest, levels.indexOf(level));
  }
  return highest < 0 ? undefined : levels[highest];
}
