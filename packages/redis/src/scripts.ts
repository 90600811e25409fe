/**
 * The atomic transitions, one Lua file each under ./lua (each lists its KEYS and ARGV in its first
 * lines; prelude.lua is the waiter queue they share). The session runs them by SHA1 (EVALSHA) and
 * sends the source (EVAL) only when Redis does not know the script yet.
 */
import acquire from "./lua/acquire.lua";
import eventClear from "./lua/event-clear.lua";
import eventSet from "./lua/event-set.lua";
import eventWait from "./lua/event-wait.lua";
import reap from "./lua/reap.lua";
import release from "./lua/release.lua";
import renew from "./lua/renew.lua";
import statistics from "./lua/statistics.lua";
import withdraw from "./lua/withdraw.lua";

export interface Script {
  readonly name: string;
  readonly source: string;
  readonly sha1: string;
}

export const scripts = { acquire, eventClear, eventSet, eventWait, reap, release, renew, statistics, withdraw } satisfies Record<string, Script>;
