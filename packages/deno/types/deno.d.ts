// The few Deno globals the adapter uses, for tsc and tsup (which do not know Deno). `deno check`
// never reads this file: it checks src/ against Deno's own declarations.

declare namespace Deno {
  /** https://docs.deno.com/api/deno/~/Deno.unrefTimer */
  function unrefTimer(id: number): void;
}

/** https://docs.deno.com/api/node/timers/~/setImmediate (a global in Deno 2) */
declare function setImmediate(callback: () => void): unknown;
