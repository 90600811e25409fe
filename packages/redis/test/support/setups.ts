/**
 * The arrangements the contract suites run under: every party on one connection, parties on
 * separate connections of this process, and parties in child processes on the other runtimes.
 * `parties[1]` is always this process (tests that pass a local AbortSignal or check what throws
 * synchronously use it); `observer` reads statistics over a connection of its own.
 */
import { connect, type RedisSync } from "@syncio/redis";
import { localParty, remoteParty, type Party } from "./party.js";
import { host, type RuntimeName } from "./runtimes.js";
import type { RedisServer } from "./server.js";

export interface Setup {
  readonly name: string;
  open(server: RedisServer, prefix: string, lease: number): Promise<{ parties: [Party, Party & { sync: RedisSync }, Party]; observer: RedisSync; close(): Promise<void> }>;
}

const others: RuntimeName[] = (["node", "deno", "bun"] as const).filter((runtime) => runtime !== host);

export const setups: Setup[] = [
  {
    name: "within one process, one connection",
    async open(server, prefix, lease) {
      const local = await localParty(server.url, prefix, lease);
      const shared = await localParty(server.url, prefix, lease, local.sync);
      const observer = await connect(server.url, { prefix, lease });
      return { parties: [shared, local, shared], observer, close: async () => void (await Promise.all([local.close(), observer.close()])) };
    },
  },
  {
    name: "within one process, two connections",
    async open(server, prefix, lease) {
      const a = await localParty(server.url, prefix, lease);
      const b = await localParty(server.url, prefix, lease);
      const observer = await connect(server.url, { prefix, lease });
      return { parties: [a, b, a], observer, close: async () => void (await Promise.all([a.close(), b.close(), observer.close()])) };
    },
  },
  {
    name: `across processes (${others[0]} and ${others[1]} children)`,
    async open(server, prefix, lease) {
      const [first, local, third] = await Promise.all([remoteParty(others[0]!, server.url, prefix, lease), localParty(server.url, prefix, lease), remoteParty(others[1]!, server.url, prefix, lease)]);
      const observer = await connect(server.url, { prefix, lease });
      return { parties: [first, local, third], observer, close: async () => void (await Promise.all([first.close(), local.close(), third.close(), observer.close()])) };
    },
  },
];

let counter = 0;
/** A name no other test uses. */
export const freshName = (stem: string): string => `${stem}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
