#!/usr/bin/env node
// `pnpm demo:redis` (after `turbo run build`): the news demo as a distributed program. Starts a
// redis-server on a free loopback port, three consumer processes (node, deno, bun) and one producer
// process (node) of apps/news-demo with `--redis`, and prints their interleaved output, each line
// prefixed with its process. The producer puts `--items` news items (default 12, `--interval` ms
// apart, default 300) and shuts the queue down; the consumers drain it and end; then redis-server
// is stopped. Ctrl-C: every process shuts the queue down, the consumers take what is left, every
// process exits, redis-server is stopped, and the exit code is 0 (a second Ctrl-C a second later
// kills them all: 130). Everything is killed after 120 s whatever happens (exit 1).
import { spawn, spawnSync } from "node:child_process";
import { createServer, Socket } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { runtimeExecutable } from "../apps/shared/runtimes.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const app = join(root, "apps", "news-demo");
const LIMIT_MS = 120_000;

const options = { items: "12", interval: "300", seed: undefined };
const argv = process.argv.slice(2).filter((arg) => arg !== "--");
for (let i = 0; i < argv.length; i += 2) {
  const name = argv[i]?.replace(/^--/, "");
  if (!(name in options) || argv[i + 1] === undefined || !/^\d+$/.test(argv[i + 1])) {
    console.error("usage: pnpm demo:redis [--items <n>] [--interval <ms>] [--seed <s>]");
    process.exit(2);
  }
  options[name] = argv[i + 1];
}

if (spawnSync("redis-server", ["--version"]).status !== 0) {
  console.error("redis-server is not installed: on Debian/Ubuntu run `apt-get update && apt-get install -y redis-server`");
  process.exit(1);
}

// ── redis-server ─────────────────────────────────────────────────────────────────────────────
const port = await new Promise((resolve, reject) => {
  const probe = createServer();
  probe.on("error", reject);
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const url = `redis://127.0.0.1:${port}`;
// Detached, like the demo processes: the terminal's Ctrl-C reaches this script alone, which then
// stops everything in order.
const server = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore", detached: true });
const serverExited = new Promise((resolve) => server.once("exit", resolve));
const answers = () =>
  new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => (socket.destroy(), resolve(ok));
    socket.setTimeout(300, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
for (let tries = 0; !(await answers()); tries++) {
  if (tries > 100) {
    console.error("redis-server did not start");
    server.kill("SIGKILL");
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const label = (text) => text.padEnd(17);
console.log(`${label("redis-server")} │ listening on ${url}`);

// ── the processes ────────────────────────────────────────────────────────────────────────────
function command(runtime, args) {
  const entry = join(app, "dist", `${runtime}.js`);
  if (runtime === "deno") return [runtimeExecutable("deno"), ["run", "--quiet", "--no-lock", "--allow-net=127.0.0.1", "--allow-env", entry, ...args]];
  return [runtimeExecutable(runtime), [entry, ...args]];
}

const children = [];
function start(name, runtime, args) {
  const [file, fileArgs] = command(runtime, ["--redis", url, ...args]);
  const child = spawn(file, fileArgs, { cwd: app, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, NO_COLOR: "1" } });
  const prefix = label(`${name} (${runtime})`);
  const lines = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      console.log(`${prefix} │ ${line}`);
      if (/Attempting to get/.test(line)) markStarted();
    });
  }
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  let markStarted;
  const started = new Promise((resolve) => (markStarted = resolve));
  const entry = { name, child, exited, started, lines };
  children.push(entry);
  return entry;
}

let interrupted = false;
let interruptedAt = 0;
function stopAll(signal) {
  for (const { child } of children) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}
process.on("SIGINT", () => {
  if (!interrupted) {
    interrupted = true;
    interruptedAt = performance.now();
    console.log(`${label("demo:redis")} │ Ctrl-C: every process shuts the queue down; the consumers take what is left`);
    stopAll("SIGINT");
  } else if (performance.now() - interruptedAt > 1000) {
    stopAll("SIGKILL");
    process.kill(-server.pid, "SIGKILL");
    process.exit(130);
  }
});
const limit = setTimeout(() => {
  console.error(`${label("demo:redis")} │ still running after ${LIMIT_MS / 1000} s: killing everything`);
  stopAll("SIGKILL");
}, LIMIT_MS);

const consumers = [
  ["consumer 1", "node"],
  ["consumer 2", "deno"],
  ["consumer 3", "bun"],
].map(([name, runtime], index) => start(name, runtime, ["--role", "consumer", "--id", String(index + 1)]));
// The consumers wait on the queue first, as the tutorial's do; then the producer starts.
await Promise.race([Promise.all(consumers.map((consumer) => consumer.started)), new Promise((resolve) => setTimeout(resolve, 30_000))]);
if (!interrupted) start("producer", "node", ["--role", "producer", "--items", options.items, "--interval", options.interval, ...(options.seed === undefined ? [] : ["--seed", options.seed])]);

const codes = await Promise.all(children.map((entry) => entry.exited));
clearTimeout(limit);
try {
  process.kill(-server.pid, "SIGTERM");
} catch {
  // already gone
}
await serverExited;
const consumed = consumers.reduce((sum, consumer) => sum + Number(consumer.lines.find((line) => /consumed \(/.test(line))?.match(/: (\d+) consumed/)?.[1] ?? 0), 0);
const clean = codes.every((code) => code === 0);
console.log(
  `${label("demo:redis")} │ ${clean ? "✓" : "✗"} ${children.length} processes exited (${children.map((entry, index) => `${entry.name}: ${codes[index]}`).join(", ")}); ${consumed} items consumed in all; redis-server stopped`,
);
process.exit(clean ? 0 : 1);
