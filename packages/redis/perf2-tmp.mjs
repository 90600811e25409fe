import { connect } from "./dist/index.js";
const s1 = await connect("redis://127.0.0.1:16399", { prefix: "p3" }); const l1 = s1.lock("x");
for (let i = 0; i < 3000; i++) { const h = await l1.acquire(); await h.release(); }
await s1.close();
