import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runDemo } from "../../shared/run-demo.js";
import { runtimes } from "../../shared/runtimes.mjs";

const appDir = new URL("..", import.meta.url).pathname;
const golden = (name: string) => readFileSync(new URL(`golden/${name}`, import.meta.url), "utf8");
// Long enough that the second worker has surely queued before the first lets go, on a busy machine.
const hold = "200";

describe("lock-demo", () => {
  describe.each(runtimes)("on %s", (runtime) => {
    it("prints the issue's transcript: the second worker waits while the first holds the lock", async () => {
      const run = await runDemo(runtime, appDir, ["--hold", hold]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(golden("two-workers.txt"));
      expect(run.code).toBe(0);
    });

    it("with --workers 3, hands the lock to the waiting workers in arrival order", async () => {
      const run = await runDemo(runtime, appDir, ["--hold", hold, "--workers", "3"]);
      expect(run.stdout).toBe(golden("three-workers.txt"));
      expect(run.code).toBe(0);
    });

    it("rejects an unknown flag with the usage on stderr and exit code 2", async () => {
      const run = await runDemo(runtime, appDir, ["--hodl", "5"]);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("lock-demo: unknown flag --hodl");
      expect(run.stderr).toContain("usage: lock-demo [--hold <ms>] [--workers <n>]");
      expect(run.code).toBe(2);
    });
  });

  describe("command line (node)", () => {
    it.each([
      [["--hold", "-1"], '--hold expects an integer ≥ 0, got "-1"'],
      [["--hold", "1.5"], '--hold expects an integer ≥ 0, got "1.5"'],
      [["--workers", "0"], '--workers expects an integer from 1 to 1000, got "0"'],
      [["--workers=lots"], '--workers expects an integer from 1 to 1000, got "lots"'],
      [["--hold"], "--hold needs a value: --hold <ms>"],
      [["extra"], 'unexpected argument "extra"'],
    ])("rejects %j: %s", async (args, problem) => {
      const run = await runDemo("node", appDir, args);
      expect(run.stderr.split("\n")[0]).toBe(`lock-demo: ${problem}`);
      expect(run.stdout).toBe("");
      expect(run.code).toBe(2);
    });

    it("prints the usage on stdout for --help and exits 0", async () => {
      const run = await runDemo("node", appDir, ["--help"]);
      expect(run.stdout).toMatch(/^usage: lock-demo \[--hold <ms>\] \[--workers <n>\]\n\n {2}--hold <ms> +time each worker spends holding the lock \(default 2000\)\n/);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    });

    it("takes --name=value as well as --name value, and a leading --", async () => {
      const run = await runDemo("node", appDir, ["--", "--hold=0", "--workers", "3"]);
      expect(run.stdout).toBe(golden("three-workers.txt"));
    });
  });
});
