import { defineConfig } from "tsup";

// One self-contained file per runtime (node, deno, bun run the same JavaScript); the adapter
// stays an import, resolved from node_modules at run time.
export default defineConfig({
  entry: { node: "src/node.ts", deno: "src/deno.ts", bun: "src/bun.ts" },
  format: ["esm"],
  target: "es2022",
  splitting: false,
  clean: true,
  external: [/^@syncio\//],
});
