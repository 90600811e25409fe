import { createClient } from "@redis/client";
import { readFileSync } from "node:fs";
const url = process.argv[2]; const N = 5000;
const c = createClient({ url }); await c.connect();
// the built put script source, from dist
const dist = readFileSync(new URL("../packages/redis/dist/index.js", import.meta.url), "utf8");
const files = (await import("node:fs")).readdirSync(new URL("../packages/redis/dist/", import.meta.url)).filter(f => f.endsWith(".js"));
let src;
for (const f of files) { const t = readFileSync(new URL("../packages/redis/dist/" + f, import.meta.url), "utf8"); const m = t.match(/"name": "queue-put", "source": ("(?:[^"\\]|\\.)*")/); if (m) src = JSON.parse(m[1]); }
const sha = await c.sendCommand(["SCRIPT", "LOAD", src]);
const name = `r${Math.random()}`; const base = `p:{${name}}`;
const keys = ["meta","expiry","granted","retired","line:get","line:put","line:join","carried","items"].map(k => `${base}:${k}`);
let t = performance.now();
for (let i = 0; i < N; i++) await c.sendCommand(["EVALSHA", sha, "9", ...keys, "queue", "0", "30000", "p:session:", `s:${i}`, "wait", String(i)]);
console.log("raw put evalsha us/op", ((performance.now() - t) / N * 1000).toFixed(0));
process.exit(0);
const sha2 = await c.sendCommand(["SCRIPT", "LOAD", "return {'granted',''}"]);
t = performance.now();
for (let i = 0; i < N; i++) await c.sendCommand(["EVALSHA", sha2, "9", ...keys, "queue", "0", "30000", "p:session:", `s:${i}`, "wait", String(i)]);
console.log("empty script same args us/op", ((performance.now() - t) / N * 1000).toFixed(0));
t = performance.now();
for (let i = 0; i < N; i++) await c.sendCommand(["EVALSHA", sha2, "0"]);
console.log("empty script no args us/op", ((performance.now() - t) / N * 1000).toFixed(0));
t = performance.now();
for (let i = 0; i < N; i++) await c.sendCommand(["PING"]);
console.log("ping us/op", ((performance.now() - t) / N * 1000).toFixed(0));
process.exit(0);
