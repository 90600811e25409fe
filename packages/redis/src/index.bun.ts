// What the `bun` export condition resolves to: the same API as index.ts, and connect() also
// takes Bun's built-in RedisClient. Only this build loads the Bun adapter.
import { bunRedis } from "./clients/bun.js";
import { ioredis } from "./clients/ioredis.js";
import { nodeRedis } from "./clients/node-redis.js";
import { makeConnect } from "./connect.js";

export * from "./index.js";
export const connect = makeConnect([bunRedis, nodeRedis, ioredis]);
