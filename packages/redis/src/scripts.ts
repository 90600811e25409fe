/**
 * The atomic transitions, one Lua file each under ./lua (each lists its KEYS and ARGV in its first
 * lines; prelude.lua is the waiter queue they share). The session runs them by SHA1 (EVALSHA) and
 * sends the source (EVAL) only when Redis does not know the script yet.
 */
import acquire from "./lua/acquire.lua";
import barrierBreak from "./lua/barrier-break.lua";
import barrierWait from "./lua/barrier-wait.lua";
import conditionCancel from "./lua/condition-cancel.lua";
import conditionNotify from "./lua/condition-notify.lua";
import conditionStatistics from "./lua/condition-statistics.lua";
import conditionWait from "./lua/condition-wait.lua";
import eventClear from "./lua/event-clear.lua";
import eventSet from "./lua/event-set.lua";
import eventWait from "./lua/event-wait.lua";
import queueDone from "./lua/queue-done.lua";
import queueGet from "./lua/queue-get.lua";
import queueJoin from "./lua/queue-join.lua";
import queuePut from "./lua/queue-put.lua";
import queueReturn from "./lua/queue-return.lua";
import queueShutdown from "./lua/queue-shutdown.lua";
import queueStatistics from "./lua/queue-statistics.lua";
import queueTaskDone from "./lua/queue-task-done.lua";
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

export const scripts = {
  acquire,
  barrierBreak,
  barrierWait,
  conditionCancel,
  conditionNotify,
  conditionStatistics,
  conditionWait,
  eventClear,
  eventSet,
  eventWait,
  queueDone,
  queueGet,
  queueJoin,
  queuePut,
  queueReturn,
  queueShutdown,
  queueStatistics,
  queueTaskDone,
  reap,
  release,
  renew,
  statistics,
  withdraw,
} satisfies Record<string, Script>;
