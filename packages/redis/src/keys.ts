/**
 * Where a primitive lives in Redis. Every key of one primitive shares one hash tag, `{name}`, so
 * a script touches a single Redis Cluster slot:
 *
 *   <prefix>:{<name>}:meta          HASH  kind, config, fence, seq, (event) flag — never expires
 *   <prefix>:{<name>}:expiry        ZSET  entry id → deadline (ms, server time), waiting or granted
 *   <prefix>:{<name>}:granted       HASH  entry id → "<line>:<payload>" (lock: the fence)
 *   <prefix>:{<name>}:retired       ZSET  entry id → until when a left entry is remembered
 *   <prefix>:{<name>}:line:<line>   ZSET  waiting entry id → arrival number (FIFO)
 *   <prefix>:{<name>}:carried       HASH  (queues) waiting putter id → the item it carries
 *   <prefix>:{<name>}:items         LIST  (queues) the items, head first — a priorityQueue's is a
 *                                         ZSET priority → "<seq> <item>"; never expires
 *   <prefix>:session:<session>      pub/sub channel of one connection: "<entry id> <payload>"
 *
 * A condition lives under its lock's hash tag, as a line of that lock: `<prefix>:{<lock>}:line:cond:<name>`,
 * so one script can release the lock and queue the waiter, and notify can move it to the lock's line.
 *
 * The kind is not in the key, so the same name used as another kind meets the first kind's meta
 * and is refused (a clash). Entry ids are "<session>:<n>". Every key but meta expires after the
 * last entry could have, so a vanished process leaves nothing behind.
 */

/** The KEYS every script of a primitive gets, in prelude.lua's order: the machinery's, the lines, the kind's data keys. */
export function primitiveKeys(prefix: string, name: string, lines: readonly string[], data: readonly string[] = []): string[] {
  const base = `${prefix}:{${name}}`;
  return [`${base}:meta`, `${base}:expiry`, `${base}:granted`, `${base}:retired`, ...lines.map((line) => `${base}:line:${line}`), ...data.map((key) => `${base}:${key}`)];
}

/** The pub/sub channel of a session, and the prefix scripts append a session id to. */
export function channelPrefix(prefix: string): string {
  return `${prefix}:session:`;
}
