/**
 * The one small interface the session talks to; one short file per client library implements it
 * (node-redis.ts, ioredis.ts, bun.ts). No primitive knows which client it runs on.
 */

/** A command connection to Redis, and the pub/sub connection the session needs beside it. */
export interface Link {
  /** Which client library this is, for messages: "node-redis", "ioredis", "Bun RedisClient". */
  readonly library: string;
  /** Whether a command sent now would go out at once. */
  readonly ready: boolean;
  /**
   * Sends one command (`["EVALSHA", sha, "4", …]`). Rejects with a {@link ServerReply} for an
   * error Redis replied, with anything else (the client's own error) when the connection failed.
   */
  command(args: readonly string[]): Promise<unknown>;
  /** Calls `lost(cause)` when the connection drops and `ready()` when it is back. */
  watch(events: LinkEvents): void;
  /**
   * Opens a second connection subscribed to `channel`: `onMessage` gets each message, `onReady`
   * is called each time the subscription is (again) in place after a reconnect.
   */
  subscribe(channel: string, onMessage: (message: string) => void, onReady: () => void): Promise<void>;
  /** Closes the subscriber, removes the listeners, and closes the command connection if this link opened it. */
  close(): Promise<void>;
}

export interface LinkEvents {
  lost(cause: unknown): void;
  ready(): void;
}

/** One client library: whether `client` is one of its clients, and the link over it. */
export interface ClientKind {
  readonly library: string;
  matches(client: object): boolean;
  /** `owned`: the link made the client (from a URL) and closes it on `close()`. */
  link(client: object, owned: boolean): Link;
}
