import { defineConfig } from "tsup";

// `pnpm bench:redis`: main (node) starts a redis-server and runs every case; contender is the
// process the fairness case starts four of, once per library.
export default defineConfig({
  entry: { main: "src/redis/main.ts", contender: "src/redis/contender.ts", queue: "src/redis/queue.ts" },
  outDir: "dist/redis",
  format: ["esm"],
  target: "es2022",
  clean: false,
  skipNodeModulesBundle: true,
});
