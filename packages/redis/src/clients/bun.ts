/**
 * Bun's built-in `RedisClient`: commands through `send`, pub/sub on an awaited `duplicate()`.
 * Loaded only by the `bun` build (index.bun.ts). What Bun 1.4 does, as measured here (Redis 7.0):
 * while it reconnects by itself it calls no `onclose` (only a final close does) and queues new
 * commands until it is back, while commands in flight reject with ERR_REDIS_CONNECTION_CLOSED;
 * `onconnect` fires again once reconnected. So the link watches `connected` (every 100 ms) and
 * refuses commands while it is false, and subscribes again on every `onconnect` of the subscriber.
 * https://bun.com/docs/api/redis
 */
import { realTimer } from "../clock.js";
import { ServerReply } from "../errors.js";
import type { ClientKind, Link, LinkEvents } from "./link.js";

/** The part of Bun's RedisClient used here. */
interface BunRedisClient {
  readonly connected: boolean;
  send(command: string, args: string[]): Promise<unknown>;
  duplicate(): Promise<BunRedisClient>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  onconnect: (() => void) | null;
  onclose: ((error: Error) => void) | null;
  close(): void;
}

class BunLink implements Link {
  readonly library = "Bun RedisClient";
  readonly #client: BunRedisClient;
  readonly #owned: boolean;
  #subscriber: BunRedisClient | undefined;
  #closed = false;
  #stopPolling: (() => void) | undefined;
  /** The caller's own callbacks, called before ours and put back on close. */
  #theirs: { onconnect: BunRedisClient["onconnect"]; onclose: BunRedisClient["onclose"] } | undefined;

  constructor(client: BunRedisClient, owned: boolean) {
    this.#client = client;
    this.#owned = owned;
  }

  get ready(): boolean {
    return this.#client.connected;
  }

  async command(args: readonly string[]): Promise<unknown> {
    const [command, ...rest] = args as string[];
    // Bun would hold it until it has reconnected: a call made while Redis is away fails at once.
    if (!this.#client.connected) throw Object.assign(new Error("Bun RedisClient is not connected"), { code: "ERR_REDIS_CONNECTION_CLOSED" });
    try {
      return await this.#client.send(command!, rest);
    } catch (error) {
      if ((error as { code?: string } | undefined)?.code === "ERR_REDIS_SERVER_ERROR") throw new ServerReply((error as Error).message, { cause: error });
      throw error;
    }
  }

  watch(events: LinkEvents): void {
    const client = this.#client;
    const theirs = (this.#theirs = { onconnect: client.onconnect, onclose: client.onclose });
    client.onconnect = () => {
      theirs.onconnect?.call(client);
      events.ready();
    };
    client.onclose = (error) => {
      theirs.onclose?.call(client, error);
      if (!this.#closed) events.lost(error);
    };
    let wasConnected = client.connected;
    const poll = () => {
      if (this.#closed) return;
      if (wasConnected && !client.connected) events.lost(new Error("Bun RedisClient lost its connection"));
      wasConnected = client.connected;
      this.#stopPolling = realTimer(poll, 100);
    };
    poll();
  }

  async subscribe(channel: string, onMessage: (message: string) => void, onReady: () => void): Promise<void> {
    const subscriber = await this.#client.duplicate();
    this.#subscriber = subscriber;
    const listen = () => subscriber.subscribe(channel, (message) => onMessage(message));
    subscriber.onconnect = () => {
      if (!this.#closed) void listen().then(onReady, () => {});
    };
    subscriber.onclose = () => {};
    await listen();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopPolling?.();
    if (this.#theirs !== undefined) {
      this.#client.onconnect = this.#theirs.onconnect;
      this.#client.onclose = this.#theirs.onclose;
    }
    this.#subscriber?.close();
    this.#subscriber = undefined;
    if (this.#owned) this.#client.close();
  }
}

export const bunRedis: ClientKind = {
  library: "Bun RedisClient",
  matches: (client) => {
    const candidate = client as Partial<BunRedisClient>;
    return typeof candidate.send === "function" && typeof candidate.duplicate === "function" && "connected" in candidate && "onconnect" in candidate;
  },
  link: (client, owned) => new BunLink(client as BunRedisClient, owned),
};
