// What the `bun` export condition resolves to: the same API as index.ts, and connect() also
// takes Bun's built-in RedisClient. Only this build loads the Bun adapter.
import { bunRedis } from "./clients/bun.js";
import { ioredis } from "./clients/ioredis.js";
import { nodeRedis } from "./clients/node-redis.js";
import { connectWith, type ConnectOptions, type ConnectTarget, type RedisSync } from "./connect.js";

export * from "./index.js";

/** See index.ts: the same, and `target` may be a Bun `RedisClient`. */
export function connect(target: ConnectTarget, options?: ConnectOptions): Promise<RedisSync> {
  return connectWith([bunRedis, nodeRedis, ioredis], target, options);
}
