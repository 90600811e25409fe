/// <reference types="node" />
// The virtual clock inside real test runners (node:test and vitest, spawned on Node): a test that
// hangs holding a clock must not stall the tests after it.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "syncio-runners-"));
mkdirSync(join(scratch, "node_modules", "@syncio"), { recursive: true });
for (const name of ["core", "node"]) symlinkSync(join(root, "packages", name), join(scratch, "node_modules", "@syncio", name), "dir");
symlinkSync(join(root, "node_modules", "vitest"), join(scratch, "node_modules", "vitest"), "dir");
writeFileSync(join(scratch, "package.json"), JSON.stringify({ type: "module", private: true }));
writeFileSync(join(scratch, "vitest.config.mjs"), `export default { test: { include: ["*.vitest.mjs"], testTimeout: 300 } };\n`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  output: string;
}

function spawnIn(command: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: scratch, timeout: 60_000, killSignal: "SIGKILL", env: { ...process.env, NO_COLOR: "1", CI: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, output: stdout + stderr });
    });
  });
}

/** A test file: one test hangs holding a virtual clock, then tests that use real time. */
function testFile(runner: "node:test" | "vitest", withAfterEach: boolean): string {
  const imports =
    runner === "vitest"
      ? `import { afterEach, test } from "vitest";`
      : `import { afterEach, test } from "node:test";`;
  const timeoutOption = runner === "vitest" ? "" : "{ timeout: 300 }, ";
  return `${imports}
import { getRuntime, sleep } from "@syncio/node";
import { restoreRealTime, useVirtualTime } from "@syncio/core/testing";
${withAfterEach ? "afterEach(restoreRealTime);" : ""}
test("hangs holding a virtual clock", ${timeoutOption}async () => {
  const clock = useVirtualTime();
  try {
    // Stuck on something real (a virtual sleep nobody advances would leave node:test an empty
    // event loop, and it cancels the whole file: see the README's testing section).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  } finally {
    clock.uninstall();
  }
});
test("uses a virtual clock of its own", async () => {
  const clock = useVirtualTime();
  try {
    const slept = sleep(60_000);
    await clock.advance(60_000);
    await slept;
  } finally {
    clock.uninstall();
  }
});
test("then sleeps on real time", ${timeoutOption}async () => {
  if (getRuntime().name !== "node") throw new Error("runtime is " + getRuntime().name);
  await sleep(10);
});
`;
}

const runners = {
  "node:test": (file: string) => spawnIn(process.execPath, ["--test", "--test-reporter=tap", file]),
  vitest: (file: string) => spawnIn(process.execPath, [join(scratch, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=verbose", file]),
};

describe.each(Object.keys(runners) as Array<keyof typeof runners>)("the virtual clock under %s", (runner) => {
  const extension = runner === "vitest" ? "vitest.mjs" : "test.mjs";
  const passedLine = (name: string) => (runner === "vitest" ? new RegExp(`✓ .*${name}`) : new RegExp(`^ok \\d+ - ${name}`, "m"));
  const failedLine = (name: string) => (runner === "vitest" ? new RegExp(`× .*${name}`) : new RegExp(`^not ok \\d+ - ${name}`, "m"));

  it("lets the tests after a hung one run on real time when afterEach(restoreRealTime) is set", { timeout: 90_000 }, async () => {
    const file = `after-each.${extension}`;
    writeFileSync(join(scratch, file), testFile(runner, true));
    const { output } = await runners[runner](file);
    expect(output).toMatch(failedLine("hangs holding a virtual clock"));
    expect(output).toMatch(passedLine("uses a virtual clock of its own"));
    expect(output).toMatch(passedLine("then sleeps on real time"));
  });

  it("without afterEach, the next useVirtualTime() uninstalls the clock left behind and says where it came from", { timeout: 90_000 }, async () => {
    const file = `no-after-each.${extension}`;
    writeFileSync(join(scratch, file), testFile(runner, false));
    const { output } = await runners[runner](file);
    expect(output).toMatch(failedLine("hangs holding a virtual clock"));
    expect(output).toMatch(/a virtual clock installed earlier was never disposed/);
    expect(output).toMatch(new RegExp(`installed at .*no-after-each\\.${extension.replace(".", "\\.")}:\\d+`));
    expect(output).toMatch(passedLine("uses a virtual clock of its own"));
    expect(output).toMatch(passedLine("then sleeps on real time"));
  });
});
