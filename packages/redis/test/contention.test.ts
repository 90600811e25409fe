/**
 * Four processes — node, deno, bun and node — contend on one RedisLock, 25 acquisitions each.
 * Each checks inside Redis that it is alone in the critical section and logs its fence there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@syncio/redis";
import { startChild, type Child } from "./support/children.js";
import { startRedis, type RedisServer } from "./support/server.js";

const COUNT = 25;
// Long enough that a process which just released has queued again before the next release, even on a
// loaded machine: then all four wait at every grant, and FIFO means no process gets two in a row.
const HOLD_MS = 5;
let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

describe("a RedisLock contended by 4 processes on node, deno, bun and node", () => {
  let entries: Array<{ label: string; fence: bigint; waited: number; entered: number }>;
  let exits: Array<number | string>;

  beforeAll(async () => {
    const prefix = `contention-${Date.now()}`;
    const labels = ["node-1", "deno", "bun", "node-2"];
    const children: Child[] = labels.map((label) => startChild(label.startsWith("node") ? "node" : (label as "deno" | "bun"), "contender.mjs", [server.url, prefix, label, String(COUNT), String(HOLD_MS)]));
    await Promise.all(children.map((child) => child.line("ready", 60_000)));
    const sync = await connect(server.url, { prefix });
    await sync.event("go").set();
    exits = await Promise.all(children.map((child) => child.exited));
    const log = (await server.command("LRANGE", `${prefix}:log`, "0", "-1")) as string[];
    entries = log.map((line) => {
      const [label, fence, waited, entered] = line.split(" ");
      return { label: label!, fence: BigInt(fence!), waited: Number(waited), entered: Number(entered) };
    });
    await sync.close();
  }, 120_000);

  it("serves every waiter: each process got its 25 acquisitions and exited cleanly", () => {
    expect(exits).toEqual([0, 0, 0, 0]);
    expect(entries).toHaveLength(4 * COUNT);
    for (const label of ["node-1", "deno", "bun", "node-2"]) expect(entries.filter((entry) => entry.label === label)).toHaveLength(COUNT);
  });

  it("never lets two inside at once (the INCR on entering always gave 1)", () => {
    expect(entries.map((entry) => entry.entered)).toEqual(Array(4 * COUNT).fill(1));
  });

  it("hands out fences that strictly increase in grant order", () => {
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.fence).toBeGreaterThan(entries[i - 1]!.fence);
  });

  it("is FIFO: while all four wait, no process gets the lock twice in a row (longest run 1)", () => {
    // From the first grant after every process asked once, to the first process's last grant.
    const labels = entries.map((entry) => entry.label);
    const start = Math.max(...["node-1", "deno", "bun", "node-2"].map((label) => labels.indexOf(label)));
    const end = Math.min(...["node-1", "deno", "bun", "node-2"].map((label) => labels.lastIndexOf(label)));
    let longest = 1;
    let run = 1;
    for (let i = start + 1; i <= end; i++) {
      run = labels[i] === labels[i - 1] ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    expect(end - start).toBeGreaterThan(3 * COUNT - 8);
    expect(longest).toBe(1);
  });
});
