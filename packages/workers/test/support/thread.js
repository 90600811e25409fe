// The program every test thread runs: a small RPC server. The test thread sends it the handles of
// primitives and the calls to make on them; it makes each call in this thread, reports at once that
// the call was made (so the test knows it is queued), and reports again when it settles. Plain
// JavaScript on the package's build, so Node's worker_threads, Deno's and Bun's Workers and a
// browser's Worker all run it as is.
import * as workers from "../../dist/index.js";
import { VirtualClock } from "@syncio/core/testing";

const isNode = typeof globalThis.process?.versions?.node === "string" && !("Deno" in globalThis) && !("Bun" in globalThis);
/** @type {{ postMessage(message: unknown): void }} */
let port;
if (isNode) {
  const { parentPort } = await import(/* @vite-ignore */ "node:worker_threads");
  port = parentPort;
  parentPort.on("message", (message) => onMessage(message));
} else {
  port = globalThis;
  globalThis.onmessage = (event) => onMessage(event.data);
}

/** Primitives by the test's reference number. */
const primitives = new Map();
/** Abort controllers by the test's signal number, with the listeners on each. */
const controllers = new Map();
/** What each call resolved to (handles to release later), by call number. */
const results = new Map();
/** The virtual clock, once the test asked for one. */
let clock;

/**
 * Calls that take several steps in this thread, named like methods. Each reports "called" through
 * `called()` once its waiter is queued, then settles with a description.
 */
const scenarios = {
  /** As core's startWaiter: acquire the condition, wait, note whether the lock was held on settling, release. */
  async waitHoldingLock(condition, called, options) {
    await condition.acquire();
    const outcome = {};
    try {
      const waiting = condition.wait(options);
      called();
      await waiting;
      outcome.settled = "resolved";
    } catch (error) {
      outcome.settled = "rejected";
      outcome.reason = error?.name ?? String(error);
    } finally {
      outcome.heldLockOnSettle = condition.locked();
      condition.release();
    }
    return outcome;
  },
  /** Acquire the condition, waitFor the shared flag (Int32 0 of `flag`) to be non-zero, note how often the predicate ran with the lock held, release. */
  async waitForFlagHoldingLock(condition, called, options, flag) {
    const words = new Int32Array(flag);
    await condition.acquire();
    const checks = [];
    try {
      const waiting = condition.waitFor(() => {
        checks.push(condition.locked());
        return Atomics.load(words, 0) || false;
      }, options);
      called();
      return { value: await waiting, checks, heldLockOnSettle: condition.locked() };
    } catch (error) {
      return { reason: error?.name ?? String(error), checks, heldLockOnSettle: condition.locked() };
    } finally {
      condition.release();
    }
  },
  /**
   * Free-running contention: `iterations` random acquisitions (tryAcquire, plain, with a real
   * timeout of 0–2 ms, or aborted a random moment later), each holding for a few turns. Counts in
   * `counters`: [0] callers inside now, [1] times more than `permits` were inside, [2] acquisitions,
   * [3] calls that gave up (timeout or abort).
   */
  async chaosAcquire(primitive, called, _options, iterations, seed, counters, permits) {
    called();
    const words = new Int32Array(counters);
    const random = xorshift(seed);
    for (let i = 0; i < iterations; i++) {
      const roll = random();
      let handle = null;
      try {
        if (roll % 5 === 0) handle = primitive.tryAcquire();
        else if (roll % 5 === 1) handle = await primitive.acquire({ timeout: roll % 3 });
        else if (roll % 5 === 2) {
          const controller = new AbortController();
          const acquiring = primitive.acquire({ signal: controller.signal });
          if (roll & 64) queueMicrotask(() => controller.abort("gave up"));
          else setTimeout(() => controller.abort("gave up"), roll % 2);
          handle = await acquiring;
        } else handle = await primitive.acquire();
      } catch (error) {
        if (error === "gave up" || error?.name === "TimeoutError") {
          Atomics.add(words, 3, 1);
          continue;
        }
        throw error;
      }
      if (handle === null) continue;
      if (Atomics.add(words, 0, 1) + 1 > permits) Atomics.add(words, 1, 1);
      Atomics.add(words, 2, 1);
      for (let turn = 0; turn < (roll >>> 8) % 3; turn++) await null;
      if ((roll >>> 10) % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      Atomics.sub(words, 0, 1);
      handle.release();
    }
    return "done";
  },
  /** Puts `count` distinct items (`base` + i), some with a timeout or an abort; returns those that went in. */
  async chaosPut(queue, called, _options, count, base, seed) {
    called();
    const random = xorshift(seed);
    const entered = [];
    for (let i = 0; i < count; i++) {
      const roll = random();
      const item = base + i;
      try {
        if (roll % 4 === 0) {
          const controller = new AbortController();
          const putting = queue.put(item, { signal: controller.signal });
          queueMicrotask(() => controller.abort("gave up"));
          await putting;
        } else if (roll % 4 === 1) await queue.put(item, { timeout: roll % 2 });
        else await queue.put(item);
        entered.push(item);
      } catch (error) {
        if (error !== "gave up" && error?.name !== "TimeoutError") throw error;
      }
    }
    return entered;
  },
  /** Takes items until the queue is shut down and drained, some gets giving up by timeout or abort; returns them in order. */
  async chaosGet(queue, called, _options, seed) {
    called();
    const random = xorshift(seed);
    const received = [];
    for (;;) {
      const roll = random();
      try {
        if (roll % 4 === 0) {
          const controller = new AbortController();
          const getting = queue.get({ signal: controller.signal });
          setTimeout(() => controller.abort("gave up"), 0);
          received.push(await getting);
        } else if (roll % 4 === 1) received.push(await queue.get({ timeout: roll % 2 }));
        else received.push(await queue.get());
      } catch (error) {
        if (error?.name === "QueueShutDown") return received;
        if (error !== "gave up" && error?.name !== "TimeoutError") throw error;
      }
    }
  },
  /** Take items with `for await` until the queue ends; with `tasks`, mark each done. */
  async drain(queue, called, options, kind = "items") {
    const items = [];
    const iterable = kind === "for await" ? queue : queue[kind](options);
    const iterating = (async () => {
      for await (const item of iterable) items.push(item);
    })();
    called();
    await iterating;
    return items;
  },
};

/** A small deterministic generator of non-negative 31-bit integers. */
function xorshift(seed) {
  let state = seed | 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 1;
  };
}

function controller(id) {
  let entry = controllers.get(id);
  if (entry === undefined || entry.controller.signal.aborted) {
    entry = countedController();
    controllers.set(id, entry);
  }
  return entry;
}

/** An AbortController whose signal counts the "abort" listeners on it (a `once` one goes when it fires). */
function countedController() {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Map();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  Object.defineProperty(signal, "addEventListener", {
    value: (type, listener, options) => {
      if (type === "abort") live.set(listener, typeof options === "object" && options?.once === true);
      add(type, listener, options);
    },
  });
  Object.defineProperty(signal, "removeEventListener", {
    value: (type, listener, options) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, options);
    },
  });
  return {
    controller,
    listeners() {
      let count = 0;
      for (const once of live.values()) if (!(once && signal.aborted)) count++;
      return count;
    },
  };
}

/** A value the test thread can receive: handles and errors as plain descriptions. */
function describe(value) {
  if (value instanceof workers.Acquired) return { acquired: true, held: value.held };
  if (value instanceof Error) return { error: value.name, message: value.message };
  if (value instanceof Uint8Array) return { bytes: [...value] };
  return { value };
}

function optionsFor(spec) {
  if (spec === undefined || spec === null) return undefined;
  const options = {};
  if ("timeout" in spec) options.timeout = spec.timeout;
  if ("signal" in spec) options.signal = spec.signal === "aborted" ? AbortSignal.abort("already") : controller(spec.signal).controller.signal;
  return options;
}

function reply(message) {
  port.postMessage(message);
}

async function onMessage(message) {
  const { id } = message;
  try {
    switch (message.type) {
      case "open": {
        const Kind = workers[message.kind];
        primitives.set(message.ref, Kind.from(message.handle, message.options));
        return reply({ id, ok: true });
      }
      case "call": {
        const target = message.call === undefined ? primitives.get(message.ref) : results.get(message.call);
        const args = [...(message.args ?? [])];
        const options = optionsFor(message.options);
        if (options !== undefined) args.push(options);
        let result;
        if (message.method in scenarios) {
          result = scenarios[message.method](target, () => reply({ id, called: true }), options, ...(message.args ?? []));
          result.then(
            (value) => reply({ id, ok: true, value }),
            (error) => reply({ id, ok: false, ...describe(error) }),
          );
          return;
        }
        try {
          const method = message.method === "dispose" ? Symbol.dispose : message.method === "asyncDispose" ? Symbol.asyncDispose : message.method;
          result = target[method](...args);
        } catch (error) {
          return reply({ id, ok: false, sync: true, ...describe(error) });
        }
        if (!(result instanceof Promise)) {
          results.set(id, result);
          return reply({ id, ok: true, sync: true, ...describe(result) });
        }
        reply({ id, called: true });
        const signal = options?.signal;
        result.then(
          (value) => {
            results.set(id, value);
            reply({ id, ok: true, ...describe(value) });
          },
          (error) => reply({ id, ok: false, sameReason: signal !== undefined && signal.aborted && error === signal.reason, ...describe(error) }),
        );
        return;
      }
      case "abort": {
        const entry = controller(message.signal);
        entry.controller.abort(message.reason);
        return reply({ id, ok: true });
      }
      case "listeners":
        return reply({ id, ok: true, value: controllers.get(message.signal)?.listeners() ?? 0 });
      case "virtualTime":
        clock ??= new VirtualClock().install();
        return reply({ id, ok: true });
      case "advance":
        await clock.advance(message.ms);
        return reply({ id, ok: true });
      case "clock":
        return reply({ id, ok: true, value: clock === undefined ? undefined : { pendingTimers: clock.pendingTimers, pendingHolds: clock.pendingHolds } });
      case "realTime":
        clock?.uninstall();
        clock = undefined;
        return reply({ id, ok: true });
      case "runtime":
        return reply({ id, ok: true, value: "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : isNode ? "node" : "browser" });
      case "forget":
        primitives.clear();
        results.clear();
        controllers.clear();
        return reply({ id, ok: true });
      default:
        throw new Error(`unknown message type ${message.type}`);
    }
  } catch (error) {
    reply({ id, ok: false, ...describe(error) });
  }
}

reply({ ready: true });
