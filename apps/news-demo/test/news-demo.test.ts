import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runDemo } from "../../shared/run-demo.js";
import { runtimes } from "../../shared/runtimes.mjs";

const appDir = new URL("..", import.meta.url).pathname;
const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");

describe("news-demo", () => {
  describe.each(runtimes)("on %s", (runtime) => {
    it("prints the seeded run `--items 6 --interval 50 --seed 1`: the tutorial's transcript, then the consumers drain and end", async () => {
      const run = await runDemo(runtime, appDir, ["--items", "6", "--interval", "50", "--seed", "1"]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(golden("items-6-seed-1.txt"));
      expect(run.code).toBe(0);
    });

    it("serves three consumers in turn on a queue of maxsize 2, even with no pause between items", async () => {
      const run = await runDemo(runtime, appDir, ["--items", "12", "--interval", "0", "--seed", "7", "--consumers", "3", "--maxsize", "2"]);
      expect(run.stdout).toBe(golden("three-consumers-interval-0.txt"));
      expect(run.code).toBe(0);
    });

    it("rejects a bad value with the usage on stderr and exit code 2", async () => {
      const run = await runDemo(runtime, appDir, ["--items", "many"]);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain('news-demo: --items expects an integer ≥ 0, got "many"');
      expect(run.stderr).toContain("usage: news-demo [--items <n>] [--seed <s>] [--consumers <k>] [--maxsize <m>] [--interval <ms>]");
      expect(run.code).toBe(2);
    });
  });

  // Default flags (one item a second): Ctrl-C must also cut the producer's sleep short, or its
  // next item would be printed before the summary and the exit would wait for it.
  describe("Ctrl-C", () => {
    it.concurrent.for(runtimes)("on %s, after the first consumed item, shuts the queue down, prints the summary and exits 0 within 2 s", async (runtime, { expect }) => {
      const run = await runDemo(runtime, appDir, ["--seed", "1"], { interruptAfter: /consumed article/ });
      expect(run.killed).toBe(false);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(golden("interrupted-seed-1.txt"));
      expect(run.signal).toBe(null);
      expect(run.code).toBe(0);
      expect(run.exitAfterInterruptMs).toBeLessThan(2000);
    });
  });

  describe("command line (node)", () => {
    it.each([
      [["--consumers", "0"], '--consumers expects an integer from 1 to 1000, got "0"'],
      [["--interval", "-5"], '--interval expects an integer ≥ 0, got "-5"'],
      [["--seed"], "--seed needs a value: --seed <s>"],
      [["--verbose"], "unknown flag --verbose"],
    ])("rejects %j: %s", async (args, problem) => {
      const run = await runDemo("node", appDir, args);
      expect(run.stderr.split("\n")[0]).toBe(`news-demo: ${problem}`);
      expect(run.stdout).toBe("");
      expect(run.code).toBe(2);
    });

    it("with --items 0, the consumers start, find the queue shut down, and the run ends", async () => {
      const run = await runDemo("node", appDir, ["--items", "0"]);
      expect(run.stdout).toBe(
        [
          "<Queue maxsize=10 shutdown>",
          "Consumer: 1 Attempting to get from queue",
          "<Queue maxsize=10 shutdown>",
          "Consumer: 2 Attempting to get from queue",
          "Done: 0 news items put onto the queue, 0 consumed (consumer 1: 0, consumer 2: 0)",
          "",
        ].join("\n"),
      );
      expect(run.code).toBe(0);
    });

    it("with --maxsize 0, shows an unbounded queue", async () => {
      const run = await runDemo("node", appDir, ["--items", "1", "--interval", "0", "--maxsize", "0", "--consumers", "1"]);
      expect(run.stdout.split("\n")[0]).toBe("<Queue maxsize=0>");
    });
  });
});
