/**
 * node-redis v5+ (`redis` / `@redis/client`): commands through `sendCommand`, pub/sub on a
 * `duplicate()`. node-redis restores subscriptions itself after a reconnect.
 * https://github.com/redis/node-redis/blob/master/docs/client-configuration.md
 */
import { ServerReply } from "../errors.js";
import type { ClientKind, Link, LinkEvents } from "./link.js";

/** The part of a node-redis v5+ client used here. */
interface NodeRedisClient {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): NodeRedisClient;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  close(): Promise<void>;
  destroy(): void;
}

/** node-redis rejects a reply Redis sent as an error with an `ErrorReply` (or a subclass). */
function isErrorReply(error: unknown): boolean {
  for (let proto = error === null || typeof error !== "object" ? null : Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === "ErrorReply") return true;
  }
  return false;
}

class NodeRedisLink implements Link {
  readonly library = "node-redis";
  readonly #client: NodeRedisClient;
  readonly #owned: boolean;
  #subscriber: NodeRedisClient | undefined;
  /** Listeners added to the caller's clients, removed on close. */
  readonly #listeners: Array<[NodeRedisClient, string, (...args: any[]) => void]> = [];

  constructor(client: NodeRedisClient, owned: boolean) {
    this.#client = client;
    this.#owned = owned;
  }

  get ready(): boolean {
    return this.#client.isReady;
  }

  async command(args: readonly string[]): Promise<unknown> {
    try {
      return await this.#client.sendCommand(args as string[]);
    } catch (error) {
      if (isErrorReply(error)) throw new ServerReply((error as Error).message, { cause: error });
      throw error;
    }
  }

  watch(events: LinkEvents): void {
    let lastError: unknown;
    this.#on(this.#client, "error", (error: unknown) => {
      lastError = error;
      if (!this.#client.isReady) events.lost(error);
    });
    this.#on(this.#client, "reconnecting", () => events.lost(lastError ?? new Error("node-redis is reconnecting")));
    this.#on(this.#client, "end", () => events.lost(lastError ?? new Error("node-redis connection ended")));
    this.#on(this.#client, "ready", () => events.ready());
  }

  async subscribe(channel: string, onMessage: (message: string) => void, onReady: () => void): Promise<void> {
    const subscriber = this.#client.duplicate();
    // node-redis needs an error listener on every client; failures surface through the command link.
    this.#on(subscriber, "error", () => {});
    this.#subscriber = subscriber;
    await subscriber.connect();
    await subscriber.subscribe(channel, (message) => onMessage(message));
    this.#on(subscriber, "ready", onReady);
  }

  async close(): Promise<void> {
    for (const [client, event, listener] of this.#listeners.splice(0)) client.off(event, listener);
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) subscriber.destroy();
    if (this.#owned && this.#client.isOpen) {
      this.#client.on("error", () => {});
      // close() lets pending replies arrive; while Redis is away it would wait for the reconnect.
      if (this.#client.isReady) await this.#client.close().catch(() => this.#client.destroy());
      else this.#client.destroy();
    }
  }

  #on(client: NodeRedisClient, event: string, listener: (...args: any[]) => void): void {
    client.on(event, listener);
    this.#listeners.push([client, event, listener]);
  }
}

export const nodeRedis: ClientKind = {
  library: "node-redis",
  matches: (client) => {
    const candidate = client as Partial<NodeRedisClient>;
    // v5 renamed quit()/disconnect() to close()/destroy(); v4 clients have neither.
    return typeof candidate.sendCommand === "function" && typeof candidate.duplicate === "function" && typeof candidate.destroy === "function" && "isReady" in candidate;
  },
  link: (client, owned) => new NodeRedisLink(client as NodeRedisClient, owned),
};
