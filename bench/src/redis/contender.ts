// One of the four processes of the fairness case: `node contender.js <library> <url> <key> <label> <count> <holdMs>`.
// Acquires and releases once (warm-up), prints "ready", waits for "go" on stdin, then `count`
// times: acquire, note the time of the grant (wall clock, comparable across the processes of one
// machine), hold `holdMs`, release. Prints its waits and grant times (ms) as JSON and exits.
import { createInterface } from "node:readline";
import { openLock, type LibraryName } from "./libraries.js";

const [library, url, key, label, count, hold] = process.argv.slice(2) as [LibraryName, string, string, string, string, string];
setTimeout(() => process.exit(3), 300_000).unref();
const lock = await openLock(library, url, key);
await (await lock.acquire())();
console.log("ready");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));
const waits: number[] = [];
const grants: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const asked = performance.now();
  const release = await lock.acquire();
  const granted = performance.now();
  waits.push(granted - asked);
  grants.push(performance.timeOrigin + granted);
  await new Promise((resolve) => setTimeout(resolve, Number(hold)));
  await release();
}
console.log(JSON.stringify({ label, waits, grants }));
await lock.close();
process.exit(0);
