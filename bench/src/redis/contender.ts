// One of the four processes of the fairness case: `node contender.js <library> <url> <key> <label> <count> <holdMs>`.
// Prints "ready", waits for "go" on stdin, then `count` times: acquire, log its label to the Redis
// list `<key>:log`, hold `holdMs`, release. Prints its waits (ms) as JSON and exits.
import { createInterface } from "node:readline";
import { createClient } from "@redis/client";
import { openLock, type LibraryName } from "./libraries.js";

const [library, url, key, label, count, hold] = process.argv.slice(2) as [LibraryName, string, string, string, string, string];
setTimeout(() => process.exit(3), 300_000).unref();
const lock = await openLock(library, url, key);
const log = createClient({ url });
await log.connect();
console.log("ready");
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once("line", () => resolve()));
const waits: number[] = [];
for (let i = 0; i < Number(count); i++) {
  const asked = performance.now();
  const release = await lock.acquire();
  waits.push(performance.now() - asked);
  await log.rPush(`${key}:log`, label);
  await new Promise((resolve) => setTimeout(resolve, Number(hold)));
  await release();
}
console.log(JSON.stringify({ waits }));
await log.close();
await lock.close();
process.exit(0);
