/**
 * A real redis-server for the tests: Debian's package, started on a free loopback port with no
 * persistence, stopped at the end. When it is missing the suite fails (never skips), saying how
 * to install it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer, Socket } from "node:net";
import { createClient } from "@redis/client";

const BINARY = process.env.REDIS_SERVER ?? "redis-server";

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** One command on a fresh connection (CLIENT KILL, DEBUG SLEEP, KEYS…). */
  command(...args: string[]): Promise<unknown>;
  /** Kills the server (SIGKILL) and waits until its port is closed. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Fails with the install instructions when redis-server is not on the PATH. */
export function requireRedisServer(): void {
  const probe = spawnSync(BINARY, ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `redis-server is not installed (running "${BINARY} --version" failed: ${probe.error?.message ?? probe.stderr}). ` +
        "The @syncio/redis tests need a real Redis ≥ 6.2: on Debian/Ubuntu run `apt-get update && apt-get install -y redis-server` " +
        "(.ci/run does), or set REDIS_SERVER to the path of a redis-server binary.",
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

async function until(condition: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`redis-server: ${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a redis-server on a free loopback port; `extra` adds command-line options. */
export async function startRedis(extra: string[] = []): Promise<RedisServer> {
  requireRedisServer();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(BINARY, ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--enable-debug-command", "local", ...extra], {
      stdio: "ignore",
    });
    await until(() => answers(port), `answering PING on port ${port}`);
  };
  const kill = async () => {
    child?.kill("SIGKILL");
    child = undefined;
    await until(async () => !(await answers(port)), "closing its port");
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async command(...args) {
      const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
      client.on("error", () => {});
      await client.connect();
      try {
        return await client.sendCommand(args);
      } finally {
        client.destroy();
      }
    },
    kill,
    start,
    stop: kill,
  };
}
