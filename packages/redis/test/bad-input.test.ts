/** Every argument of connect() and of the factories, checked at once; names clashing by kind or value. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, ConnectionError, type RedisSync } from "@syncio/redis";
import { startRedis, type RedisServer } from "./support/server.js";
import { freshName } from "./support/setups.js";

let server: RedisServer;
let sync: RedisSync;
beforeAll(async () => {
  server = await startRedis();
  sync = await connect(server.url, { prefix: `bad-${Date.now()}` });
});
afterAll(async () => {
  await sync?.close();
  await server?.stop();
});

describe("connect()", () => {
  it.each([
    ["a number", 6379, TypeError, /connect\(\): expected `target` to be a redis:\/\/ or rediss:\/\/ URL.*got 6379 \(number\)/],
    ["undefined", undefined, TypeError, /`target`/],
    ["null", null, TypeError, /`target`/],
    ["an http URL", "http://127.0.0.1:6379", TypeError, /`target`.*"http:\/\/127\.0\.0\.1:6379"/],
    ["a string that is no URL", "localhost:6379", TypeError, /`target`/],
    ["an object that is no client", { host: "127.0.0.1" }, TypeError, /node-redis v5\+, ioredis/],
  ])("throws at once for %s as the target", (_label, target, errorClass, message) => {
    expect(() => connect(target as never)).toThrow(errorClass);
    expect(() => connect(target as never)).toThrow(message);
  });

  it.each([
    ["options that are not an object", 5, TypeError, /`options`/],
    ["an unknown option", { leaseMs: 1000 }, TypeError, /unknown option `leaseMs`/],
    ["a prefix that is not a string", { prefix: 1 }, TypeError, /`options\.prefix`/],
    ["an empty prefix", { prefix: "" }, RangeError, /`options\.prefix`/],
    ["a prefix with a brace", { prefix: "a{b" }, RangeError, /without \{ or \}/],
    ["a lease that is not a number", { lease: "1000" }, TypeError, /`options\.lease`/],
    ["a lease below 100 ms", { lease: 99 }, RangeError, /`options\.lease`.*99/],
    ["a lease that is not an integer", { lease: 150.5 }, RangeError, /`options\.lease`/],
    ["a NaN lease", { lease: Number.NaN }, RangeError, /`options\.lease`/],
    ["an infinite lease", { lease: Infinity }, RangeError, /`options\.lease`/],
  ])("throws at once for %s", (_label, options, errorClass, message) => {
    expect(() => connect(server.url, options as never)).toThrow(errorClass);
    expect(() => connect(server.url, options as never)).toThrow(message);
  });

  it("rejects with a ConnectionError whose cause is the client's error when Redis cannot be reached", async () => {
    const closed = `redis://127.0.0.1:1`;
    const error = await connect(closed).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/could not connect to redis:\/\/127\.0\.0\.1:1/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("hides the password of the URL in its messages", async () => {
    const error = await connect("redis://user:secret@127.0.0.1:1").catch((reason: unknown) => reason);
    expect((error as Error).message).not.toContain("secret");
  });
});

describe("the factories", () => {
  it.each([
    ["lock", (name: unknown) => sync.lock(name as never)],
    ["semaphore", (name: unknown) => sync.semaphore(name as never)],
    ["boundedSemaphore", (name: unknown) => sync.boundedSemaphore(name as never)],
    ["event", (name: unknown) => sync.event(name as never)],
  ])("%s() throws TypeError for a name that is not a string and RangeError for an empty one", (kind, make) => {
    expect(() => make(5)).toThrow(TypeError);
    expect(() => make(5)).toThrow(new RegExp(`${kind}\\(\\): expected \`name\` to be a non-empty string, got 5 \\(number\\)`));
    expect(() => make(undefined)).toThrow(TypeError);
    expect(() => make("")).toThrow(RangeError);
  });

  it.each([
    ["semaphore", (value: unknown) => sync.semaphore("s", value as never)],
    ["boundedSemaphore", (value: unknown) => sync.boundedSemaphore("s", value as never)],
  ])("%s() checks its value: an integer ≥ 1", (_kind, make) => {
    expect(() => make("2")).toThrow(TypeError);
    expect(() => make(0)).toThrow(RangeError);
    expect(() => make(1.5)).toThrow(RangeError);
    expect(() => make(Number.NaN)).toThrow(RangeError);
    expect(() => make(2)).not.toThrow();
  });

  it("run() throws at once for something that is not a function", () => {
    expect(() => sync.lock("r").run(5 as never)).toThrow(TypeError);
  });

  it("shows a primitive locally as <RedisLock \"orders\">", () => {
    expect(String(sync.lock("orders"))).toBe('<RedisLock "orders">');
    expect(String(sync.semaphore("api", 3))).toBe('<RedisSemaphore "api">');
    expect(String(sync.event("go"))).toBe('<RedisEvent "go">');
  });
});

describe("names clashing", () => {
  it("rejects a name used as another kind, naming both", async () => {
    const name = freshName("clash");
    const held = await sync.lock(name).acquire();
    await expect(sync.semaphore(name, 1).acquire()).rejects.toThrow(new RegExp(`RedisSemaphore "${name}" \\(value 1\\): the name is already used in Redis as a lock`));
    await expect(sync.event(name).isSet()).rejects.toThrow(/RedisEvent .* already used in Redis as a lock/);
    await expect(sync.boundedSemaphore(name, 1).tryAcquire()).rejects.toThrow(/as a lock/);
    await held.release();
  });

  it("rejects a semaphore with another value, naming both values", async () => {
    const name = freshName("value");
    expect(await sync.semaphore(name, 2).value()).toBe(2);
    await expect(sync.semaphore(name, 3).acquire()).rejects.toThrow(new RegExp(`RedisSemaphore "${name}" \\(value 3\\): the name is already used in Redis as a semaphore of value 2`));
    await expect(sync.boundedSemaphore(name, 2).acquire()).rejects.toThrow(/RedisBoundedSemaphore .* as a semaphore of value 2/);
    // The clash changed nothing.
    expect(await sync.semaphore(name, 2).statistics()).toEqual({ value: 2, waiters: 0 });
  });
});
