// `pnpm bench:redis`: @syncio/redis against @sesamecare-oss/redlock, redis-semaphore and BullMQ on one
// local redis-server that this program starts (and stops), beside the floors of the same server:
//   1. uncontended acquire+release per cycle, beside two round trips (SET NX PX, then a
//      compare-and-delete script);
//   2. 4 processes × 25 acquisitions holding 1 ms (after one warm-up acquisition each): time per
//      acquisition, longest run of one process, max and p99 wait;
//   3. hand-off latency with hold 0 (release called → the waiter's acquire resolves), beside one
//      script round trip plus one pub/sub delivery.
//   4. Queue(10) items per second, 1 producer / 1 consumer and 4P/4C, beside a bare list (LPUSH +
//      BLMOVE) and BullMQ (bench/src/redis/queue.ts).
// Prints the tables and writes them into packages/redis/README.md and bench/RESULTS.md (its own
// section, between markers; the rest of each file is left as it is).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createClient } from "@redis/client";
import { Redis } from "ioredis";
import { connect } from "@syncio/redis";
import { libraries, openLock, type LibraryName } from "./libraries.js";
import { measureQueues, queueMethod, queueTable } from "./queue.js";

const ROUNDS = 9;
const CYCLES = 300;
const HANDOFFS = 100;
const PEER_HANDOFFS = 20;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// ── the server ──────────────────────────────────────────────────────────────────────────────
if (spawnSync("redis-server", ["--version"]).status !== 0) {
  console.error("redis-server is not installed: apt-get update && apt-get install -y redis-server");
  process.exit(1);
}
const port = 21000 + Math.floor(Math.random() * 20000);
const server = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: "ignore" });
const url = `redis://127.0.0.1:${port}`;
const stopServer = () => server.kill("SIGKILL");
process.on("exit", stopServer);
for (let tries = 0; ; tries++) {
  const probe = createClient({ url, socket: { reconnectStrategy: false } });
  probe.on("error", () => {});
  try {
    await probe.connect();
    await probe.ping();
    probe.destroy();
    break;
  } catch {
    if (tries > 200) throw new Error("redis-server did not start");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
const version = String(((await (async () => {
  const client = createClient({ url });
  await client.connect();
  const info = await client.info("server");
  client.destroy();
  return info;
})()).match(/redis_version:(\S+)/) ?? [])[1]);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;
const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
const msText = (ms: number) => (ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);

// ── 1. uncontended ──────────────────────────────────────────────────────────────────────────
const COMPARE_AND_DELETE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

async function floorNodeRedis(): Promise<() => Promise<number>> {
  const client = createClient({ url });
  await client.connect();
  const sha = String(await client.sendCommand(["SCRIPT", "LOAD", COMPARE_AND_DELETE]));
  return async () => {
    const started = performance.now();
    for (let i = 0; i < CYCLES; i++) {
      const token = `t${i}`;
      if (String(await client.sendCommand(["SET", "floor:lock", token, "NX", "PX", "10000"])) !== "OK") throw new Error("floor: SET NX failed");
      if (Number(await client.sendCommand(["EVALSHA", sha, "1", "floor:lock", token])) !== 1) throw new Error("floor: delete failed");
    }
    return (performance.now() - started) / CYCLES;
  };
}

async function floorIoredis(): Promise<() => Promise<number>> {
  const client = new Redis(url);
  await new Promise((resolve) => client.once("ready", resolve));
  const sha = String(await client.call("SCRIPT", "LOAD", COMPARE_AND_DELETE));
  return async () => {
    const started = performance.now();
    for (let i = 0; i < CYCLES; i++) {
      const token = `t${i}`;
      if ((await client.call("SET", "floor:io", token, "NX", "PX", "10000")) !== "OK") throw new Error("floor: SET NX failed");
      if (Number(await client.call("EVALSHA", sha, "1", "floor:io", token)) !== 1) throw new Error("floor: delete failed");
    }
    return (performance.now() - started) / CYCLES;
  };
}

async function uncontended(library: LibraryName): Promise<() => Promise<number>> {
  const lock = await openLock(library, url, `uncontended-${library}`);
  return async () => {
    const started = performance.now();
    for (let i = 0; i < CYCLES; i++) await (await lock.acquire())();
    return (performance.now() - started) / CYCLES;
  };
}

const uncontendedRuns: Record<string, () => Promise<number>> = {
  "floor (node-redis)": await floorNodeRedis(),
  "floor (ioredis)": await floorIoredis(),
};
for (const library of [...libraries, "syncio over ioredis" as const]) uncontendedRuns[library] = await uncontended(library);
const uncontendedTimes: Record<string, number[]> = Object.fromEntries(Object.keys(uncontendedRuns).map((name) => [name, []]));
for (const run of Object.values(uncontendedRuns)) await run(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(uncontendedRuns)) uncontendedTimes[name]!.push(await run());
}
const uncontendedMedian = Object.fromEntries(Object.entries(uncontendedTimes).map(([name, times]) => [name, median(times)]));
console.log("uncontended acquire+release, per cycle (median of rounds):", Object.fromEntries(Object.entries(uncontendedMedian).map(([name, ms]) => [name, us(ms)])));

// ── 2. 4 processes × 25, hold 1 ms ──────────────────────────────────────────────────────────
interface Fairness {
  perAcquisitionMs: number;
  longestRun: number;
  maxWaitMs: number;
  p99WaitMs: number;
}
async function fairness(library: LibraryName): Promise<Fairness> {
  const key = `fair-${library}-${Date.now()}`;
  const labels = ["p1", "p2", "p3", "p4"];
  const children: ChildProcess[] = labels.map((label) =>
    spawn(process.execPath, [here("./contender.js"), library, url, key, label, "25", "1"], { stdio: ["pipe", "pipe", "inherit"] }),
  );
  const lines = children.map((child) => {
    const queue: string[] = [];
    const waiting: Array<(line: string) => void> = [];
    createInterface({ input: child.stdout! }).on("line", (line) => (waiting.length > 0 ? waiting.shift()!(line) : queue.push(line)));
    return () => new Promise<string>((resolve) => (queue.length > 0 ? resolve(queue.shift()!) : waiting.push(resolve)));
  });
  await Promise.all(lines.map(async (next) => {
    if ((await next()) !== "ready") throw new Error("a contender failed to start");
  }));
  const started = performance.now();
  for (const child of children) child.stdin!.write("go\n");
  const results = await Promise.all(lines.map(async (next) => JSON.parse(await next()) as { label: string; waits: number[]; grants: number[] }));
  const elapsed = performance.now() - started;
  // Grant order, from the grant times every process noted on the machine's one wall clock.
  const log = results
    .flatMap((result) => result.grants.map((at) => ({ at, label: result.label })))
    .sort((a, b) => a.at - b.at)
    .map((grant) => grant.label);
  // Longest run of one process while all four wait: from the first grant after each asked once
  // to the first process's last grant.
  const start = Math.max(...labels.map((label) => log.indexOf(label)));
  const end = Math.min(...labels.map((label) => log.lastIndexOf(label)));
  let longestRun = 1;
  for (let i = start + 1, run = 1; i <= end; i++) {
    run = log[i] === log[i - 1] ? run + 1 : 1;
    longestRun = Math.max(longestRun, run);
  }
  if (log.length !== 100) throw new Error(`${library}: ${log.length} grants logged, expected 100`);
  const waits = results.flatMap((result) => result.waits);
  return { perAcquisitionMs: elapsed / 100, longestRun, maxWaitMs: Math.max(...waits), p99WaitMs: percentile(waits, 99) };
}
const fair: Record<string, Fairness> = {};
for (const library of libraries) {
  fair[library] = await fairness(library);
  console.log(`4 processes × 25, hold 1 ms — ${library}:`, fair[library]);
}

// ── 3. hand-off latency, hold 0 ─────────────────────────────────────────────────────────────
async function handOffFloor(): Promise<number[]> {
  const publisher = createClient({ url });
  const subscriber = createClient({ url });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const sha = String(await publisher.sendCommand(["SCRIPT", "LOAD", "return redis.call('PUBLISH', KEYS[1], ARGV[1])"]));
  let arrived: (() => void) | undefined;
  await subscriber.subscribe("floor:channel", () => arrived?.());
  const latencies: number[] = [];
  for (let i = 0; i < HANDOFFS; i++) {
    const delivered = new Promise<void>((resolve) => (arrived = resolve));
    const started = performance.now();
    const replied = publisher.sendCommand(["EVALSHA", sha, "1", "floor:channel", String(i)]);
    await delivered;
    latencies.push(performance.now() - started);
    await replied;
  }
  publisher.destroy();
  subscriber.destroy();
  return latencies;
}

async function handOffSyncio(): Promise<number[]> {
  const [a, b] = await Promise.all([connect(url, { prefix: "bench" }), connect(url, { prefix: "bench" })]);
  const lock = [a.lock("handoff"), b.lock("handoff")] as const;
  let held = await lock[0].acquire();
  let holder = 0;
  const latencies: number[] = [];
  for (let i = 0; i < HANDOFFS; i++) {
    const other = 1 - holder;
    const waiting = lock[other]!.acquire();
    while ((await lock[holder]!.statistics()).waiters !== 1) await new Promise((resolve) => setTimeout(resolve, 1));
    const started = performance.now();
    const released = held.release();
    held = await waiting;
    latencies.push(performance.now() - started);
    await released;
    holder = other;
  }
  await held.release();
  await Promise.all([a.close(), b.close()]);
  return latencies;
}

async function handOffPeer(library: LibraryName): Promise<number[]> {
  const [a, b] = await Promise.all([openLock(library, url, "handoff"), openLock(library, url, "handoff")]);
  const locks = [a, b];
  let release = await a.acquire();
  let holder = 0;
  const latencies: number[] = [];
  for (let i = 0; i < PEER_HANDOFFS; i++) {
    const other = 1 - holder;
    const waiting = locks[other]!.acquire();
    await new Promise((resolve) => setTimeout(resolve, 30)); // its first attempt has failed: it is polling
    const started = performance.now();
    const released = release();
    release = await waiting;
    latencies.push(performance.now() - started);
    await released;
    holder = other;
  }
  await release();
  await Promise.all([a.close(), b.close()]);
  return latencies;
}

const handOff: Record<string, number[]> = { floor: [], syncio: [], redlock: [], "redis-semaphore": [] };
for (let round = 0; round < 3; round++) {
  handOff.floor!.push(...(await handOffFloor()));
  handOff.syncio!.push(...(await handOffSyncio()));
}
handOff.redlock = await handOffPeer("redlock");
handOff["redis-semaphore"] = await handOffPeer("redis-semaphore");
console.log("hand-off latency medians:", Object.fromEntries(Object.entries(handOff).map(([name, values]) => [name, us(median(values))])));

// ── 4. queues ───────────────────────────────────────────────────────────────────────────────
const queueFigures = await measureQueues(url);

// ── the table ──────────────────────────────────────────────────────────────────────────────
const syncioUncontended = uncontendedMedian.syncio!;
const floorUncontended = uncontendedMedian["floor (node-redis)"]!;
const handOffFloorMedian = median(handOff.floor!);
const handOffSyncioMedian = median(handOff.syncio!);
const met = (ok: boolean) => (ok ? "met" : "**missed**");
const rows = [
  "| case | floor | syncio | @sesamecare-oss/redlock | redis-semaphore | target |",
  "| --- | --- | --- | --- | --- | --- |",
  `| uncontended acquire+release, per cycle | ${us(floorUncontended)} (SET NX PX + compare-and-delete; ioredis: ${us(uncontendedMedian["floor (ioredis)"]!)}) | ${us(syncioUncontended)} (${(syncioUncontended / floorUncontended).toFixed(2)}×); over an ioredis client ${us(uncontendedMedian["syncio over ioredis"]!)} (${(uncontendedMedian["syncio over ioredis"]! / uncontendedMedian["floor (ioredis)"]!).toFixed(2)}× its floor) | ${us(uncontendedMedian.redlock!)} | ${us(uncontendedMedian["redis-semaphore"]!)} | ≤ 1.2× floor: ${met(syncioUncontended / floorUncontended <= 1.2)} |`,
  `| 4 processes × 25, hold 1 ms: time per acquisition | – | ${msText(fair.syncio!.perAcquisitionMs)} | ${msText(fair.redlock!.perAcquisitionMs)} | ${msText(fair["redis-semaphore"]!.perAcquisitionMs)} | – |`,
  `| … longest run of one process (all four waiting) | 1 | ${fair.syncio!.longestRun} | ${fair.redlock!.longestRun} | ${fair["redis-semaphore"]!.longestRun} | 1: ${met(fair.syncio!.longestRun === 1)} |`,
  `| … max wait | – | ${msText(fair.syncio!.maxWaitMs)} | ${msText(fair.redlock!.maxWaitMs)} | ${msText(fair["redis-semaphore"]!.maxWaitMs)} | ≤ 10 ms: ${met(fair.syncio!.maxWaitMs <= 10)} |`,
  `| … p99 wait | – | ${msText(fair.syncio!.p99WaitMs)} | ${msText(fair.redlock!.p99WaitMs)} | ${msText(fair["redis-semaphore"]!.p99WaitMs)} | – |`,
  `| hand-off latency, hold 0 (median; p99) | ${us(handOffFloorMedian)}; ${us(percentile(handOff.floor!, 99))} (script + pub/sub delivery) | ${us(handOffSyncioMedian)} (${(handOffSyncioMedian / handOffFloorMedian).toFixed(2)}×); ${us(percentile(handOff.syncio!, 99))} | ${msText(median(handOff.redlock!))}; ${msText(percentile(handOff.redlock!, 99))} | ${msText(median(handOff["redis-semaphore"]!))}; ${msText(percentile(handOff["redis-semaphore"]!, 99))} | ≤ 1.5× floor: ${met(handOffSyncioMedian / handOffFloorMedian <= 1.5)} |`,
];
const machine = `${cpus()[0]?.model.trim()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.versions.node}; redis-server ${version} on loopback; load average ${loadavg().map((value) => value.toFixed(1)).join(" ")} at the end`;
const section = [
  `Written by \`pnpm bench:redis\` on ${new Date().toISOString()}. ${machine}.`,
  "",
  `Wall-clock times on one local redis-server that the run starts; every library with its default retry settings (redlock: retryDelay 200 ms ± 100 ms; redis-semaphore: retryInterval 10 ms). Uncontended: median of ${ROUNDS} interleaved rounds of ${CYCLES} cycles. Fairness: 4 node processes × 25 acquisitions, each holding 1 ms, after one warm-up acquisition each; grant order from the grant times the processes note; a run is counted from the first grant after all four asked, to the first process's last grant. Hand-off: the time from \`release()\` to the waiter's \`acquire()\` resolving, ${3 * HANDOFFS} hand-offs for syncio and its floor (an EVALSHA that PUBLISHes, timed to the subscriber's delivery), ${PEER_HANDOFFS} for the polling peers.`,
  "",
  ...rows,
  "",
  queueMethod,
  "",
  ...queueTable(queueFigures),
].join("\n");
console.log(`\n${section}\n`);

function writeBetween(path: string, start: string, end: string, content: string, heading: string): void {
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  const block = `${start}\n${content}\n${end}`;
  const next = text.includes(start) && text.includes(end) ? text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${heading}\n\n${block}\n`;
  writeFileSync(path, next);
}
writeBetween(here("../../../packages/redis/README.md"), "<!-- bench:redis:start -->", "<!-- bench:redis:end -->", section, "## Benchmark");
writeBetween(here("../../RESULTS.md"), "<!-- bench:redis:start -->", "<!-- bench:redis:end -->", section, "## Redis (`pnpm bench:redis`)");
stopServer();
process.exit(0);
