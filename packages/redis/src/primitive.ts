/** What every Redis primitive shares: its place in Redis, its session, its string form. */
import { inspectSymbol } from "@syncio/core/internal";
import { primitiveKeys } from "./keys.js";
import { scripts } from "./scripts.js";
import type { PrimitiveRef, Session } from "./session.js";

/** What statistics.lua reports. */
export interface Snapshot {
  /** Grants held (holders of a lock or semaphore). */
  readonly granted: number;
  /** Callers waiting in the primitive's first line, in every process. */
  readonly waiting: number;
  /** The event's flag. */
  readonly flag: boolean;
}

/** @internal Base of the Redis primitives. */
export abstract class RedisPrimitive {
  /** The name every process uses for this primitive (with the connection's prefix). */
  readonly name: string;
  /** @internal */
  protected readonly session: Session;
  /** @internal */
  protected readonly ref: PrimitiveRef;

  /**
   * @internal `kind` is the name in Redis ("lock", …); `config` its value ("" for none); `lines`
   * and `data` its keys after the machinery's (keys.ts). `tag`: the name whose hash tag the keys
   * live under (a condition's lock), if not its own.
   */
  protected constructor(session: Session, kind: string, name: string, config: string, lines: readonly string[], data: readonly string[] = [], tag = name) {
    this.session = session;
    this.name = name;
    const shown = kind === "barrier" ? `parties ${config}` : kind.endsWith("ueue") ? `maxsize ${config}` : `value ${config}`;
    const label = `${this.constructor.name} ${JSON.stringify(name)}${config === "" || kind === "lock" ? "" : ` (${shown})`}`;
    this.ref = { keys: primitiveKeys(session.prefix, tag, lines, data), kind, config, label };
  }

  /** `<RedisLock "orders">` — local: it reads nothing from Redis. */
  toString(): string {
    return `<${this.constructor.name} ${JSON.stringify(this.name)}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }

  /** @internal The shared state, after the dead are reaped. */
  protected async snapshot(): Promise<Snapshot> {
    const reply = await this.session.run(scripts.statistics, this.ref);
    return { granted: Number(reply[1]), waiting: Number(reply[2]), flag: reply[3] === "1" };
  }
}
