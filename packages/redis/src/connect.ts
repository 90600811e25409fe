/** `connect()` and the connection object whose factories make the primitives. */
import { createClient } from "@redis/client";
import { checkInteger, inspectSymbol, rangeError, typeError } from "@syncio/core/internal";
import type { ClientKind, Link } from "./clients/link.js";
import { nodeRedis } from "./clients/node-redis.js";
import { ConnectionError } from "./errors.js";
import { RedisBarrier } from "./barrier.js";
import { RedisCondition } from "./condition.js";
import { RedisEvent } from "./event.js";
import { RedisLock } from "./lock.js";
import { checkQueueOptions, RedisLifoQueue, RedisPriorityQueue, RedisQueue, type RedisPriorityQueueOptions, type RedisQueueOptions } from "./queue.js";
import { checkValue, RedisBoundedSemaphore, RedisSemaphore } from "./semaphore.js";
import { Session } from "./session.js";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** The namespace of every key and channel (default `"syncio"`): processes share a primitive when prefix, kind and name match. No `{` or `}`. */
  prefix?: string | undefined;
  /**
   * Milliseconds an entry (a held lease, a waiting call) stays alive in Redis without a renewal
   * (default 30 000, at least 100). The connection renews every `lease / 3`; a holder that dies
   * loses its lease at most `lease` ms later. Make it much longer than the longest time your
   * event loop can be blocked.
   */
  lease?: number | undefined;
}

/** What `connect()` accepts: a `redis://` / `rediss://` URL, or a connected client. */
export type ConnectTarget = string | object;

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for("Symbol.asyncDispose");
const DEFAULT_PREFIX = "syncio";
const DEFAULT_LEASE = 30_000;
const MIN_LEASE = 100;

/**
 * A connection to Redis: the factories of the primitives, sharing one session (one subscriber
 * connection, one heartbeat). Close it when done (`await using` works).
 */
export class RedisSync implements AsyncDisposable {
  readonly #session: Session;
  /** The locks this connection made: a condition's lock must be one of them. */
  readonly #locks = new WeakSet<RedisLock>();

  /** @internal Made by {@link connect}. */
  constructor(session: Session) {
    this.#session = session;
  }

  /** The key prefix of this connection. */
  get prefix(): string {
    return this.#session.prefix;
  }

  /** The lease in milliseconds. */
  get lease(): number {
    return this.#session.lease;
  }

  /** The lock `name`, shared by every process with the same prefix. asyncio: `asyncio.Lock()`. */
  lock(name: string): RedisLock {
    const lock = new RedisLock(this.#session, checkName("lock()", name));
    this.#locks.add(lock);
    return lock;
  }

  /**
   * The semaphore `name` with `value` permits (an integer ≥ 1, default 1). Every process must use
   * the same value. asyncio: `asyncio.Semaphore(value)`.
   */
  semaphore(name: string, value = 1): RedisSemaphore {
    return new RedisSemaphore(this.#session, checkName("semaphore()", name), checkValue("semaphore()", value));
  }

  /** The bounded semaphore `name` with `value` permits (an integer ≥ 1, default 1). asyncio: `asyncio.BoundedSemaphore(value)`. */
  boundedSemaphore(name: string, value = 1): RedisBoundedSemaphore {
    return new RedisBoundedSemaphore(this.#session, checkName("boundedSemaphore()", name), checkValue("boundedSemaphore()", value));
  }

  /** The event `name`, shared by every process with the same prefix. asyncio: `asyncio.Event()`. */
  event(name: string): RedisEvent {
    return new RedisEvent(this.#session, checkName("event()", name));
  }

  /**
   * The condition `name` on `lock` (a lock of this connection; default: the lock `name`, so
   * `sync.lock(name)` is its lock), shared by every process with the same prefix and names.
   * asyncio: `asyncio.Condition(lock)`.
   * @throws TypeError if `lock` is not a lock made by this connection.
   */
  condition(name: string, lock?: RedisLock): RedisCondition {
    checkName("condition()", name);
    if (lock !== undefined && !(lock instanceof RedisLock && this.#locks.has(lock))) throw typeError("condition()", "lock", "a RedisLock of this connection (sync.lock(name)) or undefined", lock);
    return new RedisCondition(this.#session, name, lock ?? this.lock(name));
  }

  /** The barrier `name` for `parties` callers (an integer ≥ 1; every process must use the same). asyncio: `asyncio.Barrier(parties)`. */
  barrier(name: string, parties: number): RedisBarrier {
    checkName("barrier()", name);
    return new RedisBarrier(this.#session, name, checkInteger("barrier()", "parties", parties, 1));
  }

  /**
   * The FIFO queue `name`, shared by every process with the same prefix: `maxsize` (≤ 0, the
   * default: unbounded; every process must use the same) and `codec` (default JSON).
   * asyncio: `asyncio.Queue(maxsize)`.
   */
  queue<T = unknown>(name: string, options?: RedisQueueOptions<T>): RedisQueue<T> {
    checkName("queue()", name);
    const { maxsize, codec } = checkQueueOptions<T>("queue()", options, false);
    return new RedisQueue<T>(this.#session, name, maxsize, codec);
  }

  /** The priority queue `name`: smallest `priority(item)` first. asyncio: `asyncio.PriorityQueue(maxsize)`. */
  priorityQueue<T = unknown>(name: string, options?: RedisPriorityQueueOptions<T>): RedisPriorityQueue<T> {
    checkName("priorityQueue()", name);
    const { maxsize, codec, priority } = checkQueueOptions<T>("priorityQueue()", options, true);
    return new RedisPriorityQueue<T>(this.#session, name, maxsize, codec, priority);
  }

  /** The LIFO queue `name`: newest first. asyncio: `asyncio.LifoQueue(maxsize)`. */
  lifoQueue<T = unknown>(name: string, options?: RedisQueueOptions<T>): RedisLifoQueue<T> {
    checkName("lifoQueue()", name);
    const { maxsize, codec } = checkQueueOptions<T>("lifoQueue()", options, false);
    return new RedisLifoQueue<T>(this.#session, name, maxsize, codec);
  }

  /**
   * Withdraws this connection's waiting calls (they reject with `ConnectionError`), releases its
   * leases (their signals abort with `LeaseLostError`), and closes its subscriber connection and
   * the client if `connect()` created it from a URL (a client you passed stays open).
   */
  close(): Promise<void> {
    return this.#session.close();
  }

  [asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `<RedisSync prefix="syncio">`. */
  toString(): string {
    return `<RedisSync prefix=${JSON.stringify(this.prefix)}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/**
 * What `connect()` does, over the client kinds a build supports (index.ts: node-redis and ioredis;
 * index.bun.ts adds Bun's RedisClient). Checks the arguments synchronously, then connects.
 */
export function connectWith(kinds: readonly ClientKind[], target: ConnectTarget, options?: ConnectOptions): Promise<RedisSync> {
  const { prefix, lease } = checkOptions(options);
  if (typeof target === "string") {
    const url = checkUrl(target);
    return open(() => connectUrl(target, url), prefix, lease);
  }
  if (target === null || typeof target !== "object") throw typeError("connect()", "target", expectedTarget, target);
  const kind = kinds.find((candidate) => candidate.matches(target));
  if (kind === undefined) throw typeError("connect()", "target", expectedTarget, target);
  const link = kind.link(target, false);
  if (!link.ready) throw new TypeError(`connect(): the ${kind.library} client is not connected: connect it first (or pass a redis:// URL)`);
  return open(async () => link, prefix, lease);
}

const expectedTarget = "a redis:// or rediss:// URL, or a connected node-redis v5+, ioredis or (under Bun) Bun RedisClient client";

async function open(makeLink: () => Promise<Link>, prefix: string, lease: number): Promise<RedisSync> {
  const link = await makeLink();
  try {
    return new RedisSync(await Session.open(link, prefix, lease));
  } catch (error) {
    await link.close().catch(() => {});
    throw new ConnectionError(`connect(): could not start the session over ${link.library} (load the scripts, subscribe): ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

async function connectUrl(target: string, url: URL): Promise<Link> {
  let connected = false;
  const client = createClient({
    url: target,
    // A call made while Redis is unreachable fails at once (ConnectionError) instead of waiting.
    disableOfflineQueue: true,
    socket: {
      // The first connection fails fast; later ones retry with backoff, up to 2 s apart.
      reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause),
    },
  });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new ConnectionError(`connect(): could not connect to ${shown(url)}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  connected = true;
  return nodeRedis.link(client, true);
}

/** The URL without its password, for messages. */
function shown(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== "") copy.password = "***";
  return copy.href;
}

function checkUrl(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw typeError("connect()", "target", expectedTarget, target);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw typeError("connect()", "target", expectedTarget, target);
  return url;
}

function checkOptions(options: ConnectOptions | undefined): { prefix: string; lease: number } {
  if (options === undefined) return { prefix: DEFAULT_PREFIX, lease: DEFAULT_LEASE };
  if (typeof options !== "object" || options === null) throw typeError("connect()", "options", "an object or undefined", options);
  for (const key of Object.keys(options)) {
    if (key !== "prefix" && key !== "lease") throw new TypeError(`connect(): unknown option \`${key}\`: the options are \`prefix\` and \`lease\``);
  }
  const { prefix = DEFAULT_PREFIX, lease = DEFAULT_LEASE } = options;
  if (typeof prefix !== "string") throw typeError("connect()", "options.prefix", "a non-empty string without { or }", prefix);
  if (prefix === "" || /[{}]/.test(prefix)) throw rangeError("connect()", "options.prefix", "a non-empty string without { or }", prefix);
  if (typeof lease !== "number") throw typeError("connect()", "options.lease", `a number of milliseconds ≥ ${MIN_LEASE}`, lease);
  if (!Number.isInteger(lease) || lease < MIN_LEASE || lease > 2 ** 31 - 1) throw rangeError("connect()", "options.lease", `an integer number of milliseconds from ${MIN_LEASE} to 2³¹−1`, lease);
  return { prefix, lease };
}

function checkName(where: string, name: unknown): string {
  if (typeof name !== "string") throw typeError(where, "name", "a non-empty string", name);
  if (name === "") throw rangeError(where, "name", "a non-empty string", name);
  return name;
}
