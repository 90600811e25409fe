/**
 * The one machinery behind a `connect()`: every primitive of the connection sits on it, as the
 * core's primitives sit on the waiter queue.
 *
 * - scripts: EVALSHA, and EVAL with the source when Redis does not know the script (NOSCRIPT);
 * - one subscriber connection for every waiter of the connection, on the channel
 *   `<prefix>:session:<id>`: scripts publish "<entry id> <payload>" there when they grant;
 * - the registry of this connection's entries in Redis (waiting calls and held leases), by id;
 * - the heartbeat: every lease/3, one renew.lua per primitive pushes each entry's deadline on and
 *   reports grants whose message was lost and entries that are gone;
 * - re-checks when the subscription is back after a reconnect (a probe message proves it) and
 *   when the next deadline in a primitive passes (a deadline passing publishes nothing);
 * - the connection's state: a drop rejects pending calls with `ConnectionError`; withdrawals that
 *   could not be sent are retried once it is back, until they stick.
 */
import { holdProcess } from "@syncio/core/internal";
import type { Link } from "./clients/link.js";
import { monotonic, realTimer } from "./clock.js";
import { ConnectionError, ServerReply } from "./errors.js";
import { channelPrefix } from "./keys.js";
import type { Script } from "./scripts.js";
import { scripts } from "./scripts.js";

/** One primitive as the scripts see it. */
export interface PrimitiveRef {
  /** KEYS of its scripts (keys.ts); `keys[0]` identifies the primitive. */
  readonly keys: readonly string[];
  readonly kind: string;
  /** Its value/parties/maxsize as a string ("" for none). */
  readonly config: string;
  /** How a message names it: `sync.lock("orders")`. */
  readonly label: string;
}

/** What the session knows of one of its entries in Redis: a waiting call or a held lease. */
export interface Entry {
  readonly id: string;
  readonly ref: PrimitiveRef;
  /** True for a call still waiting, false for a held lease. */
  readonly waiting: boolean;
  /** A grant reached it (a message, or a renewal that found it granted). */
  granted(payload: string): void;
  /** A renewal confirmed it in Redis until `until` (monotonic ms, conservative). */
  confirmed(until: number): void;
  /** A renewal found it gone from Redis: withdrawn, or reaped after its deadline. */
  lost(): void;
  /** The command connection dropped. */
  disconnected(cause: unknown): void;
  /** What `close()` ends it with (default: withdraw.lua for a waiting call, release.lua for a lease). */
  readonly closeWith?: Script;
}

/** A script's reply: an array whose first element says what happened. */
export type Reply = readonly [string, ...unknown[]];

const noscript = /^NOSCRIPT/;

export class Session {
  /** This connection's id in Redis: entry ids and the channel derive from it. */
  readonly id: string;
  readonly prefix: string;
  /** Milliseconds an entry stays alive in Redis without a renewal. */
  readonly lease: number;
  readonly #link: Link;
  readonly #channel: string;
  #counter = 0;
  /** The cause while the command connection is down; undefined while it is up. */
  #down: unknown = undefined;
  #closed = false;
  /** Set when close() starts: entries end for good. */
  #closing = false;
  readonly #entries = new Map<string, Entry>();
  /** Per primitive, the KEYS and common ARGV every script call starts with. */
  readonly #heads = new WeakMap<PrimitiveRef, string[]>();
  /** Entries by the keys their scripts run on (a condition's differ from its lock's), for the heartbeat. */
  readonly #byPrimitive = new Map<string, Set<Entry>>();
  /** Withdrawals and releases that could not be sent; retried when the connection is back. */
  readonly #backlog = new Map<string, { ref: PrimitiveRef; script: Script }>();
  /** Calls whose reply has not come, rejected at once if the connection drops. */
  readonly #inFlight = new Set<(cause: unknown) => void>();
  /** Per primitive with waiters: the re-check at its next deadline. */
  readonly #recheckTimers = new Map<string, () => void>();
  #stopHeartbeat: (() => void) | undefined;
  #heartbeatRunning: Promise<void> | undefined;
  #probe: string | undefined;
  #stopProbe: (() => void) | undefined;
  /** Holds the process open while a call waits (the sockets may not). */
  #waiting = 0;
  #releaseHold: (() => void) | undefined;

  private constructor(link: Link, prefix: string, lease: number) {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    this.id = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    this.prefix = prefix;
    this.lease = lease;
    this.#link = link;
    this.#channel = channelPrefix(prefix) + this.id;
  }

  /** Subscribes, starts the heartbeat; rejects (closing nothing of the caller's) on failure. */
  static async open(link: Link, prefix: string, lease: number): Promise<Session> {
    const session = new Session(link, prefix, lease);
    // Loaded up front, so EVALSHA finds them: a NOSCRIPT fallback to EVAL (after a restart) can let
    // a later command overtake, which the scripts tolerate (ids are retired) but need not see often.
    await Promise.all(Object.values(scripts).map((script) => link.command(["SCRIPT", "LOAD", script.source])));
    link.watch({ lost: (cause) => session.#lost(cause), ready: () => session.#ready() });
    await link.subscribe(
      session.#channel,
      (message) => session.#message(message),
      () => session.#resubscribed(),
    );
    session.#scheduleHeartbeat();
    return session;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether close() was called. */
  get closing(): boolean {
    return this.#closing;
  }

  /** A new entry id, unique in Redis: "<session>:<n>". */
  nextId(): string {
    return `${this.id}:${++this.#counter}`;
  }

  /**
   * Runs `script` on `ref` with the common ARGV (kind, config, lease, channel prefix) and `args`.
   * Rejects with `ConnectionError` when the connection is down or drops before the reply, and with
   * an `Error` naming both uses when the name is taken by another kind or config.
   */
  async run(script: Script, ref: PrimitiveRef, args: readonly string[] = []): Promise<Reply> {
    if (this.#closed) throw new ConnectionError(`${ref.label}: the connection was closed`);
    if (this.#down !== undefined) throw this.#connectionError(ref, this.#down);
    let head = this.#heads.get(ref);
    if (head === undefined) this.#heads.set(ref, (head = [String(ref.keys.length), ...ref.keys, ref.kind, ref.config, String(this.lease), channelPrefix(this.prefix)]));
    const tail = args.length === 0 ? head : head.concat(args);
    let reply: unknown;
    try {
      reply = await this.#send(["EVALSHA", script.sha1, ...tail]);
    } catch (error) {
      if (!(error instanceof ServerReply && noscript.test(error.message))) throw this.#failure(ref, error);
      try {
        reply = await this.#send(["EVAL", script.source, ...tail]);
      } catch (retried) {
        throw this.#failure(ref, retried);
      }
    }
    const result = reply as Reply;
    if (result[0] === "clash") {
      const [, kind, config] = result as unknown as [string, string, string];
      throw new Error(`${ref.label}: the name is already used in Redis as ${describeUse(kind, config)} (prefix "${this.prefix}"); one name has one kind and one value`);
    }
    return result;
  }

  /** Adds an entry to the registry and the heartbeat. */
  register(entry: Entry): void {
    this.#entries.set(entry.id, entry);
    const primitive = groupOf(entry.ref);
    let group = this.#byPrimitive.get(primitive);
    if (group === undefined) this.#byPrimitive.set(primitive, (group = new Set()));
    group.add(entry);
  }

  unregister(entry: Entry): void {
    if (this.#entries.get(entry.id) !== entry) return;
    this.#entries.delete(entry.id);
    const primitive = groupOf(entry.ref);
    const group = this.#byPrimitive.get(primitive);
    group?.delete(entry);
    if (group?.size === 0) {
      this.#byPrimitive.delete(primitive);
      this.#recheckTimers.get(primitive)?.();
      this.#recheckTimers.delete(primitive);
    }
  }

  /** The entries this session has on the primitive of `ref` (its lock's too, for a condition), oldest first. */
  entriesOf(ref: PrimitiveRef): Entry[] {
    const primitive = ref.keys[0];
    return [...this.#entries.values()].filter((entry) => entry.ref.keys[0] === primitive);
  }

  /** Counts a waiting call, so the process stays alive while one waits. */
  holdWhileWaiting(): () => void {
    if (this.#waiting++ === 0) this.#releaseHold = holdProcess();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (--this.#waiting === 0) {
        this.#releaseHold?.();
        this.#releaseHold = undefined;
      }
    };
  }

  /**
   * Takes entry `id` out of Redis with `script` (withdraw.lua or release.lua), passing on what was
   * granted to it. Idempotent, so a failed attempt is kept and retried once the connection is
   * back, until it sticks; the entry's deadline clears it in any case.
   */
  async leave(ref: PrimitiveRef, id: string, script: Script = scripts.withdraw): Promise<Reply | undefined> {
    try {
      return await this.run(script, ref, [id]);
    } catch (error) {
      if (error instanceof ConnectionError && !this.#closed) this.#backlog.set(id, { ref, script });
      else if (!(error instanceof ConnectionError)) throw error;
      return undefined;
    }
  }

  /** Re-checks `ref` when its next deadline passes (`ms` from now), while this session waits on it. */
  recheckAt(ref: PrimitiveRef, ms: number): void {
    if (ms < 0) return;
    const primitive = groupOf(ref);
    this.#recheckTimers.get(primitive)?.();
    this.#recheckTimers.set(
      primitive,
      realTimer(() => {
        this.#recheckTimers.delete(primitive);
        if (!this.#byPrimitive.has(primitive) || this.#down !== undefined) return;
        this.run(scripts.reap, ref).then(
          (reply) => {
            if (this.#hasWaiters(primitive)) this.recheckAt(ref, Number(reply[1]));
          },
          () => {},
        );
      }, ms + 5),
    );
  }

  /**
   * Withdraws every waiting call (rejecting it with `ConnectionError`), releases every lease
   * (aborting its signal), then closes the subscriber and, if `connect()` made it, the client.
   */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    const entries = [...this.#entries.values()];
    const leaving = entries.map((entry) => this.leave(entry.ref, entry.id, entry.closeWith ?? (entry.waiting ? scripts.withdraw : scripts.release)).catch(() => undefined));
    for (const entry of entries) entry.disconnected(new ConnectionError("the connection was closed"));
    await Promise.all(leaving);
    this.#closed = true;
    this.#stopHeartbeat?.();
    this.#stopProbe?.();
    for (const cancel of this.#recheckTimers.values()) cancel();
    this.#recheckTimers.clear();
    this.#backlog.clear();
    this.#releaseHold?.();
    await this.#link.close();
  }

  #hasWaiters(primitive: string): boolean {
    for (const entry of this.#byPrimitive.get(primitive) ?? []) if (entry.waiting) return true;
    return false;
  }

  // ── connection ───────────────────────────────────────────────────────────────────────────

  #send(command: string[]): Promise<unknown> {
    // ioredis holds a command across a reconnect; the caller hears of the drop at once instead.
    return new Promise((resolve, reject) => {
      const drop = (cause: unknown) => reject(cause);
      this.#inFlight.add(drop);
      this.#link.command(command).then(
        (reply) => {
          this.#inFlight.delete(drop);
          resolve(reply);
        },
        (error: unknown) => {
          this.#inFlight.delete(drop);
          reject(error);
        },
      );
    });
  }

  #failure(ref: PrimitiveRef, error: unknown): Error {
    if (error instanceof ServerReply) return new Error(`${ref.label}: Redis replied with an error: ${error.message}`, { cause: error.cause });
    if (error instanceof ConnectionError) return error;
    return this.#connectionError(ref, error);
  }

  #connectionError(ref: PrimitiveRef, cause: unknown): ConnectionError {
    const detail = cause instanceof Error ? `: ${cause.message}` : "";
    return new ConnectionError(`${ref.label}: the connection to Redis (${this.#link.library}) failed${detail}`, { cause });
  }

  #lost(cause: unknown): void {
    if (this.#closed || this.#down !== undefined) return;
    this.#down = cause ?? new Error("connection lost");
    for (const drop of [...this.#inFlight]) drop(this.#down);
    this.#inFlight.clear();
    for (const entry of [...this.#entries.values()]) entry.disconnected(this.#down);
  }

  #ready(): void {
    if (this.#closed) return;
    this.#down = undefined;
    for (const [id, { ref, script }] of [...this.#backlog]) {
      this.#backlog.delete(id);
      void this.leave(ref, id, script).catch(() => {});
    }
    void this.#beat();
  }

  // ── pub/sub ───────────────────────────────────────────────────────────────────────────────

  #message(message: string): void {
    const space = message.indexOf(" ");
    const head = space < 0 ? message : message.slice(0, space);
    const payload = space < 0 ? "" : message.slice(space + 1);
    if (head === "probe") {
      if (payload === this.#probe) {
        this.#probe = undefined;
        this.#stopProbe?.();
        void this.#beat();
      }
      return;
    }
    this.#entries.get(head)?.granted(payload);
  }

  /**
   * The subscriber reconnected: messages sent meanwhile are gone. Once a probe published now comes
   * back, the subscription is live, and a renewal of every entry finds the grants that were missed.
   */
  #resubscribed(): void {
    if (this.#closed) return;
    const probe = Math.random().toString(36).slice(2);
    this.#probe = probe;
    const send = (): void => {
      if (this.#closed || this.#probe !== probe) return;
      if (this.#down === undefined) void this.#link.command(["PUBLISH", this.#channel, `probe ${probe}`]).catch(() => {});
      this.#stopProbe = realTimer(send, 200);
    };
    this.#stopProbe?.();
    send();
  }

  // ── heartbeat ─────────────────────────────────────────────────────────────────────────────

  #scheduleHeartbeat(): void {
    this.#stopHeartbeat = realTimer(() => {
      void this.#beat().finally(() => {
        if (!this.#closed) this.#scheduleHeartbeat();
      });
    }, this.lease / 3);
  }

  /** One renew.lua per primitive with entries; one beat at a time. */
  #beat(): Promise<void> {
    if (this.#heartbeatRunning !== undefined) return this.#heartbeatRunning;
    const running = (async () => {
      const groups = [...this.#byPrimitive.values()].map((group) => [...group]);
      await Promise.all(groups.map((entries) => this.#renew(entries)));
    })().finally(() => (this.#heartbeatRunning = undefined));
    this.#heartbeatRunning = running;
    return running;
  }

  async #renew(entries: Entry[]): Promise<void> {
    if (entries.length === 0 || this.#closed || this.#down !== undefined) return;
    const ref = entries[0]!.ref;
    const sentAt = monotonic();
    let reply: Reply;
    try {
      reply = await this.run(
        scripts.renew,
        ref,
        entries.map((entry) => entry.id),
      );
    } catch {
      return; // a lease whose renewal cannot be confirmed ends by its own deadline
    }
    const until = sentAt + this.lease;
    entries.forEach((entry, index) => {
      if (this.#entries.get(entry.id) !== entry) return;
      const state = reply[2 + 2 * index];
      if (state === "lost") return entry.lost();
      entry.confirmed(until);
      if (state === "granted") entry.granted(String(reply[3 + 2 * index]));
    });
    if (this.#hasWaiters(groupOf(ref))) this.recheckAt(ref, Number(reply[1]));
  }
}

const groups = new WeakMap<PrimitiveRef, string>();
/** The heartbeat's group of an entry: the keys its scripts run on. */
function groupOf(ref: PrimitiveRef): string {
  let group = groups.get(ref);
  if (group === undefined) groups.set(ref, (group = ref.keys.join(" ")));
  return group;
}

/** "a lock", "a semaphore of value 2", … for clash messages. */
function describeUse(kind: string, config: string): string {
  const article = /^[aeiou]/i.test(kind) ? "an" : "a";
  if (kind === "semaphore" || kind === "boundedSemaphore") return `${article} ${kind} of value ${config}`;
  if (kind === "barrier") return `a barrier of ${config} parties`;
  if (kind.endsWith("ueue")) return `${article} ${kind} of maxsize ${config}`;
  return `${article} ${kind}`;
}
