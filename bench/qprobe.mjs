import { createClient } from "@redis/client";
import { connect } from "@syncio/redis";
import { Queue, Worker } from "bullmq";
const url = process.argv[2];
const N = 3000;
async function floor(P, C) {
  const key = `floor:${Math.random()}`;
  const producers = await Promise.all(Array.from({ length: P }, async () => { const c = createClient({ url }); await c.connect(); return c; }));
  const consumers = await Promise.all(Array.from({ length: C }, async () => { const c = createClient({ url }); await c.connect(); return c; }));
  const t = performance.now();
  await Promise.all([
    ...producers.map(async (c, p) => { for (let i = 0; i < N / P; i++) await c.sendCommand(["LPUSH", key, String(i)]); }),
    ...consumers.map(async (c) => { for (let i = 0; i < N / C; i++) await c.sendCommand(["BLMOVE", key, key + ":p", "RIGHT", "LEFT", "0"]); }),
  ]);
  const ms = performance.now() - t;
  for (const c of [...producers, ...consumers]) c.destroy();
  return N / (ms / 1000);
}
async function syncio(P, C, lease) {
  const name = `q${Math.random()}`;
  const producers = await Promise.all(Array.from({ length: P }, () => connect(url, { prefix: "b" })));
  const consumers = await Promise.all(Array.from({ length: C }, () => connect(url, { prefix: "b" })));
  const t = performance.now();
  await Promise.all([
    ...producers.map(async (s) => { const q = s.queue(name, { maxsize: 10 }); for (let i = 0; i < N / P; i++) await q.put(i); }),
    ...consumers.map(async (s) => { const q = s.queue(name, { maxsize: 10 }); for (let i = 0; i < N / C; i++) { if (lease) await (await q.getLeased()).done(); else await q.get(); } }),
  ]);
  const ms = performance.now() - t;
  await Promise.all([...producers, ...consumers].map((s) => s.close()));
  return N / (ms / 1000);
}
async function bull(P, C) {
  const connection = { url };
  const name = `bq${Math.floor(Math.random() * 1e9)}`;
  const parsed = new URL(url);
  const opts = { connection: { host: parsed.hostname, port: Number(parsed.port), maxRetriesPerRequest: null } };
  const queues = Array.from({ length: P }, () => new Queue(name, opts));
  let done = 0; let finish; const finished = new Promise((r) => (finish = r));
  const t = performance.now();
  const workers = Array.from({ length: C }, () => new Worker(name, async () => { if (++done === N) finish(); }, { ...opts, concurrency: 1 }));
  await Promise.all(queues.map(async (q) => { for (let i = 0; i < N / P; i++) await q.add("news", { i }); }));
  await finished;
  const ms = performance.now() - t;
  await Promise.all([...workers.map((w) => w.close()), ...queues.map((q) => q.close())]);
  return N / (ms / 1000);
}
for (const [P, C] of [[1, 1], [4, 4]]) {
  console.log(`${P}P/${C}C floor`, (await floor(P, C)).toFixed(0), "syncio", (await syncio(P, C, false)).toFixed(0), "leased", (await syncio(P, C, true)).toFixed(0), "bullmq", (await bull(P, C)).toFixed(0));
}
process.exit(0);
