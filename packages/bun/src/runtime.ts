import type { Runtime } from "@syncio/core";

/** syncio's binding of Bun's timers, clock and event loop. */
export const runtime: Runtime = {
  name: "bun",

  // https://bun.com/reference/bun/nanoseconds — monotonic, since the process started
  now: () => Bun.nanoseconds() / 1e6,

  // https://bun.com/reference/globals/setTimeout
  // https://bun.com/reference/bun/Timer/unref
  setTimer(callback, ms, keepAlive) {
    const timer = setTimeout(callback, ms);
    if (!keepAlive) timer.unref();
    return timer;
  },

  // https://bun.com/reference/globals/clearTimeout
  clearTimer: (handle) => clearTimeout(handle as Timer),

  // https://bun.com/reference/globals/setImmediate
  // Faster than MessageChannel or setTimeout(0) on Bun, runs after microtasks, FIFO.
  macrotask(callback) {
    setImmediate(callback);
  },

  // https://bun.com/reference/globals/setInterval
  // A pending interval keeps the event loop alive; its callback (every ~24.8 days) does nothing.
  keepAlive() {
    const interval = setInterval(() => {}, 2 ** 31 - 1);
    return () => clearInterval(interval);
  },
};
