// One process of the cross-process queue soak (test/soak.test.ts); runs unchanged on node, deno
// and bun. `soak-child.mjs <url> <prefix> <role> <index> <items> <producers> <maxsize> <lease> <abortRate> <mode>`:
// - producer `index` of `producers` puts items index, index + producers, … below `items`; with
//   probability abortRate a put gets a signal that aborts 0–2 ms later: an aborted put is noted
//   in the Redis list <prefix>:aborted (its item may have entered anyway, once).
// - consumer `index` takes items until the queue is shut down and drained, mode "get" (get() then
//   taskDone()) or "lease" (getLeased() then done()), logging "G|L <index> <item>" to <prefix>:log
//   when it has an item and "D <index> <item>" once done() resolved true (a leasing consumer runs
//   three such loops at once, working 1 ms on each item, or 20 ms in mode "slow-lease", where one loop
//   also hangs for good on the 5th item leased, noting it in <prefix>:hung); with probability
//   abortRate a get gets a signal that aborts 0–3 ms later (an aborted get took nothing).
// All start together on the barrier "start" (every child and the test). Prints "ready", then
// "done"; exits 1 on anything unexpected. A watchdog ends it after 10 minutes whatever happens.
import { createClient } from "@redis/client";
import process from "node:process";
import { connect, QueueShutDown } from "../../dist/index.js";

const [url, prefix, role, indexText, itemsText, producersText, maxsizeText, leaseText, abortRateText, mode] = process.argv.slice(2);
const index = Number(indexText);
const abortRate = Number(abortRateText);
setTimeout(() => {
  console.error(`soak ${role} ${index}: still running after 10 minutes`);
  process.exit(3);
}, 600_000).unref?.();

const sync = await connect(url, { prefix, lease: Number(leaseText) });
const raw = createClient({ url });
raw.on("error", () => {});
await raw.connect();
const queue = sync.queue("soak", { maxsize: Number(maxsizeText) });
const reason = new Error("soak abort");
let leasedCount = 0;
const HANG_AT = 5;

/** Options for one call: now and then a signal that aborts a moment later. */
function maybeAbort(maxDelay) {
  if (Math.random() >= abortRate) return undefined;
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), Math.floor(Math.random() * (maxDelay + 1)));
  return { signal: controller.signal };
}

try {
  console.log("ready");
  await sync.barrier("start", 13).wait({ timeout: 120_000 });
  if (role === "producer") {
    for (let item = index; item < Number(itemsText); item += Number(producersText)) {
      try {
        await queue.put(item, maybeAbort(2));
      } catch (error) {
        if (error !== reason) throw error;
        await raw.rPush(`${prefix}:aborted`, String(item));
      }
    }
  } else {
    // A leasing consumer works on three items at once (three loops), so a kill catches several leased.
    await Promise.all(Array.from({ length: mode === "get" ? 1 : 3 }, () => consume()));
  }
  console.log("done");
  await raw.close();
  await sync.close();
  process.exit(0);
} catch (error) {
  console.error(`soak ${role} ${index}:`, error);
  process.exit(1);
}

async function consume() {
  for (;;) {
    let item;
    try {
      if (mode === "get") {
        item = await queue.get(maybeAbort(3));
        await raw.rPush(`${prefix}:log`, `G ${index} ${item}`);
        await queue.taskDone();
      } else {
        const leased = await queue.getLeased(maybeAbort(3));
        item = leased.item;
        await raw.rPush(`${prefix}:log`, `L ${index} ${item}`);
        leasedCount++;
        if (mode === "slow-lease" && leasedCount === HANG_AT) {
          // This loop hangs on its item (a stuck job) until the test kills the process: the item stays
          // leased for sure, so the kill must end in its redelivery. The other two loops go on.
          await raw.set(`${prefix}:hung`, String(item));
          await new Promise(() => {});
        }
        await new Promise((resolve) => setTimeout(resolve, mode === "slow-lease" ? 20 : 1)); // some work, holding the lease
        if (await leased.done()) await raw.rPush(`${prefix}:log`, `D ${index} ${item}`);
      }
    } catch (error) {
      if (error instanceof QueueShutDown) break;
      if (error !== reason) throw error;
    }
  }
}
