/**
 * The queue soak across processes: 4 producer and 8 consumer processes (node, deno and bun) move
 * items through one bounded RedisQueue, with 5% of the puts and of the gets aborted at random, and
 * one consumer that uses getLeased() killed with -9 mid-run. Every item whose put resolved is
 * delivered, none twice except the killed consumer's leased items (each delivered again once),
 * join() returns, and the queue's and waiters' keys are empty after.
 *
 * `pnpm test` (and so CI) runs the whole 100 000 items when the test itself runs under node, about
 * a minute here, and 2 000 under deno and bun (the children are the same mix either way);
 * `pnpm test:soak:redis` runs the 100 000 alone; SYNCIO_REDIS_SOAK_ITEMS sets another count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type RedisSync } from "@syncio/redis";
import { startChild, type Child } from "./support/children.js";
import { host, type RuntimeName } from "./support/runtimes.js";
import { startRedis, type RedisServer } from "./support/server.js";

const ITEMS = Number(process.env.SYNCIO_REDIS_SOAK_ITEMS ?? (host === "node" ? 100_000 : 2_000));
const PRODUCERS = 4;
const MAXSIZE = 64;
const LEASE = 2_000;
const ABORT_RATE = 0.05;
const producerRuntimes: RuntimeName[] = ["node", "deno", "bun", "node"];
const consumerRuntimes: RuntimeName[] = ["node", "deno", "bun", "node", "deno", "bun", "node", "bun"];
// The consumer killed is a slow one (20 ms per item, three at once, one of them hung on its 5th item),
// so it holds at least one lease, often several, when it is killed.
const consumerModes = ["get", "get", "get", "get", "lease", "lease", "lease", "slow-lease"];
const KILLED = 7; // a bun consumer using getLeased()

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

describe(`a RedisQueue(${MAXSIZE}) soaked by ${PRODUCERS} producer and 8 consumer processes`, () => {
  const prefix = `soak-${Date.now()}`;
  let sync: RedisSync;
  let exits: Array<number | string>;
  let log: string[];
  let aborted: Set<number>;
  let joinMs: number;
  let totalMs: number;
  let killedAtDelivery: number;
  let keysAfter: Record<string, number>;

  beforeAll(async () => {
    const started = performance.now();
    sync = await connect(server.url, { prefix, lease: LEASE });
    const queue = sync.queue<number>("soak", { maxsize: MAXSIZE });
    const life = 60_000 + ITEMS * 5;
    const common = (role: string, index: number, mode: string) => [server.url, prefix, role, String(index), String(ITEMS), String(PRODUCERS), String(MAXSIZE), String(LEASE), String(ABORT_RATE), mode];
    const producers: Child[] = producerRuntimes.map((runtime, index) => startChild(runtime, "soak-child.mjs", common("producer", index, "-"), life));
    const consumers: Child[] = consumerRuntimes.map((runtime, index) => startChild(runtime, "soak-child.mjs", common("consumer", index, consumerModes[index]!), life));
    await Promise.all([...producers, ...consumers].map((child) => child.line("ready", 60_000)));
    await sync.barrier("start", 13).wait({ timeout: 60_000 });

    // Mid-run: once a third of the items went through, kill -9 the slow leasing consumer. One of its
    // loops hangs on a leased item (noted in <prefix>:hung), so the kill always catches at least that
    // one leased and not done; its other loops may hold more.
    const raw = (...args: string[]) => server.command(...args);
    for (;;) {
      const delivered = Number(await raw("LLEN", `${prefix}:log`));
      if (delivered >= ITEMS / 3 && Number(await raw("EXISTS", `${prefix}:hung`)) === 1) {
        killedAtDelivery = delivered;
        break;
      }
      if (performance.now() - started > life) throw new Error("the soak did not get a third of the way");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    consumers[KILLED]!.kill("SIGKILL");

    const producerExits = await Promise.all(producers.map((child) => child.exited));
    const joinStarted = performance.now();
    await queue.join({ timeout: life });
    joinMs = performance.now() - joinStarted;
    await queue.shutdown();
    exits = [...producerExits, ...(await Promise.all(consumers.map((child) => child.exited)))];
    totalMs = performance.now() - started;
    log = (await raw("LRANGE", `${prefix}:log`, "0", "-1")) as string[];
    aborted = new Set(((await raw("LRANGE", `${prefix}:aborted`, "0", "-1")) as string[]).map(Number));
    // Past the killed consumer's lease, any script reaps its entries; then nothing may be left.
    await new Promise((resolve) => setTimeout(resolve, LEASE + 100));
    await queue.statistics();
    keysAfter = {};
    for (const [key, command] of [["items", "LLEN"], ["line:get", "ZCARD"], ["line:put", "ZCARD"], ["line:join", "ZCARD"], ["carried", "HLEN"], ["granted", "HLEN"], ["expiry", "ZCARD"]] as const) {
      keysAfter[key] = Number(await raw(command, `${prefix}:{soak}:${key}`));
    }
  }, 60_000 + ITEMS * 6);

  afterAll(() => sync?.close());

  it("runs every process to a clean exit but the one killed", () => {
    expect(exits.filter((_, index) => index !== PRODUCERS + KILLED)).toEqual(Array(PRODUCERS + 7).fill(0));
    expect(exits[PRODUCERS + KILLED]).toBe("SIGKILL");
  });

  it("delivers every item whose put resolved, and none twice except the killed consumer's leased items, each delivered again once", () => {
    const deliveries = new Map<number, string[]>();
    const doneByKilled = new Set<number>();
    for (const line of log) {
      const [kind, consumer, itemText] = line.split(" ");
      const item = Number(itemText);
      if (kind === "D") {
        if (Number(consumer) === KILLED) doneByKilled.add(item);
        continue;
      }
      deliveries.set(item, [...(deliveries.get(item) ?? []), consumer!]);
    }
    const missing: number[] = [];
    const duplicated: number[] = [];
    let redelivered = 0;
    for (let item = 0; item < ITEMS; item++) {
      const by = deliveries.get(item) ?? [];
      if (by.length === 0 && !aborted.has(item)) missing.push(item);
      if (by.length > 1) {
        // Only an item the killed consumer leased and never finished may come twice: once to it, once to another.
        const fromKilled = by.filter((consumer) => Number(consumer) === KILLED).length;
        if (by.length === 2 && fromKilled === 1 && by[0] === String(KILLED) && !doneByKilled.has(item)) redelivered++;
        else duplicated.push(item);
      }
    }
    const abortedIn = [...aborted].filter((item) => deliveries.has(item)).length;
    console.log(
      `soak: ${ITEMS} items, ${PRODUCERS} producers, 8 consumers, maxsize ${MAXSIZE}, ${(ABORT_RATE * 100).toFixed(0)}% aborts: ` +
        `${aborted.size} puts aborted (${abortedIn} of their items had entered anyway), consumer ${KILLED} killed -9 after ${killedAtDelivery} deliveries; ` +
        `${redelivered} of its leased items redelivered, ${duplicated.length} duplicated, ${missing.length} missing; join() returned ${joinMs.toFixed(0)} ms after the producers ended; ` +
        `${(totalMs / 1000).toFixed(1)} s in all (${(ITEMS / (totalMs / 1000)).toFixed(0)} items/s)`,
    );
    expect(redelivered).toBeGreaterThan(0);
    if (duplicated.length > 0) console.log("duplicated, with their log lines:", duplicated.slice(0, 5).map((item) => `${item}: ${JSON.stringify(deliveries.get(item))} ${log.filter((line) => line.endsWith(` ${item}`)).join(" | ")}`));
    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(deliveries.size).toBe(ITEMS - aborted.size + abortedIn);
  });

  it("leaves the queue's and the waiters' keys empty", () => {
    expect(keysAfter).toEqual({ items: 0, "line:get": 0, "line:put": 0, "line:join": 0, carried: 0, granted: 0, expiry: 0 });
  });
});
