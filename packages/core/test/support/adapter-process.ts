/// <reference types="node" />
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// The adapters' shared suite (run by packages/{node,deno,bun}/test). Every check spawns a real runtime on a script importing the adapter by its package name,
// from a scratch directory whose node_modules links to the workspace packages (as an install would).
const packages = fileURLToPath(new URL("../../../", import.meta.url));
const require = createRequire(import.meta.url);
/** The runtimes' executables: a missing one fails the suite, it is never skipped. */
const executables = {
  node: [process.execPath],
  deno: [join(dirname(require.resolve("deno/package.json")), "deno"), "run", "-A"],
  bun: [join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe")],
} as const;
export type RuntimeName = keyof typeof executables;

/** Registers the suite for one adapter; each adapter's test file calls it with its own name. */
export function describeAdapter(adapter: RuntimeName): void {
  const scratch = mkdtempSync(join(tmpdir(), `syncio-${adapter}-`));
  mkdirSync(join(scratch, "node_modules", "@syncio"), { recursive: true });
  for (const name of ["core", "node", "deno", "bun"]) symlinkSync(join(packages, name), join(scratch, "node_modules", "@syncio", name), "dir");
  const dependencies = { "@syncio/core": "*", "@syncio/node": "*", "@syncio/deno": "*", "@syncio/bun": "*" };
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ type: "module", private: true, dependencies }));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  interface Outcome {
    code: number | null;
    stdout: string;
    stderr: string;
    ms: number;
  }

  let scripts = 0;
  /** Runs `source` as an ES module on `runtime`, killed after 20 s whatever happens. */
  function run(runtime: RuntimeName, source: string): Promise<Outcome> {
    const file = join(scratch, `script-${scripts++}.mjs`);
    writeFileSync(file, source);
    const [command, ...args] = executables[runtime];
    const started = performance.now();
    return new Promise((resolve) => {
      execFile(command, [...args, file], { cwd: scratch, timeout: 20_000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      });
    });
  }

  describe(`@syncio/${adapter}`, () => {
    it("installs its binding on import and shares the one core", { timeout: 30_000 }, async () => {
      const outcome = await run(
        adapter,
        `import { getRuntime, runtime, QueueEmpty } from "@syncio/${adapter}";
         import * as core from "@syncio/core";
         console.log(JSON.stringify({ name: getRuntime().name, installed: runtime === core.getRuntime(), oneCore: QueueEmpty === core.QueueEmpty }));`,
      );
      expect(outcome.stderr).toBe("");
      expect(JSON.parse(outcome.stdout)).toEqual({ name: adapter, installed: true, oneCore: true });
    });

    it("keeps the process alive while an acquire({ timeout }) is pending, until it times out", { timeout: 30_000 }, async () => {
      const outcome = await run(
        adapter,
        `import { Lock } from "@syncio/${adapter}";
         const lock = new Lock();
         await lock.acquire();
         const started = performance.now();
         lock.acquire({ timeout: 300 }).catch((error) => console.log(error.name, performance.now() - started >= 295));`,
      );
      expect(outcome).toMatchObject({ code: 0, stdout: "TimeoutError true\n" });
    });

    it("lets the process exit once that acquire() has settled: its timer is gone", { timeout: 30_000 }, async () => {
      const outcome = await run(
        adapter,
        `import { Lock } from "@syncio/${adapter}";
         const lock = new Lock();
         const held = await lock.acquire();
         const waiting = lock.acquire({ timeout: 60_000 });
         held.release();
         await waiting;
         console.log("acquired");`,
      );
      expect(outcome).toMatchObject({ code: 0, stdout: "acquired\n" });
      expect(outcome.ms).toBeLessThan(15_000);
    });

    it("keeps the process alive for a pending sleep(), but not for a timeout() signal", { timeout: 30_000 }, async () => {
      const outcome = await run(
        adapter,
        `import { sleep, timeout } from "@syncio/${adapter}";
         const signal = timeout(60_000);
         sleep(200).then(() => console.log("woke", signal.aborted));`,
      );
      expect(outcome).toMatchObject({ code: 0, stdout: "woke false\n" });
      expect(outcome.ms).toBeLessThan(15_000);
    });

    it("keeps the process alive while a wait on a timeout() signal is pending, until the signal fires", { timeout: 30_000 }, async () => {
      // Node used to exit with code 13 here, skipping the rest of the program: the signal's timer is unref'd.
      const outcome = await run(
        adapter,
        `import { Queue, timeout } from "@syncio/${adapter}";
         const queue = new Queue();
         const started = performance.now();
         try {
           await queue.get({ signal: timeout(300) });
         } catch (error) {
           console.log(error.name, performance.now() - started >= 295);
         }
         console.log("the rest of the program ran");`,
      );
      expect(outcome).toMatchObject({ code: 0, stdout: "TimeoutError true\nthe rest of the program ran\n" });
    });

    it("lets the process exit once nothing waits on a timeout() signal any more, though it has not fired", { timeout: 30_000 }, async () => {
      const outcome = await run(
        adapter,
        `import { Queue, timeout } from "@syncio/${adapter}";
         const queue = new Queue();
         const signal = timeout(60_000);
         const getting = queue.get({ signal });
         queue.putNowait("item");
         console.log(await getting, signal.aborted);`,
      );
      expect(outcome).toMatchObject({ code: 0, stdout: "item false\n" });
      expect(outcome.ms).toBeLessThan(15_000);
    });

    for (const wrong of (["node", "deno", "bun"] as const).filter((name) => name !== adapter)) {
      // Every form of import must reach the module's own error: a named import used to fail at
      // link time with the engine's "export not found" instead.
      const importForms = {
        bare: `import "@syncio/${adapter}";`,
        named: `import { Lock, runtime, sleep } from "@syncio/${adapter}";`,
        namespace: `import * as syncio from "@syncio/${adapter}";`,
        dynamic: `await import("@syncio/${adapter}");`,
      };
      for (const [form, statement] of Object.entries(importForms)) {
        it(`fails at a ${form} import on ${wrong}, naming @syncio/${wrong}`, { timeout: 30_000 }, async () => {
          const outcome = await run(wrong, `${statement}\nconsole.log("imported");`);
          expect(outcome.code).not.toBe(0);
          expect(outcome.stdout).toBe("");
          expect(outcome.stderr).toContain(`import @syncio/${wrong} instead`);
          expect(outcome.stderr).not.toMatch(/not found|does not provide an export/i);
        });
      }

      it(`fails on ${wrong} also when its build is imported by path, past the export conditions`, { timeout: 30_000 }, async () => {
        const outcome = await run(wrong, `import "./node_modules/@syncio/${adapter}/dist/index.js";\nconsole.log("imported");`);
        expect(outcome.code).not.toBe(0);
        expect(outcome.stdout).toBe("");
        expect(outcome.stderr).toContain(`import @syncio/${wrong} instead`);
      });
    }
  });
}
