/**
 * Drives waiters in real threads from the test thread: each {@link Thread} runs thread.js (Node's
 * worker_threads on Node; the web `Worker` on Deno, Bun and in browsers) and makes the calls it is
 * sent on primitives rebuilt from their handles. `call()` resolves once the call has been made in
 * that thread (so it is queued, or already settled); `settled` once its outcome came back.
 */
import type { Handle } from "../../src/index.js";

/** What came back from a thread: a value, a handle's description, or an error's name and message. */
export interface Reported {
  ok: boolean;
  value?: unknown;
  acquired?: boolean;
  held?: boolean;
  bytes?: number[];
  error?: string;
  message?: string;
  /** For a rejection: whether it was the very `signal.reason` of the call's signal, in that thread. */
  sameReason?: boolean;
  sync?: boolean;
}

/** How long any wait on another thread may take before the test fails (never a sleep). */
export const DEADLINE_MS = 10_000;

/** A call made in another thread. */
export class RemoteCall {
  state: "pending" | "fulfilled" | "rejected" = "pending";
  outcome: Reported | undefined;
  readonly settled: Promise<Reported>;
  #settle!: (outcome: Reported) => void;

  constructor(
    readonly thread: Thread,
    readonly id: number,
    readonly label: string,
  ) {
    this.settled = new Promise((resolve) => (this.#settle = resolve));
  }

  /** @internal */
  report(outcome: Reported): void {
    if (this.state !== "pending") return;
    this.state = outcome.ok ? "fulfilled" : "rejected";
    this.outcome = outcome;
    this.#settle(outcome);
  }

  /** Waits (bounded) until the call settled in its thread; returns its outcome. */
  async outcomeWithin(ms = DEADLINE_MS): Promise<Reported> {
    return within(this.settled, ms, `${this.label} to settle`);
  }
}

/** Something a thread can rebuild: a primitive of @syncio/workers. */
export interface Shareable {
  readonly handle: Handle;
}

/** Fails after `ms` unless `promise` settles first. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls `condition` (on shared memory) until it holds, failing after `ms`: for waiting on another thread, never for ordering. */
export async function until(condition: () => boolean, what: string, ms = DEADLINE_MS): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

interface Port {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

const isNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string" && !("Deno" in globalThis) && !("Bun" in globalThis);
const script = new URL("./thread.js", import.meta.url);

let nextThread = 1;
let nextSignal = 1;

/** One real thread running thread.js. */
export class Thread {
  readonly name: string;
  readonly #port: Port;
  readonly #pending = new Map<number, { call?: RemoteCall; resolve: (message: Reported & { called?: boolean }) => void }>();
  readonly #opened = new WeakMap<object, number>();
  #nextId = 1;
  static #nextRef = 1;

  private constructor(port: Port, name: string) {
    this.#port = port;
    this.name = name;
  }

  /** Starts a thread and waits until it is ready. */
  static async start(): Promise<Thread> {
    const name = `thread ${nextThread++}`;
    let thread!: Thread;
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; id?: number }) => {
        if (message.ready) return resolve();
        thread.#receive(message as Reported & { id: number; called?: boolean });
      };
      if (isNode) {
        const load = import(/* @vite-ignore */ "node:worker_threads") as Promise<typeof import("node:worker_threads")>;
        void load.then(({ Worker }) => {
          const worker = new Worker(script);
          worker.on("message", onMessage);
          worker.on("error", reject);
          thread = new Thread(worker, name);
        });
      } else {
        const worker = new Worker(script, { type: "module" });
        worker.onmessage = (event: MessageEvent) => onMessage(event.data);
        worker.onerror = (event) => reject(new Error(`${name} failed: ${(event as ErrorEvent).message}`));
        thread = new Thread(worker, name);
      }
    });
    await within(ready, 30_000, `${name} to start`);
    return thread;
  }

  /** Makes `primitive` known to this thread (once). */
  async open(primitive: Shareable, options?: object): Promise<number> {
    let ref = this.#opened.get(primitive);
    if (ref !== undefined) return ref;
    ref = Thread.#nextRef++;
    this.#opened.set(primitive, ref);
    const kind = primitive.handle.kind;
    await this.#request({ type: "open", ref, kind, handle: primitive.handle, options });
    return ref;
  }

  /**
   * Calls `method(...args, options)` on `primitive` in this thread; resolves once the call was made
   * there (it is queued, or settled at once). `options.signal` is a {@link RemoteSignal} (or "aborted").
   */
  async call(primitive: Shareable, method: string, args: unknown[] = [], options?: { timeout?: number; signal?: RemoteSignal | "aborted" }): Promise<RemoteCall> {
    const ref = await this.open(primitive);
    return this.#start({ type: "call", ref, method, args, options: wireOptions(options) }, `${method}() in ${this.name}`);
  }

  /** Calls `method()` on what an earlier call resolved to (a handle: `release`, `Symbol.dispose` is "dispose"). */
  async callOn(earlier: RemoteCall, method: string, args: unknown[] = []): Promise<RemoteCall> {
    return this.#start({ type: "call", call: earlier.id, method, args }, `${method}() on ${earlier.label}`);
  }

  /** Aborts `signal` in this thread with `reason` (structured-cloned). */
  async abort(signal: RemoteSignal, reason: unknown): Promise<void> {
    await this.#request({ type: "abort", signal: signal.id, reason });
  }

  /** "abort" listeners on `signal` in this thread. */
  async listeners(signal: RemoteSignal): Promise<number> {
    return (await this.#request({ type: "listeners", signal: signal.id })).value as number;
  }

  /** Installs a virtual clock in this thread (timeouts there then wait for {@link advance}). */
  async useVirtualTime(): Promise<void> {
    await this.#request({ type: "virtualTime" });
  }

  /** Advances this thread's virtual clock. */
  async advance(ms: number): Promise<void> {
    await this.#request({ type: "advance", ms });
  }

  /** This thread's virtual clock: timers armed and keep-alive holds taken. */
  async clock(): Promise<{ pendingTimers: number; pendingHolds: number }> {
    return (await this.#request({ type: "clock" })).value as { pendingTimers: number; pendingHolds: number };
  }

  /** Which runtime runs this thread: "node", "deno", "bun" or "browser". */
  async runtime(): Promise<string> {
    return (await this.#request({ type: "runtime" })).value as string;
  }

  /** Back to real time, and forgets every primitive, result and signal (between tests). */
  async reset(): Promise<void> {
    await this.#request({ type: "realTime" });
    await this.#request({ type: "forget" });
  }

  async terminate(): Promise<void> {
    await this.#port.terminate();
  }

  #receive(message: Reported & { id: number; called?: boolean }): void {
    const entry = this.#pending.get(message.id);
    if (entry === undefined) return;
    if (entry.call === undefined) {
      this.#pending.delete(message.id);
      entry.resolve(message);
      return;
    }
    if (message.called) return entry.resolve(message);
    this.#pending.delete(message.id);
    entry.resolve(message);
    entry.call.report(message);
  }

  async #request(message: object): Promise<Reported> {
    const id = this.#nextId++;
    const answer = new Promise<Reported>((resolve) => this.#pending.set(id, { resolve }));
    this.#port.postMessage({ ...message, id });
    const reported = await within(answer, DEADLINE_MS, `${this.name} to answer ${JSON.stringify(message).slice(0, 80)}`);
    if (!reported.ok) throw new Error(`${this.name}: ${reported.error}: ${reported.message}`);
    return reported;
  }

  async #start(message: object, label: string): Promise<RemoteCall> {
    const id = this.#nextId++;
    const call = new RemoteCall(this, id, label);
    const made = new Promise<Reported>((resolve) => this.#pending.set(id, { call, resolve }));
    this.#port.postMessage({ ...message, id });
    await within(made, DEADLINE_MS, `${label} to be made`);
    return call;
  }
}

/** An AbortController living in another thread, named by a number. */
export interface RemoteSignal {
  readonly id: number;
}

export function remoteSignal(): RemoteSignal {
  return { id: nextSignal++ };
}

function wireOptions(options: { timeout?: number; signal?: RemoteSignal | "aborted" } | undefined): object | undefined {
  if (options === undefined) return undefined;
  const wire: Record<string, unknown> = {};
  if (options.timeout !== undefined) wire.timeout = options.timeout;
  if (options.signal !== undefined) wire.signal = options.signal === "aborted" ? "aborted" : options.signal.id;
  return wire;
}

/** Starts `count` threads for a suite; the returned object stops them. */
export async function startThreads(count: number): Promise<Thread[]> {
  return Promise.all(Array.from({ length: count }, () => Thread.start()));
}
