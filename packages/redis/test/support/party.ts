/**
 * A party of the contract suites: something that uses the Redis primitives — this process over
 * its own connection, or a child process on node, deno or bun driven over stdin/stdout. The same
 * suite runs with every party standing where another could, so what holds within one process
 * is checked across processes too.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { connect, type Lease, type RedisSync } from "@syncio/redis";
import { runtimeCommand, type RuntimeName } from "./runtimes.js";

export type Kind = "lock" | "semaphore" | "boundedSemaphore" | "event" | "queue" | "priorityQueue" | "lifoQueue" | "condition" | "barrier";
export interface Target {
  readonly kind: Kind;
  readonly name: string;
  /** A semaphore's value, a queue's maxsize, a barrier's parties. */
  readonly value?: number;
}
/** A lease as a party reports it. */
export interface Held {
  readonly fence: bigint;
  readonly token: string;
}
export interface CallOptions {
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

export interface Party {
  readonly label: string;
  acquire(target: Target, options?: CallOptions): Promise<Held>;
  tryAcquire(target: Target): Promise<Held | null>;
  /** `lease.release()` of a lease this party got. */
  release(held: Held): Promise<void>;
  /** The lease's `held` and whether its signal aborted. */
  leaseState(held: Held): Promise<{ held: boolean; aborted: boolean }>;
  /** The primitive's bare `release()`. */
  bareRelease(target: Target): Promise<void>;
  wait(target: Target, options?: CallOptions): Promise<true>;
  set(target: Target): Promise<void>;
  clear(target: Target): Promise<void>;
  /**
   * `primitive[method](...args, options?)` on a queue, condition or barrier (a condition's
   * acquire goes through `acquire()`). `getLeased` resolves to `{ token, item }`, and
   * `call(target, "done", [token])` is that leased item's `done()`.
   */
  call(target: Target, method: string, args?: unknown[], options?: CallOptions): Promise<any>;
  close(): Promise<void>;
}

export const primitive = (sync: RedisSync, { kind, name, value }: Target): any => {
  if (kind === "event" || kind === "lock" || kind === "condition") return sync[kind](name);
  if (kind === "queue" || kind === "priorityQueue" || kind === "lifoQueue") return sync[kind](name, { maxsize: value ?? 0 });
  return sync[kind](name, value as number);
};

/** This process, over a connection of its own (or `sync`, shared). */
export async function localParty(url: string, prefix: string, lease: number, shared?: RedisSync): Promise<Party & { sync: RedisSync }> {
  const sync = shared ?? (await connect(url, { prefix, lease }));
  const leases = new Map<string, Lease>();
  let next = 0;
  const info = (lease: Lease | null): Held | null => {
    if (lease === null) return null;
    const token = String(++next);
    leases.set(token, lease);
    return { token, fence: lease.fence };
  };
  const permits = (target: Target) => primitive(sync, target) as ReturnType<RedisSync["lock"]>;
  const event = (target: Target) => sync.event(target.name);
  const leased = new Map<string, { done(): Promise<boolean> }>();
  return {
    label: shared === undefined ? "this process" : "this process (shared connection)",
    sync,
    acquire: async (target, options) => info(await permits(target).acquire(options))!,
    tryAcquire: async (target) => info(await permits(target).tryAcquire()),
    release: (held) => leases.get(held.token)!.release(),
    leaseState: async (held) => ({ held: leases.get(held.token)!.held, aborted: leases.get(held.token)!.signal.aborted }),
    bareRelease: (target) => permits(target).release(),
    wait: (target, options) => event(target).wait(options),
    set: (target) => event(target).set(),
    clear: (target) => event(target).clear(),
    call: async (target, method, args = [], options) => {
      if (method === "done") return leased.get(args[0] as string)!.done();
      const result = await primitive(sync, target)[method](...args, ...(options === undefined ? [] : [options]));
      if (method !== "getLeased") return result;
      const token = String(++next);
      leased.set(token, result);
      return { token, item: result.item };
    },
    close: () => (shared === undefined ? sync.close() : Promise.resolve()),
  };
}

const childFile = fileURLToPath(new URL("./party-child.mjs", import.meta.url));

/** A child process on `runtime` with its own connection. */
export async function remoteParty(runtime: RuntimeName, url: string, prefix: string, lease: number): Promise<Party & { pid: number }> {
  const [command, args] = runtimeCommand(runtime, childFile, [url, prefix, String(lease)]);
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], cwd: fileURLToPath(new URL(".", import.meta.url)) });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  let started: (runtime: unknown) => void;
  const ready = new Promise((resolve) => (started = resolve));
  const killer = setTimeout(() => child.kill("SIGKILL"), 120_000); // a child never outlives its test
  child.on("exit", () => {
    clearTimeout(killer);
    for (const { reject } of pending.values()) reject(new Error(`the ${runtime} party exited`));
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const message = JSON.parse(line) as { id: number; ok: boolean; value: unknown; error: { name: string; message: string } };
    if (message.id === 0) return started(message.value);
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
  });
  const send = (op: string, fields: object = {}, signal?: AbortSignal): Promise<any> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.stdin!.write(JSON.stringify({ id, op, ...fields }) + "\n");
      if (signal !== undefined) {
        // The child aborts its own controller; the call rejects here with this signal's reason.
        signal.addEventListener("abort", () => child.stdin!.write(JSON.stringify({ id: nextId++, op: "abort", call: id }) + "\n"), { once: true });
        pending.set(id, { resolve, reject: (error) => reject(signal.aborted ? signal.reason : error) });
      }
    });
  };
  const held = (value: { token: string; fence: string } | null): Held | null => (value === null ? null : { token: value.token, fence: BigInt(value.fence) });
  const announced = await ready;
  if (announced !== runtime) throw new Error(`the party meant for ${runtime} runs on ${String(announced)}`);
  return {
    label: `a ${runtime} process`,
    pid: child.pid!,
    acquire: async (target, options) => held(await send("acquire", { target, timeout: options?.timeout }, options?.signal))!,
    tryAcquire: async (target) => held(await send("tryAcquire", { target })),
    release: (lease) => send("release", { token: lease.token }),
    leaseState: (lease) => send("leaseState", { token: lease.token }),
    bareRelease: (target) => send("bareRelease", { target }),
    wait: (target, options) => send("wait", { target, timeout: options?.timeout }, options?.signal),
    set: (target) => send("set", { target }),
    clear: (target) => send("clear", { target }),
    call: (target, method, args = [], options) => send("call", { target, method, args, timeout: options?.timeout, withOptions: options !== undefined }, options?.signal),
    close: async () => {
      await send("close").catch(() => {});
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
    },
  };
}

/** Polls `condition` (e.g. a statistics read) until true, failing after `ms`: waits on a real event, not a fixed sleep. */
export async function eventually(condition: () => Promise<boolean> | boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
