#!/usr/bin/env node
// Runs every test suite of the repo — the core suite on each runtime and in Chromium, the adapter
// tests, the demos, the package checks — each in its own process under a hard time limit, counts
// each suite's results from vitest's JSON report, and ends with one line: "N passed, N failed".
//
//   node scripts/test.mjs             all suites (what `pnpm test` and CI run)
//   node scripts/test.mjs --stress    the stress suites only, 100× the schedules (`pnpm test:stress`)
//   node scripts/test.mjs --only core  suites whose name contains "core"
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suites } from "./suites.mjs";

const args = process.argv.slice(2);
const stress = args.includes("--stress");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const root = new URL("..", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "syncio-test-"));

const selected = suites.filter((suite) => (stress ? suite.stress || suite.stressOnly : !suite.stressOnly) && (only === undefined || suite.name.includes(only)));

function run(suite, reportFile) {
  const extra = suite.kind === "vitest" ? ["--reporter=dot", "--reporter=json", `--outputFile.json=${reportFile}`] : [];
  const [command, ...rest] = suite.command;
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, [...rest, ...extra], {
      cwd: join(root, suite.cwd ?? "."),
      stdio: "inherit",
      env: { ...process.env, ...(suite.env ?? {}), ...(stress ? { SYNCIO_STRESS: "1" } : {}) },
      detached: process.platform !== "win32",
    });
    const limit = (suite.timeoutSeconds ?? 300) * (stress ? 20 : 1);
    const timer = setTimeout(() => {
      console.error(`\n✗ ${suite.name}: still running after ${limit} s — killed`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, limit * 1000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000 });
    });
  });
}

const rows = [];
for (const [index, suite] of selected.entries()) {
  console.log(`\n━━ ${suite.name} ━━ ${suite.command.join(" ")}`);
  const reportFile = join(scratch, `report-${index}.json`);
  const { code, seconds } = await run(suite, reportFile);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (suite.kind === "vitest" && existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, "utf8"));
    passed = report.numPassedTests;
    failed = report.numFailedTests;
    skipped = report.numPendingTests + report.numTodoTests;
    // A crash, an unhandled error or a failed file without failed tests still fails the suite.
    if (code !== 0 && failed === 0) failed = 1;
    if (passed + failed === 0) failed = 1; // a suite that ran no test is a failure
  } else if (suite.kind === "vitest") {
    failed = 1;
  } else {
    code === 0 ? (passed = 1) : (failed = 1);
  }
  rows.push({ name: suite.name, passed, failed, skipped, seconds, code });
}
rmSync(scratch, { recursive: true, force: true });

const pad = (text, width) => String(text).padEnd(width);
const padLeft = (text, width) => String(text).padStart(width);
console.log(`\n${pad("suite", 34)}${padLeft("passed", 8)}${padLeft("failed", 8)}${padLeft("skipped", 9)}${padLeft("time", 8)}`);
for (const row of rows) {
  const mark = row.failed > 0 ? "✗" : "✓";
  console.log(`${mark} ${pad(row.name, 32)}${padLeft(row.passed, 8)}${padLeft(row.failed, 8)}${padLeft(row.skipped, 9)}${padLeft(row.seconds.toFixed(0) + " s", 8)}`);
}
const total = rows.reduce((sum, row) => ({ passed: sum.passed + row.passed, failed: sum.failed + row.failed, skipped: sum.skipped + row.skipped }), { passed: 0, failed: 0, skipped: 0 });
if (rows.length === 0) total.failed = 1;
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(total.failed > 0 ? 1 : 0);
