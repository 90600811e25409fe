/**
 * connect(client) over each client library a caller may bring — node-redis v5+, ioredis, and
 * Bun's RedisClient (under Bun only: its adapter is only in the `bun` build) — through the same
 * session machinery: a hand-off between two connections, an event, a killed subscriber, close().
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@redis/client";
import { Redis } from "ioredis";
import { connect, ConnectionError, LeaseLostError } from "@syncio/redis";
import { eventually } from "./support/party.js";
import { host } from "./support/runtimes.js";
import { startRedis, type RedisServer } from "./support/server.js";
import { freshName } from "./support/setups.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server?.stop());

interface ClientKind {
  readonly name: string;
  readonly runtimes: readonly string[];
  /** A connected client, and how to ping and close it. */
  open(url: string): Promise<{ client: object; ping(): Promise<unknown>; close(): Promise<void> | void }>;
  /** A client not connected yet. */
  unconnected(url: string): object;
}

const kinds: ClientKind[] = [
  {
    name: "node-redis",
    runtimes: ["node", "deno", "bun"],
    async open(url) {
      const client = createClient({ url });
      client.on("error", () => {});
      await client.connect();
      return { client, ping: () => client.ping(), close: () => client.destroy() };
    },
    unconnected: (url) => createClient({ url }),
  },
  {
    name: "ioredis",
    runtimes: ["node", "deno", "bun"],
    async open(url) {
      const client = new Redis(url);
      client.on("error", () => {});
      await new Promise((resolve, reject) => (client.once("ready", resolve), client.once("error", reject)));
      return { client, ping: () => client.ping(), close: () => client.disconnect() };
    },
    unconnected: (url) => new Redis(url, { lazyConnect: true }),
  },
  {
    name: "Bun RedisClient",
    runtimes: ["bun"],
    async open(url) {
      const { RedisClient } = (await import("bun" as string)) as typeof import("bun");
      const client = new RedisClient(url);
      await client.connect();
      return { client, ping: () => client.send("PING", []), close: () => client.close() };
    },
    unconnected: () => {
      throw new Error("unused");
    },
  },
];

describe.each(kinds.filter((kind) => kind.runtimes.includes(host)))("connect() with a $name client", (kind) => {
  const prefix = `clients-${kind.name.replace(/\W/g, "")}-${Date.now()}`;

  it("hands a lock from one connection to a waiter on another, in order, with increasing fences", async () => {
    const [a, b] = await Promise.all([kind.open(server.url), kind.open(server.url)]);
    const [syncA, syncB] = await Promise.all([connect(a.client, { prefix, lease: 1_000 }), connect(b.client, { prefix, lease: 1_000 })]);
    const name = freshName("lock");
    const held = await syncA.lock(name).acquire();
    const waiting = syncB.lock(name).acquire({ timeout: 5_000 });
    await eventually(async () => (await syncA.lock(name).statistics()).waiters === 1, "queued");
    await held.release();
    const next = await waiting;
    expect(next.fence).toBe(held.fence + 1n);
    await next.release();
    expect(await syncB.lock(name).locked()).toBe(false);
    await Promise.all([syncA.close(), syncB.close()]);
    // The caller's clients stay open.
    expect(await a.ping()).toBe("PONG");
    await Promise.all([a.close(), b.close()]);
  });

  it("still wakes a waiter after its subscriber connection is killed, and renews a lease past its first deadline", async () => {
    const [a, b] = await Promise.all([kind.open(server.url), kind.open(server.url)]);
    const [syncA, syncB] = await Promise.all([connect(a.client, { prefix, lease: 600 }), connect(b.client, { prefix, lease: 600 })]);
    const name = freshName("killed");
    const held = await syncA.lock(name).acquire();
    const waiting = syncB.lock(name).acquire({ timeout: 5_000 });
    const event = syncB.event(`${name}-e`).wait({ timeout: 5_000 });
    await eventually(async () => (await syncA.lock(name).statistics()).waiters === 1, "queued");
    await server.command("CLIENT", "KILL", "TYPE", "pubsub");
    await syncA.event(`${name}-e`).set();
    await new Promise((resolve) => setTimeout(resolve, 900)); // past the first deadline: the heartbeat keeps both alive
    expect(held.signal.aborted).toBe(false);
    await held.release();
    const next = await waiting;
    expect(await event).toBe(true);
    expect(next.fence).toBe(held.fence + 1n);
    await next.release();
    await Promise.all([syncA.close(), syncB.close()]);
    await Promise.all([a.close(), b.close()]);
  });

  it("rejects a pending call with ConnectionError within 1 s when Redis is killed, aborts the lease, and works again after a restart", async () => {
    const [a, b] = await Promise.all([kind.open(server.url), kind.open(server.url)]);
    const [syncA, syncB] = await Promise.all([connect(a.client, { prefix, lease: 1_000 }), connect(b.client, { prefix, lease: 1_000 })]);
    const name = freshName("restart");
    const held = await syncA.lock(name).acquire();
    const pending = syncB.lock(name).acquire().catch((error: unknown) => error);
    await eventually(async () => (await syncA.lock(name).statistics()).waiters === 1, "queued");
    const killedAt = performance.now();
    await server.kill();
    expect(await pending).toBeInstanceOf(ConnectionError);
    expect(performance.now() - killedAt).toBeLessThan(1_000);
    await eventually(() => held.signal.aborted, "the lease's signal aborts", 2_000);
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    await server.start();
    await eventually(
      async () => {
        const lease = await syncB.lock(`${name}-after`).acquire({ timeout: 1_000 }).catch(() => undefined);
        await lease?.release();
        return lease !== undefined;
      },
      "a new acquire works once Redis is back",
      10_000,
    );
    await Promise.all([syncA.close(), syncB.close()]);
    await Promise.all([a.close(), b.close()]);
  });

  if (kind.name !== "Bun RedisClient") {
    it("refuses a client that is not connected yet, at once", () => {
      expect(() => connect(kind.unconnected(server.url))).toThrow(/not connected/);
    });
  }
});

describe("the build this runtime loads", () => {
  it(host === "bun" ? "takes Bun's RedisClient (the bun export condition)" : "refuses anything but node-redis and ioredis clients", async () => {
    if (host === "bun") {
      const { RedisClient } = (await import("bun" as string)) as typeof import("bun");
      const client = new RedisClient(server.url);
      await client.connect();
      const sync = await connect(client);
      expect(await sync.lock(freshName("bun")).locked()).toBe(false);
      await sync.close();
      client.close();
    } else {
      expect(() => connect({ send() {}, connected: true, duplicate() {}, onconnect: null } as never)).toThrow(TypeError);
    }
  });
});
