// One contender of the cross-process fairness test; runs unchanged on node, deno and bun.
// Waits for the event "go", then `count` times: acquire the lock, check in Redis that nobody else
// is inside (INCR must give 1), log "<label> <fence> <waited ms>" to a Redis list, hold `hold` ms,
// leave (DECR), release. Prints "done" and exits; a watchdog ends it after 60 s whatever happens.
import { createClient } from "@redis/client";
import process from "node:process";
import { connect } from "../../dist/index.js";

const [url, prefix, label, count, hold] = process.argv.slice(2);
setTimeout(() => {
  console.error(`${label}: still running after 60 s`);
  process.exit(3);
}, 60_000).unref?.();
const sync = await connect(url, { prefix, lease: 5_000 });
const raw = createClient({ url });
raw.on("error", () => {});
await raw.connect();
const lock = sync.lock("contended");
const inside = `${prefix}:inside`;
const log = `${prefix}:log`;
console.log("ready");
await sync.event("go").wait({ timeout: 30_000 });
for (let i = 0; i < Number(count); i++) {
  const asked = performance.now();
  const lease = await lock.acquire({ timeout: 20_000 });
  const waited = performance.now() - asked;
  const entered = await raw.incr(inside);
  await raw.rPush(log, `${label} ${lease.fence} ${waited.toFixed(2)} ${entered}`);
  await new Promise((resolve) => setTimeout(resolve, Number(hold)));
  await raw.decr(inside);
  await lease.release();
}
console.log("done");
await raw.close();
await sync.close();
process.exit(0);
