// Holds a RedisLock until killed: prints "held <fence>", and "lost <reason name>" when the
// lease's signal aborts. Runs on node, deno and bun; a watchdog ends it after 60 s.
import process from "node:process";
import { connect } from "../../dist/index.js";

const [url, prefix, lease, name] = process.argv.slice(2);
setTimeout(() => process.exit(3), 60_000);
const sync = await connect(url, { prefix, lease: Number(lease) });
const held = await sync.lock(name).acquire();
held.signal.addEventListener("abort", () => console.log(`lost ${held.signal.reason?.name}`));
console.log(`held ${held.fence}`);
