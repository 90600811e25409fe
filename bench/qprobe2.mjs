import { connect } from "@syncio/redis";
const url = process.argv[2]; const N = 3000;
const [a, b] = await Promise.all([connect(url, { prefix: "b" }), connect(url, { prefix: "b" })]);
const name = `q${Math.random()}`;
const t = performance.now();
await Promise.all([(async () => { const q = a.queue(name, { maxsize: 10 }); for (let i = 0; i < N; i++) await q.put(i); })(), (async () => { const q = b.queue(name, { maxsize: 10 }); for (let i = 0; i < N; i++) await q.get(); })()]);
console.log("items/s", (N / ((performance.now() - t) / 1000)).toFixed(0));
await a.close(); await b.close(); process.exit(0);
