import type { Runtime } from "@syncio/core";

/** syncio's binding of Deno's timers, clock and event loop. */
export const runtime: Runtime = {
  name: "deno",

  // https://docs.deno.com/api/web/~/Performance.prototype.now
  now: () => performance.now(),

  // https://docs.deno.com/api/web/~/setTimeout
  // https://docs.deno.com/api/deno/~/Deno.unrefTimer
  setTimer(callback, ms, keepAlive) {
    const id = setTimeout(callback, ms);
    if (!keepAlive) Deno.unrefTimer(id);
    return id;
  },

  // https://docs.deno.com/api/web/~/clearTimeout
  clearTimer: (handle) => clearTimeout(handle as number),

  // https://docs.deno.com/api/node/timers/~/setImmediate
  // Faster than MessageChannel or setTimeout(0) on Deno, runs after microtasks, FIFO.
  macrotask(callback) {
    setImmediate(callback);
  },

  // https://docs.deno.com/api/web/~/setInterval
  // A pending interval keeps the event loop alive; its callback (every ~24.8 days) does nothing.
  keepAlive() {
    const interval = setInterval(() => {}, 2 ** 31 - 1);
    return () => clearInterval(interval);
  },
};
