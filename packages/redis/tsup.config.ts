import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { defineConfig } from "tsup";
import type { Plugin } from "esbuild";

/**
 * `import script from "./lua/acquire.lua"` gives `{ name, source, sha1 }`. The one build-time
 * step: a line `--@include prelude.lua` is replaced by that file (the machinery every script
 * shares), so each script Redis runs is still one self-contained atomic transition. Lines that
 * are only a comment are dropped from what Redis receives, and indentation (the files keep both). The SHA1 is what
 * EVALSHA names the script by.
 */
const lua: Plugin = {
  name: "syncio-lua",
  setup(build) {
    build.onLoad({ filter: /\.lua$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const included: string[] = [];
      const source = text.replace(/^--@include (\S+)\s*$/m, (_line, file: string) => {
        const path = join(dirname(args.path), file);
        included.push(path);
        return readFileSync(path, "utf8");
      });
      const compact = source
        .split("\n")
        .filter((line) => !/^\s*(--.*)?$/.test(line))
        .map((line) => line.trim())
        .join("\n");
      const script = { name: basename(args.path, ".lua"), source: compact, sha1: createHash("sha1").update(compact).digest("hex") };
      return { contents: `export default ${JSON.stringify(script)};`, loader: "js", watchFiles: included };
    });
  },
};

export default defineConfig({
  // index.bun.js is what the `bun` export condition resolves to: the only build that loads the
  // adapter for Bun's RedisClient.
  entry: ["src/index.ts", "src/index.bun.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  clean: true,
  target: "es2022",
  sourcemap: true,
  // One core instance for every @syncio package; node-redis is a dependency, resolved at run time.
  external: ["@syncio/core", "@redis/client"],
  esbuildPlugins: [lua],
});
