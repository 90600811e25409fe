/**
 * The distributed news demo, `pnpm demo:redis` (scripts/demo-redis.mjs): a redis-server, one
 * producer process and three consumer processes (node, deno, bun), run to the end and
 * interrupted with Ctrl-C; each run bounded in time.
 */
import { spawn } from "node:child_process";
import { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runDemo } from "../../shared/run-demo.js";

const script = fileURLToPath(new URL("../../../scripts/demo-redis.mjs", import.meta.url));
const appDir = new URL("..", import.meta.url).pathname;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly killed: boolean;
  /** From the SIGINT to the exit, when one was sent. */
  readonly exitAfterInterruptMs: number | undefined;
}

/** Runs `node scripts/demo-redis.mjs args`, SIGKILLed after `limitMs`; sends one SIGINT once stdout matches `interruptAfter`. */
function runDistributed(args: string[], interruptAfter?: RegExp, limitMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let killed = false;
    let interruptedAt: number | undefined;
    const limit = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, limitMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (interruptAfter !== undefined && interruptedAt === undefined && interruptAfter.test(stdout)) {
        interruptedAt = performance.now();
        child.kill("SIGINT");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, killed, exitAfterInterruptMs: interruptedAt === undefined ? undefined : performance.now() - interruptedAt });
    });
  });
}

function portClosed(url: string): Promise<boolean> {
  const port = Number(new URL(url).port);
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("error", () => resolve(true));
    socket.connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const lines = (run: Run, process: string) =>
  run.stdout
    .split("\n")
    .filter((line) => line.startsWith(process))
    .map((line) => line.slice(line.indexOf("│ ") + 2));

describe("news-demo, distributed (pnpm demo:redis)", () => {
  it("runs a producer and three consumers on node, deno and bun against one Redis queue, in FIFO turns, then stops everything cleanly", async () => {
    const run = await runDistributed(["--items", "6", "--interval", "50", "--seed", "1"]);
    expect(run.killed).toBe(false);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(lines(run, "producer (node)").filter((line) => line === "Putting news item onto queue")).toHaveLength(6);
    expect(lines(run, "producer (node)").at(-1)).toBe("Done: 6 news items put onto the queue");
    // The seeded ids of the in-process transcript, consumed once each across the three processes.
    const consumed = run.stdout.match(/consumed article with id: \d/g)!.map((text) => Number(text.at(-1)));
    expect(consumed.sort()).toEqual([4, 1, 3, 5, 5, 2].sort());
    for (const [id, runtime] of [[1, "node"], [2, "deno"], [3, "bun"]] as const) {
      const own = lines(run, `consumer ${id} (${runtime})`);
      expect(own[0]).toMatch(/^<Queue maxsize=10( _getters\[\d\])?>$/);
      expect(own.at(-1)).toMatch(new RegExp(`^Done: \\d consumed \\(consumer ${id}: \\d\\)$`));
    }
    // Every waiting consumer gets its turn: three waiting, six items, two each.
    expect(run.stdout).toContain("(consumer 1: 2)");
    expect(run.stdout).toContain("(consumer 2: 2)");
    expect(run.stdout).toContain("(consumer 3: 2)");
    expect(run.stdout).toMatch(/✓ 4 processes exited \(consumer 1: 0, consumer 2: 0, consumer 3: 0, producer: 0\); 6 items consumed in all; redis-server stopped/);
    const url = run.stdout.match(/listening on (redis:\/\/\S+)/)![1]!;
    expect(await portClosed(url)).toBe(true);
  }, 70_000);

  it("on Ctrl-C shuts the queue down, every process exits, redis-server stops, and the exit code is 0", async () => {
    const run = await runDistributed(["--items", "1000", "--interval", "100"], /consumed article/);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(0);
    expect(run.signal).toBe(null);
    expect(run.exitAfterInterruptMs).toBeLessThan(5_000);
    for (const process of ["producer (node)", "consumer 1 (node)", "consumer 2 (deno)", "consumer 3 (bun)"]) {
      expect(lines(run, process).at(-1)).toMatch(/^Interrupted: /);
    }
    expect(run.stdout).toMatch(/✓ 4 processes exited .*; redis-server stopped/);
    expect(await portClosed(run.stdout.match(/listening on (redis:\/\/\S+)/)![1]!)).toBe(true);
  }, 70_000);

  it("the program refuses --role without --redis (the queue would live in one process)", async () => {
    const run = await runDemo("node", appDir, ["--role", "consumer"]);
    expect(run.stderr.split("\n")[0]).toBe("news-demo: --role and --name need --redis <url>: without Redis the queue lives in this one process");
    expect(run.code).toBe(2);
    const bad = await runDemo("node", appDir, ["--redis", "http://x"]);
    expect(bad.stderr.split("\n")[0]).toBe('news-demo: --redis expects url, got "http://x"');
  });
});
