/**
 * Process lifetime on each real runtime (node, deno, bun), by spawning it on a small program: a
 * pending wait keeps its thread alive until it settles; a settled one keeps nothing alive. No
 * runtime does this for `Atomics.waitAsync` by itself. Threads talk only through shared memory
 * (no message listener, which would keep a thread alive on its own), helper workers are unref'd,
 * and waits are not awaited at the top level (Bun and Deno stay alive for a pending top-level
 * await by themselves). Runs once, under node (it spawns every runtime itself).
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const packages = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(import.meta.url);
const executables = {
  node: [process.execPath],
  deno: [join(dirname(require.resolve("deno/package.json")), "deno"), "run", "-A"],
  bun: [join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe")],
} as const;
type RuntimeName = keyof typeof executables;

const scratch = mkdtempSync(join(tmpdir(), "syncio-workers-lifetime-"));
mkdirSync(join(scratch, "node_modules", "@syncio"), { recursive: true });
for (const name of ["core", "workers", "node", "deno", "bun"]) symlinkSync(join(packages, name), join(scratch, "node_modules", "@syncio", name), "dir");
writeFileSync(join(scratch, "package.json"), JSON.stringify({ type: "module", private: true }));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

let scripts = 0;
/** Runs `main` on `runtime` with `worker` as ./worker-N.mjs beside it, killed after 20 s whatever happens. */
function run(runtime: RuntimeName, main: string, worker: string): Promise<Outcome> {
  const id = scripts++;
  writeFileSync(join(scratch, `worker-${id}.mjs`), `import "@syncio/${runtime}";\nimport { workerData } from "node:worker_threads";\n${worker}`);
  const file = join(scratch, `main-${id}.mjs`);
  writeFileSync(
    file,
    `import "@syncio/${runtime}";
import { Worker } from "node:worker_threads";
const start = (workerData, { unref = false } = {}) => {
  const worker = new Worker(new URL("./worker-${id}.mjs", import.meta.url), { workerData });
  if (unref) worker.unref();
  return worker;
};
${main}`,
  );
  const [command, ...args] = executables[runtime];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(command, [...args, file], { cwd: scratch, timeout: 20_000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

describe.each(["node", "deno", "bun"] as const)("on %s", (runtime) => {
  it("a worker waiting on a lock keeps its thread, and so the process, alive until it is granted; the process exits after", { timeout: 30_000 }, async () => {
    const outcome = await run(
      runtime,
      `import { Lock, Event } from "@syncio/workers";
       const lock = new Lock();
       const queued = new Event();
       const held = await lock.acquire();
       start({ lock: lock.handle, queued: queued.handle });
       await queued.wait();
       // The main thread has nothing left to do but this timer: the worker's wait must keep it going.
       setTimeout(() => held.release(), 300);`,
      `import { Lock, Event } from "@syncio/workers";
       const lock = Lock.from(workerData.lock);
       const started = performance.now();
       lock.acquire().then(() => console.log("granted after", performance.now() - started >= 250 ? "the release" : "too soon"));
       Event.from(workerData.queued).set();`,
    );
    expect(outcome).toMatchObject({ code: 0, stdout: "granted after the release\n" });
    expect(outcome.ms).toBeLessThan(15_000);
  });

  it("the main thread waiting on a lock that an unref'd worker holds stays alive until granted, then exits", { timeout: 30_000 }, async () => {
    const outcome = await run(
      runtime,
      `import { Lock, Event } from "@syncio/workers";
       const lock = new Lock();
       const holding = new Event();
       start({ lock: lock.handle, holding: holding.handle }, { unref: true });
       holding.wait().then(() => {
         const started = performance.now();
         lock.acquire().then(() => console.log("granted", performance.now() - started >= 250));
       });`,
      `import { Lock, Event } from "@syncio/workers";
       const held = await Lock.from(workerData.lock).acquire();
       Event.from(workerData.holding).set();
       setTimeout(() => held.release(), 300);`,
    );
    expect(outcome).toMatchObject({ code: 0, stdout: "granted true\n" });
    expect(outcome.ms).toBeLessThan(15_000);
  });

  it("a wait keeps its thread alive when nothing else would: the release comes from a timer that does not", { timeout: 30_000 }, async () => {
    const outcome = await run(
      runtime,
      `import { runtime } from "@syncio/${runtime}";
       import { Semaphore } from "@syncio/workers";
       const permits = new Semaphore(0);
       // An unref'd timer (keepAlive false): alone, it would let the process exit before it fires.
       runtime.setTimer(() => permits.release(), 300, false);
       const started = performance.now();
       // No top-level await: Bun and Deno would stay alive for a pending one by themselves.
       permits.acquire().then(() => console.log("granted", performance.now() - started >= 250));`,
      ``,
    );
    expect(outcome).toMatchObject({ code: 0, stdout: "granted true\n" });
  });

  it("a worker's acquire({ timeout }) keeps it alive until it times out, and then nothing does", { timeout: 30_000 }, async () => {
    const outcome = await run(
      runtime,
      `import { Lock } from "@syncio/workers";
       const lock = new Lock();
       await lock.acquire();
       start({ lock: lock.handle });`,
      `import { Lock } from "@syncio/workers";
       const started = performance.now();
       Lock.from(workerData.lock).acquire({ timeout: 300 }).catch((error) => console.log(error.name, performance.now() - started >= 295));`,
    );
    expect(outcome).toMatchObject({ code: 0, stdout: "TimeoutError true\n" });
    expect(outcome.ms).toBeLessThan(15_000);
  });

  it("a queue's getter in a worker keeps it alive until an item comes", { timeout: 30_000 }, async () => {
    const outcome = await run(
      runtime,
      `import { Queue } from "@syncio/workers";
       const jobs = new Queue(1, { codec: "number" });
       start({ jobs: jobs.handle });
       setTimeout(() => jobs.putNowait(42), 200);`,
      `import { Queue } from "@syncio/workers";
       Queue.from(workerData.jobs).get().then((item) => console.log("got", item));`,
    );
    expect(outcome).toMatchObject({ code: 0, stdout: "got 42\n" });
  });

  it("a settled wait holds nothing: a program whose last wait was granted ends at once", { timeout: 30_000 }, async () => {
    const outcome = await run(
      runtime,
      `import { Lock } from "@syncio/workers";
       const lock = new Lock();
       const held = await lock.acquire();
       const waiting = lock.acquire({ timeout: 60_000 });
       held.release();
       await waiting;
       console.log("acquired");`,
      ``,
    );
    expect(outcome).toMatchObject({ code: 0, stdout: "acquired\n" });
    expect(outcome.ms).toBeLessThan(10_000);
  });
});
