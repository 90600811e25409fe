import { createClient } from "@redis/client";
import { Redis } from "ioredis";
import { connect } from "./dist/index.js";
const url = "redis://127.0.0.1:16399";
const c = createClient({ url }); await c.connect();
const io = new Redis(url); await new Promise(r => io.once("ready", r));
const del = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const sha = await c.sendCommand(["SCRIPT", "LOAD", del]);
const N = 1000;
const s1 = await connect(url, { prefix: "p1" }); const l1 = s1.lock("x");
const s2 = await connect(io, { prefix: "p2" }); const l2 = s2.lock("x");
const cases = {
  "floor node-redis": async () => { for (let i = 0; i < N; i++) { await c.sendCommand(["SET", "k", "v" + i, "NX", "PX", "10000"]); await c.sendCommand(["EVALSHA", sha, "1", "k", "v" + i]); } },
  "floor ioredis": async () => { for (let i = 0; i < N; i++) { await io.call("SET", "k2", "v" + i, "NX", "PX", "10000"); await io.call("EVALSHA", sha, "1", "k2", "v" + i); } },
  "syncio node-redis": async () => { for (let i = 0; i < N; i++) { const h = await l1.acquire(); await h.release(); } },
  "syncio ioredis": async () => { for (let i = 0; i < N; i++) { const h = await l2.acquire(); await h.release(); } },
};
const res = {};
for (let r = 0; r < 5; r++) for (const [k, f] of Object.entries(cases)) { const t = performance.now(); await f(); (res[k] ??= []).push((performance.now() - t) / N * 1000); }
for (const [k, v] of Object.entries(res)) console.log(k, v.sort((a, b) => a - b)[2].toFixed(0), "us");
await s1.close(); await s2.close(); await c.close(); io.disconnect();
