/**
 * The key layout is Cluster-safe: one Redis in cluster mode (all 16384 slots on one node) runs
 * every script, and Redis itself refuses a script whose keys span slots (CROSSSLOT).
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@syncio/redis";
import { eventually } from "./support/party.js";
import { startRedis, type RedisServer } from "./support/server.js";

let server: RedisServer;
const nodesFile = join(tmpdir(), `syncio-cluster-${process.pid}-${Date.now()}.conf`);
beforeAll(async () => {
  server = await startRedis(["--cluster-enabled", "yes", "--cluster-config-file", nodesFile]);
  await server.command("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
  await eventually(async () => String(await server.command("CLUSTER", "INFO")).includes("cluster_state:ok"), "the one-node cluster is up", 10_000);
});
afterAll(async () => {
  await server?.stop();
  rmSync(nodesFile, { force: true });
});

describe("on Redis in cluster mode", () => {
  it("puts every key of a primitive in one slot, and different names in different slots", async () => {
    const slot = async (key: string) => Number(await server.command("CLUSTER", "KEYSLOT", key));
    const keys = ["meta", "expiry", "granted", "retired", "line:acquire"].map((suffix) => `app:{orders}:${suffix}`);
    const slots = await Promise.all(keys.map(slot));
    expect(new Set(slots).size).toBe(1);
    expect(await slot("app:{invoices}:meta")).not.toBe(slots[0]);
  });

  it("refuses a script whose keys span slots (so the check below means something)", async () => {
    const error = await server.command("EVAL", "return 1", "2", "a:{x}", "a:{y}").catch((reason: unknown) => reason);
    expect(String(error)).toMatch(/CROSSSLOT/);
  });

  it("runs a lock hand-off, a semaphore and an event across two connections", async () => {
    const [a, b] = await Promise.all([connect(server.url, { prefix: "cluster" }), connect(server.url, { prefix: "cluster" })]);
    const held = await a.lock("orders").acquire();
    const waiting = b.lock("orders").acquire({ timeout: 5_000 });
    await eventually(async () => (await a.lock("orders").statistics()).waiters === 1, "queued");
    await held.release();
    const next = await waiting;
    expect(next.fence).toBe(held.fence + 1n);
    await next.release();
    const permit = await b.semaphore("api", 2).acquire();
    expect(await a.semaphore("api", 2).value()).toBe(1);
    await permit.release();
    const woken = b.event("go").wait({ timeout: 5_000 });
    await eventually(async () => (await a.event("go").statistics()).waiters === 1, "an event waiter");
    await a.event("go").set();
    expect(await woken).toBe(true);
    await Promise.all([a.close(), b.close()]);
  });
});
