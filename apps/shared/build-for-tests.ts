/**
 * vitest globalSetup of the demos: builds the app (tsup, a few milliseconds) so its tests never
 * run a stale `dist/`, and checks that the adapters it imports are built.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export default function setup(): void {
  const appDir = process.cwd();
  for (const runtime of ["node", "deno", "bun"]) {
    const adapter = join(appDir, "node_modules", "@syncio", runtime, "dist", "index.js");
    if (!existsSync(adapter)) throw new Error(`@syncio/${runtime} is not built (${adapter} is missing): run \`pnpm build\` at the repo root first`);
  }
  const redis = join(appDir, "node_modules", "@syncio", "redis", "dist", "index.js");
  if (existsSync(join(appDir, "node_modules", "@syncio", "redis")) && !existsSync(redis)) throw new Error(`@syncio/redis is not built (${redis} is missing): run \`pnpm build\` at the repo root first`);
  const require = createRequire(join(appDir, "package.json"));
  const tsupPackage = require.resolve("tsup/package.json");
  const tsupBin = join(dirname(tsupPackage), (require(tsupPackage) as { bin: Record<string, string> }).bin["tsup"]!);
  const build = spawnSync(process.execPath, [tsupBin, "--silent"], { cwd: appDir, encoding: "utf8", timeout: 60_000 });
  if (build.status !== 0) throw new Error(`building ${appDir} failed:\n${build.stdout}${build.stderr}`);
}
