/**
 * ioredis: commands through `call`, pub/sub on a `duplicate()` (resubscribed by ioredis after a
 * reconnect). ioredis re-sends unanswered commands after a reconnect: every script is idempotent.
 * https://github.com/redis/ioredis#readme
 */
import { ServerReply } from "../errors.js";
import type { ClientKind, Link, LinkEvents } from "./link.js";

/** The part of an ioredis client used here. */
interface IoredisClient {
  readonly status: string;
  call(command: string, ...args: string[]): Promise<unknown>;
  duplicate(): IoredisClient;
  subscribe(channel: string): Promise<unknown>;
  defineCommand: unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

class IoredisLink implements Link {
  readonly library = "ioredis";
  readonly #client: IoredisClient;
  readonly #owned: boolean;
  #subscriber: IoredisClient | undefined;
  readonly #listeners: Array<[IoredisClient, string, (...args: any[]) => void]> = [];

  constructor(client: IoredisClient, owned: boolean) {
    this.#client = client;
    this.#owned = owned;
  }

  get ready(): boolean {
    return this.#client.status === "ready";
  }

  async command(args: readonly string[]): Promise<unknown> {
    const [command, ...rest] = args as string[];
    try {
      return await this.#client.call(command!, ...rest);
    } catch (error) {
      // ioredis rejects a reply Redis sent as an error with a `ReplyError`.
      if ((error as Error | undefined)?.name === "ReplyError") throw new ServerReply((error as Error).message, { cause: error });
      throw error;
    }
  }

  watch(events: LinkEvents): void {
    let lastError: unknown;
    this.#on(this.#client, "error", (error: unknown) => (lastError = error));
    this.#on(this.#client, "close", () => events.lost(lastError ?? new Error("ioredis connection closed")));
    this.#on(this.#client, "ready", () => events.ready());
  }

  async subscribe(channel: string, onMessage: (message: string) => void, onReady: () => void): Promise<void> {
    const subscriber = this.#client.duplicate();
    this.#subscriber = subscriber;
    this.#on(subscriber, "error", () => {});
    this.#on(subscriber, "message", (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    await subscriber.subscribe(channel);
    this.#on(subscriber, "ready", onReady);
  }

  async close(): Promise<void> {
    for (const [client, event, listener] of this.#listeners.splice(0)) client.off(event, listener);
    this.#subscriber?.disconnect();
    this.#subscriber = undefined;
    if (this.#owned) await this.#client.quit().catch(() => this.#client.disconnect());
  }

  #on(client: IoredisClient, event: string, listener: (...args: any[]) => void): void {
    client.on(event, listener);
    this.#listeners.push([client, event, listener]);
  }
}

export const ioredis: ClientKind = {
  library: "ioredis",
  matches: (client) => {
    const candidate = client as Partial<IoredisClient>;
    return typeof candidate.call === "function" && typeof candidate.defineCommand === "function" && typeof candidate.duplicate === "function" && typeof candidate.status === "string";
  },
  link: (client, owned) => new IoredisLink(client as IoredisClient, owned),
};
