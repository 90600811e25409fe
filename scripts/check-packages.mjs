#!/usr/bin/env node
// Checks what a release would ship, before it ships: for each published package, the tarball
// `pnpm pack` makes (what `changeset publish` uploads) holds only dist, README, LICENSE and
// package.json; it passes publint and Are the Types Wrong; and the tarballs, installed into
// a scratch project, import and work under node (ESM, and require() of the ESM build), deno
// (from node_modules) and bun, @syncio/workers with a real worker thread on each. @syncio/redis needs a server: its smoke test imports it, checks its
// bad-input errors, and — with a redis-server started here on a free loopback port, when one is
// installed (CI installs it) — hands a lock between two connections on each runtime. The JSR packages (core, deno adapter) pass `deno publish
// --dry-run`, slow-type check included. Prints one PASS/FAIL line per check; exits 1 on any FAIL.
//
//   node scripts/check-packages.mjs            (pnpm check:packages builds first, then runs this)
//   node scripts/check-packages.mjs --keep     keep the scratch directory and print its path
//
// ESM only is the decision: attw runs with --profile esm-only, which skips the node10 and
// "node16 from CJS" resolutions. CommonJS callers on Node ≥ 20.19 can still require() the ESM
// build (checked below); TypeScript's CJS resolution would flag that as "CJS resolves to ESM".
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsrPackages, pinSyncioJsr, publicPackages } from "./workspace.mjs";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules", ".bin", name);
const keep = process.argv.includes("--keep");
const scratch = mkdtempSync(join(tmpdir(), "syncio-packages-"));

/** The published packages; `runtime` marks an adapter, `jsr` a package also published to JSR. */
const packages = [
  { name: "@syncio/core", dir: "packages/core", jsr: true },
  { name: "@syncio/node", dir: "packages/node", runtime: "node" },
  { name: "@syncio/deno", dir: "packages/deno", runtime: "deno", jsr: true },
  { name: "@syncio/bun", dir: "packages/bun", runtime: "bun" },
  { name: "@syncio/redis", dir: "packages/redis" },
  { name: "@syncio/workers", dir: "packages/workers" },
];
const adapters = packages.filter((pkg) => pkg.runtime !== undefined);
/** Third-party runtime dependencies, packed from the workspace's install so the smoke install stays offline. */
const thirdParty = [{ name: "@redis/client", from: "packages/redis/node_modules/@redis/client" }];

let failures = 0;

/** Prints one result line; on failure, the detail indented below it. */
function report(ok, check, detail = "") {
  if (!ok) failures++;
  console.log(`${ok ? "PASS" : "FAIL"} ${check}`);
  if (!ok && detail.trim() !== "") console.log(detail.trim().replace(/^/gm, "     "));
}

/** Runs a command to completion under a hard time limit (Bun spins forever on a stuck await). */
function run(command, args, { cwd = root, seconds = 120, env = {} } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: seconds * 1000,
    killSignal: "SIGKILL",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.error?.code === "ETIMEDOUT") return { ok: false, output: `${output}\nkilled after ${seconds} s` };
  if (result.error !== undefined) return { ok: false, output: `${output}\n${result.error.message}` };
  return { ok: result.status === 0, output };
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

// ── pack, publint, attw ────────────────────────────────────────────────────────────────────
const tarballs = new Map();
for (const pkg of packages) {
  const dir = join(root, pkg.dir);
  if (!existsSync(join(dir, "dist"))) {
    report(false, `pack ${pkg.name}`, `${pkg.dir}/dist is missing: build first (pnpm check:packages does)`);
    continue;
  }
  const destination = join(scratch, "tarballs");
  const packed = run("pnpm", ["pack", "--json", "--pack-destination", destination], { cwd: dir });
  const tarball = packed.ok ? JSON.parse(packed.output.slice(packed.output.indexOf("{"))).filename : undefined;
  if (tarball === undefined || !existsSync(tarball)) {
    report(false, `pack ${pkg.name}`, packed.output);
    continue;
  }
  tarballs.set(pkg.name, tarball);
  report(...checkContents(pkg, tarball));
  const publint = run(bin("publint"), ["run", tarball, "--strict"], { cwd: scratch });
  report(publint.ok && !/\b(error|warning)/i.test(publint.output.replace(/0 (errors|warnings)/g, "")), `publint ${pkg.name}`, publint.output);
  const attw = run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii", "--no-emoji"], { cwd: scratch });
  report(attw.ok, `attw --profile esm-only ${pkg.name}`, attw.output);
}

/** Only package.json, README.md, LICENSE and dist/**; each of those present; every export target shipped; no workspace: range left. */
function checkContents(pkg, tarball) {
  const listing = run("tar", ["-tzf", tarball]);
  if (!listing.ok) return [false, `contents of ${pkg.name}`, listing.output];
  const files = listing.output.split("\n").filter(Boolean).map((entry) => entry.replace(/^package\//, ""));
  const problems = [];
  const stray = files.filter((file) => !["package.json", "README.md", "LICENSE"].includes(file) && !file.startsWith("dist/"));
  if (stray.length > 0) problems.push(`ships files outside dist/README/LICENSE: ${stray.join(", ")}`);
  for (const needed of ["package.json", "README.md", "LICENSE"]) if (!files.includes(needed)) problems.push(`${needed} is missing`);
  const unpacked = join(scratch, "unpacked", pkg.dir);
  mkdirSync(unpacked, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"]);
  const manifest = readJson(join(unpacked, "package.json"));
  for (const target of exportTargets(manifest.exports)) {
    if (!files.includes(target.replace(/^\.\//, ""))) problems.push(`exports points at ${target}, which is not in the tarball`);
  }
  for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
    if (String(range).startsWith("workspace:")) problems.push(`dependency ${dependency} still has the range ${range}`);
  }
  if (manifest.license !== "MIT") problems.push(`license is ${manifest.license}, expected MIT`);
  return [problems.length === 0, `contents of ${pkg.name}: ${files.length} files (${files.filter((file) => !file.startsWith("dist/")).join(", ")}, dist/)`, problems.join("\n")];
}

function exportTargets(exports) {
  if (typeof exports === "string") return [exports];
  if (exports === null || typeof exports !== "object") return [];
  return Object.values(exports).flatMap(exportTargets);
}

// ── smoke test: install the tarballs into a scratch project and use them on each runtime ─────
const project = join(scratch, "project");
if (tarballs.has("@syncio/core")) {
  mkdirSync(project, { recursive: true });
  const dependencies = Object.fromEntries([...tarballs].map(([name, tarball]) => [name, `file:${tarball}`]));
  for (const dependency of thirdParty) {
    const packed = spawnSync("npm", ["pack", "--pack-destination", join(scratch, "tarballs"), join(root, dependency.from)], { encoding: "utf8", timeout: 60_000 });
    const file = packed.status === 0 ? packed.stdout.trim().split("\n").at(-1) : undefined;
    if (file === undefined || !existsSync(join(scratch, "tarballs", file))) report(false, `pack ${dependency.name} from the workspace's install`, `${packed.stdout}${packed.stderr}`);
    else dependencies[dependency.name] = `file:${join(scratch, "tarballs", file)}`;
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "syncio-smoke", private: true, type: "module", dependencies }, null, 2));
  writeSmokeFiles(project);
  const install = run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], { cwd: project, seconds: 180 });
  report(install.ok, `install the ${tarballs.size} tarballs with npm (offline: they must need nothing else)`, install.output);
  if (install.ok) {
    const denoRun = (file) => [bin("deno"), ["run", "--no-lock", "--no-prompt", "--allow-read", "--allow-env", file]];
    const runners = { node: (file) => ["node", [file]], deno: denoRun, bun: (file) => [bin("bun"), ["run", file]] };
    for (const [runtime, runner] of Object.entries(runners)) {
      const core = run(...runner("core-smoke.mjs"), { cwd: project, seconds: 60 });
      report(core.ok, `${runtime}: import @syncio/core and @syncio/core/testing (web runtime, virtual clock)`, core.output);
      const adapter = adapters.find((pkg) => pkg.runtime === runtime);
      if (!tarballs.has(adapter.name)) continue;
      const used = run(...runner("adapter-smoke.mjs"), { cwd: project, seconds: 60, env: { SMOKE_RUNTIME: runtime } });
      report(used.ok, `${runtime}: import ${adapter.name}, use it, and the other adapters refuse to load`, used.output);
      if (tarballs.has("@syncio/workers")) {
        const threaded = run(...runner("workers-smoke.mjs"), { cwd: project, seconds: 60, env: { SMOKE_RUNTIME: runtime } });
        report(threaded.ok && /^workers ok/m.test(threaded.output), `${runtime}: @syncio/workers across a real worker thread (a Lock handed over, a Queue item back), then the process exits`, threaded.output);
      }
    }
    if (tarballs.has("@syncio/redis")) {
      const server = startRedisServer();
      for (const [runtime, runner] of Object.entries(runners)) {
        const args = runtime === "deno" ? [runner("redis-smoke.mjs")[0], [...runner("redis-smoke.mjs")[1].slice(0, -1), "--allow-net", "--allow-sys", "redis-smoke.mjs"]] : runner("redis-smoke.mjs");
        const used = run(...args, { cwd: project, seconds: 60, env: { SMOKE_RUNTIME: runtime, REDIS_URL: server?.url ?? "" } });
        report(used.ok, `${runtime}: import @syncio/redis, bad input throws at once${server ? ", a lock handed between two connections, an event, a queue's items and join()" : " (no redis-server installed: no round trip)"}`, used.output);
      }
      server?.stop();
    }
    if (tarballs.has("@syncio/node")) {
      const required = run("node", ["require-smoke.cjs"], { cwd: project, seconds: 60 });
      report(required.ok, `node ${process.versions.node}: require() of @syncio/core and @syncio/node (ESM build)`, required.output);
    }
    // The shipped declarations must type-check for a user whose lib lacks esnext.disposable, with
    // skipLibCheck off: a browser project (DOM, no @types/node) and a Node project.
    for (const [name, options] of Object.entries(typeCheckProjects())) {
      const dir = join(project, `types-${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: options.compilerOptions, files: ["app.ts"] }, null, 2));
      writeFileSync(join(dir, "app.ts"), options.source);
      const checked = run(bin("tsc"), ["-p", dir], { cwd: project, seconds: 120 });
      report(checked.ok, `types: ${name} project (lib without esnext.disposable, skipLibCheck false) type-checks against the shipped .d.ts`, checked.output);
    }
  }
}

// ── JSR: `deno publish --dry-run` of every package with a jsr.json ────────────────────────────
// scripts/jsr-publish.mjs stages them as one Deno workspace, where the adapter's
// jsr:@syncio/core resolves to the core being published (nothing is on JSR before the first
// release, and CI may be offline). A package with a jsr.json is checked even if not marked `jsr`.
const versions = Object.fromEntries(publicPackages().map((pkg) => [pkg.name, pkg.version]));
for (const pkg of packages.filter((candidate) => candidate.jsr || existsSync(join(root, candidate.dir, "jsr.json")))) {
  const path = join(root, pkg.dir, "jsr.json");
  if (!existsSync(path)) {
    report(false, `jsr ${pkg.name}: ${pkg.dir}/jsr.json`, "missing");
    continue;
  }
  const config = readJson(path);
  const version = readJson(join(root, pkg.dir, "package.json")).version;
  const pins = Object.values(config.imports ?? {}).filter((target) => String(target).startsWith("jsr:@syncio/"));
  const problems = [];
  if (config.name !== pkg.name) problems.push(`name is ${config.name}`);
  if (config.version !== version) problems.push(`version ${config.version}, package.json has ${version}: run node scripts/sync-jsr-versions.mjs`);
  for (const pin of pins) if (pinSyncioJsr(pin, versions) !== pin) problems.push(`imports ${pin}, expected ${pinSyncioJsr(pin, versions)}`);
  report(problems.length === 0, `jsr ${pkg.name}: jsr.json name, version ${config.version}${pins.length > 0 ? `, ${pins.join(", ")}` : ""}`, problems.join("\n"));
}
const publish = run("node", [join(root, "scripts/jsr-publish.mjs"), "--dry-run"], { seconds: 300 });
report(publish.ok && /Success/.test(publish.output), `jsr: deno publish --dry-run of ${jsrPackages().map((pkg) => pkg.name).join(", ")} (type check, slow types)`, publish.output);

/** A redis-server on a free loopback port for the smoke test, or undefined when none is installed. */
function startRedisServer() {
  if (spawnSync("redis-server", ["--version"]).status !== 0) return undefined;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let tries = 0; tries < 100; tries++) {
    if (spawnSync("redis-cli", ["-p", String(port), "PING"], { encoding: "utf8" }).stdout?.trim() === "PONG") break;
    spawnSync("sleep", ["0.05"]);
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill("SIGKILL") };
}

if (keep) console.log(`scratch kept: ${scratch}`);
else rmSync(scratch, { recursive: true, force: true });
console.log(failures === 0 ? "check-packages: all checks passed" : `check-packages: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);

/** The programs the smoke test runs in the scratch project (plain JS: no build step there). */
function writeSmokeFiles(dir) {
  const shared = `
const fail = (message) => { throw new Error(message); };
const expectTimeout = async (promise, TimeoutError, what) => {
  try { await promise; } catch (error) { if (error instanceof TimeoutError && error.name === "TimeoutError") return; throw error; }
  fail(what + " resolved; expected a TimeoutError");
};
async function exercise(api) {
  const { Lock, Queue, Event, sleep, timeout, TimeoutError } = api;
  const lock = new Lock();
  const held = await lock.acquire();
  if (String(lock) !== "<Lock [locked]>") fail("String(lock) is " + String(lock));
  const order = [];
  const second = lock.acquire().then((handle) => { order.push("second"); handle.release(); });
  held.release();
  await second;
  if (order.join() !== "second" || lock.locked()) fail("the lock was not handed over and released");
  await lock.acquire();
  await expectTimeout(lock.acquire({ timeout: 20 }), TimeoutError, "acquire({ timeout: 20 }) on a held lock");
  // timeout()'s timer does not keep the process alive (like AbortSignal.timeout()): a sleep does.
  await Promise.all([expectTimeout(lock.acquire({ signal: timeout(20) }), TimeoutError, "acquire({ signal: timeout(20) }) on a held lock"), sleep(40)]);
  lock.release();
  const queue = new Queue(1);
  const got = queue.get();
  await queue.put("a");
  if ((await got) !== "a") fail("queue.get() did not get the item put");
  const event = new Event();
  const woken = event.wait();
  const started = Date.now();
  await sleep(15);
  if (Date.now() - started < 10) fail("sleep(15) returned after " + (Date.now() - started) + " ms");
  event.set();
  if ((await woken) !== true) fail("event.wait() did not resolve true");
}
`;
  writeFileSync(
    join(dir, "core-smoke.mjs"),
    `${shared}
const core = await import("@syncio/core");
const { useVirtualTime } = await import("@syncio/core/testing");
if (core.getRuntime().name !== "web") fail("core alone should run on its web runtime, got " + core.getRuntime().name);
await exercise(core);
const clock = useVirtualTime();
try {
  const slept = core.sleep(60_000);
  await clock.advance(60_000);
  await slept;
  if (clock.now() !== 60_000) fail("the virtual clock is at " + clock.now());
} finally {
  clock.uninstall();
}
if (core.getRuntime().name !== "web") fail("uninstall() did not restore the web runtime");
console.log("core ok");
`,
  );
  const adapterNames = JSON.stringify(Object.fromEntries(adapters.map((pkg) => [pkg.runtime, pkg.name])));
  writeFileSync(
    join(dir, "adapter-smoke.mjs"),
    `${shared}
const runtime = (globalThis.process?.env ?? Deno.env.toObject()).SMOKE_RUNTIME;
const names = ${adapterNames};
const adapter = await import(names[runtime]);
const core = await import("@syncio/core");
if (adapter.Lock !== core.Lock) fail(names[runtime] + " does not re-export the installed @syncio/core (two copies of the core?)");
if (typeof adapter.runtime !== "object" || adapter.runtime === null) fail(names[runtime] + " exports no runtime");
if (core.getRuntime() !== adapter.runtime) fail("importing " + names[runtime] + " did not install its runtime; current: " + core.getRuntime().name);
await exercise(adapter);
for (const [other, name] of Object.entries(names)) {
  if (other === runtime) continue;
  let loaded = false;
  try {
    await import(name);
    loaded = true;
  } catch (error) {
    if (!String(error?.message).includes(names[runtime])) fail("importing " + name + " under " + runtime + " failed without naming " + names[runtime] + ": " + error?.message);
  }
  if (loaded) fail(name + " loaded under " + runtime);
}
console.log(runtime + " ok");
`,
  );
  // A Lock held here and waited for in a worker thread (Deno's web Worker; worker_threads on node
  // and bun, where a web Worker that ever armed a timer keeps the process alive until terminated),
  // handed over by release(), and a Queue item coming back; the process must then exit on its own.
  writeFileSync(
    join(dir, "workers-smoke.mjs"),
    `const runtime = (globalThis.process?.env ?? Deno.env.toObject()).SMOKE_RUNTIME;
await import("@syncio/" + runtime);
const { Lock, Queue } = await import("@syncio/workers");
const lock = new Lock();
const results = new Queue(4, { codec: "json" });
const held = await lock.acquire();
const data = { lock: lock.handle, results: results.handle };
const url = new URL("./workers-smoke-worker.mjs", import.meta.url);
if (runtime !== "deno") {
  const { Worker } = await import("node:worker_threads");
  new Worker(url, { workerData: data });
} else {
  new Worker(url, { type: "module" }).postMessage(data);
}
while (lock.statistics().waiters === 0) await new Promise((resolve) => setTimeout(resolve, 5));
if (String(lock) !== "<Lock [locked, waiters:1]>") throw new Error("String(lock) is " + String(lock));
held.release();
const reply = await results.get({ timeout: 10_000 });
if (reply.from !== "worker" || reply.held !== true) throw new Error("unexpected reply " + JSON.stringify(reply));
console.log("workers ok", runtime);
`,
  );
  writeFileSync(
    join(dir, "workers-smoke-worker.mjs"),
    `import { Lock, Queue } from "@syncio/workers";
async function main(data) {
  const lock = Lock.from(data.lock);
  const handle = await lock.acquire({ timeout: 10_000 });
  await Queue.from(data.results).put({ from: "worker", held: lock.locked() });
  handle.release();
  if (typeof self !== "undefined" && typeof self.close === "function") self.close();
}
// worker_threads (node, bun) pass workerData; Deno's web Worker gets it as a message.
if (!("Deno" in globalThis)) {
  const { workerData } = await import("node:worker_threads");
  await main(workerData);
} else self.onmessage = (event) => main(event.data);
`,
  );
  writeFileSync(
    join(dir, "redis-smoke.mjs"),
    `const fail = (message) => { throw new Error(message); };
const env = globalThis.process?.env ?? Deno.env.toObject();
const runtime = env.SMOKE_RUNTIME;
const redis = await import("@syncio/redis");
const core = await import("@syncio/core");
for (const name of ["connect", "RedisSync", "Lease", "RedisLock", "RedisSemaphore", "RedisBoundedSemaphore", "RedisEvent", "RedisCondition", "RedisBarrier", "RedisQueue", "RedisPriorityQueue", "RedisLifoQueue", "LeasedItem", "LeaseLostError", "ConnectionError"]) {
  if (typeof redis[name] !== "function") fail("@syncio/redis exports no " + name);
}
if (redis.TimeoutError !== core.TimeoutError) fail("@syncio/redis's TimeoutError is not core's (two copies of the core?)");
const throws = (call, ErrorClass, what) => {
  try { call(); } catch (error) { if (error instanceof ErrorClass) return; fail(what + " threw " + error); }
  fail(what + " did not throw " + ErrorClass.name + " at once");
};
throws(() => redis.connect(6379), TypeError, "connect(6379)");
throws(() => redis.connect("http://127.0.0.1"), TypeError, "connect(an http URL)");
throws(() => redis.connect("redis://127.0.0.1:1", { lease: 5 }), RangeError, "connect(url, { lease: 5 })");
throws(() => redis.connect("redis://127.0.0.1:1", { prefix: "" }), RangeError, "connect(url, { prefix: '' })");
const unreachable = await redis.connect("redis://127.0.0.1:1").then(() => undefined, (error) => error);
if (!(unreachable instanceof redis.ConnectionError)) fail("an unreachable server did not reject with ConnectionError: " + unreachable);
if (env.REDIS_URL) {
  const prefix = "smoke-" + runtime + "-" + Date.now();
  const [a, b] = [await redis.connect(env.REDIS_URL, { prefix }), await redis.connect(env.REDIS_URL, { prefix })];
  const held = await a.lock("smoke").acquire();
  const waiting = b.lock("smoke").acquire({ timeout: 5000 });
  while ((await a.lock("smoke").statistics()).waiters !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await held.release();
  const next = await waiting;
  if (next.fence !== held.fence + 1n) fail("fences " + held.fence + " then " + next.fence);
  await next.release();
  throws(() => b.lock(""), RangeError, "lock('')");
  const woken = b.event("go").wait({ timeout: 5000 });
  await a.event("go").set();
  if ((await woken) !== true) fail("event.wait() did not resolve true");
  const getting = b.queue("smoke-queue", { maxsize: 1 }).get({ timeout: 5000 });
  while ((await a.queue("smoke-queue", { maxsize: 1 }).statistics()).getters !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await a.queue("smoke-queue", { maxsize: 1 }).put({ news: 1 });
  if ((await getting).news !== 1) fail("a queue item did not go from one connection to the other");
  await a.queue("smoke-queue", { maxsize: 1 }).put(2);
  const leased = await b.queue("smoke-queue", { maxsize: 1 }).getLeased();
  if (leased.item !== 2 || (await leased.done()) !== true) fail("getLeased()/done() did not deliver item 2");
  await b.queue("smoke-queue", { maxsize: 1 }).taskDone();
  await a.queue("smoke-queue", { maxsize: 1 }).join({ timeout: 5000 });
  await a.close();
  await b.close();
  if (runtime === "bun") {
    // The bun export condition loads the adapter for Bun's own client.
    const { RedisClient } = await import("bun");
    const client = new RedisClient(env.REDIS_URL);
    await client.connect();
    const sync = await redis.connect(client, { prefix });
    if ((await sync.lock("smoke").locked()) !== false) fail("a lock over Bun's RedisClient reads as locked");
    await sync.close();
    client.close();
  }
}
console.log(runtime + " redis ok");
`,
  );
  writeFileSync(
    join(dir, "require-smoke.cjs"),
    `const core = require("@syncio/core");
const node = require("@syncio/node");
if (typeof core.Lock !== "function" || node.Lock !== core.Lock) throw new Error("require() did not give one shared core");
const lock = new node.Lock();
node.sleep(1).then(() => console.log("require ok", String(lock)));
`,
  );
}

/** Strict TypeScript consumers of the shipped declarations (no esnext.disposable in their lib). */
function typeCheckProjects() {
  const strict = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, noEmit: true };
  const use = (from) => `import { Condition, Lock, Queue, Semaphore, timeout, type Acquired } from "${from}";
import { restoreRealTime, useVirtualTime } from "@syncio/core/testing";
export async function main(): Promise<number> {
  const lock = new Lock();
  const held: Acquired = await lock.acquire({ signal: timeout(100) });
  held.release();
  const maybe: Acquired | null = new Semaphore(2).tryAcquire();
  maybe?.release();
  const queue = new Queue<number>(1);
  await queue.put(1);
  for await (const item of queue.tasks()) if (item === 1) break;
  const condition = new Condition();
  const clock = useVirtualTime();
  clock.uninstall();
  restoreRealTime();
  return condition.run(() => queue.qsize());
}
`;
  const projects = {
    browser: { compilerOptions: { ...strict, lib: ["ES2022", "DOM"], types: [] }, source: use("@syncio/core") },
  };
  if (tarballs.has("@syncio/node")) {
    projects.node = { compilerOptions: { ...strict, lib: ["ES2022"], types: ["node"], typeRoots: [join(root, "node_modules", "@types")] }, source: use("@syncio/node") };
  }
  return projects;
}
