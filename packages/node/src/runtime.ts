import type { Runtime } from "@syncio/core";

/** syncio's binding of Node.js timers, clock and event loop. */
export const runtime: Runtime = {
  name: "node",

  // https://nodejs.org/api/perf_hooks.html#performancenow
  now: () => performance.now(),

  // https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
  // https://nodejs.org/api/timers.html#timeoutunref
  setTimer(callback, ms, keepAlive) {
    const timer = setTimeout(callback, ms);
    if (!keepAlive) timer.unref();
    return timer;
  },

  // https://nodejs.org/api/timers.html#cleartimeouttimeout
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),

  // https://nodejs.org/api/timers.html#setimmediatecallback-args
  // The check phase of the loop: after microtasks and I/O, no 1 ms clamp, FIFO.
  macrotask(callback) {
    setImmediate(callback);
  },

  // https://nodejs.org/api/timers.html#setintervalcallback-delay-args
  // A pending interval keeps the event loop alive; its callback (every ~24.8 days) does nothing.
  keepAlive() {
    const interval = setInterval(() => {}, 2 ** 31 - 1);
    return () => clearInterval(interval);
  },
};
