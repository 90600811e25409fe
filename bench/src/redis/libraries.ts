/**
 * The three locks compared, behind one shape: syncio's RedisLock (node-redis, from a URL),
 * @sesamecare-oss/redlock and redis-semaphore's Mutex (both over ioredis, as they require),
 * each with its default retry settings, so each behaves as its users get it.
 */
import { Redlock } from "@sesamecare-oss/redlock";
import { Redis } from "ioredis";
import { Mutex } from "redis-semaphore";
import { connect } from "@syncio/redis";

export type LibraryName = "syncio" | "syncio over ioredis" | "redlock" | "redis-semaphore";
export const libraries: LibraryName[] = ["syncio", "redlock", "redis-semaphore"];

export interface BenchLock {
  /** Waits for the lock; resolves to its release. */
  acquire(): Promise<() => Promise<unknown>>;
  close(): Promise<void>;
}

export async function openLock(library: LibraryName, url: string, key: string): Promise<BenchLock> {
  if (library === "syncio" || library === "syncio over ioredis") {
    const client = library === "syncio" ? undefined : new Redis(url);
    if (client !== undefined) await new Promise((resolve) => client.once("ready", resolve));
    const sync = await connect(client ?? url, { prefix: "bench" });
    const lock = sync.lock(key);
    return {
      acquire: async () => {
        const lease = await lock.acquire();
        return () => lease.release();
      },
      close: async () => {
        await sync.close();
        client?.disconnect();
      },
    };
  }
  const client = new Redis(url);
  await new Promise((resolve) => client.once("ready", resolve));
  if (library === "redlock") {
    // Defaults (retryDelay 200 ms, jitter 100 ms) but enough retries never to give up here.
    const redlock = new Redlock([client], { retryCount: 10_000 });
    return {
      acquire: async () => {
        const lock = await redlock.acquire([`redlock:${key}`], 10_000);
        return () => lock.release();
      },
      close: async () => void client.disconnect(),
    };
  }
  return {
    acquire: async () => {
      // Defaults: retryInterval 10 ms; no refresh needed for short holds.
      const mutex = new Mutex(client, `semaphore:${key}`, { acquireTimeout: 120_000, refreshInterval: 0 });
      await mutex.acquire();
      return () => mutex.release();
    },
    close: async () => void client.disconnect(),
  };
}
