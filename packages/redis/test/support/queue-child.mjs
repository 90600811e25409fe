// A consumer of the queue fault tests; runs unchanged on node, deno and bun. Mode "get": one
// get(), printing "got <item>". Mode "lease": one getLeased(), printing "leased <item>"; then
// each stdin line "done" calls done() and prints "done <true|false>". A watchdog ends it after 60 s.
import { createInterface } from "node:readline";
import process from "node:process";
import { connect } from "../../dist/index.js";

const [url, prefix, lease, name, mode] = process.argv.slice(2);
setTimeout(() => process.exit(3), 60_000);
const sync = await connect(url, { prefix, lease: Number(lease) });
const queue = sync.queue(name);
console.log("ready");
if (mode === "get") {
  console.log(`got ${await queue.get()}`);
} else {
  const leased = await queue.getLeased();
  console.log(`leased ${leased.item}`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === "done") console.log(`done ${await leased.done()}`);
  }
}
await sync.close();
process.exit(0);
