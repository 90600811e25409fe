/** Which runtime really runs the suite, and its threads: a wrong resolution would test the wrong thing. */
import { describe, expect, inject, it } from "vitest";
import { useThreads } from "./support/suite.js";

declare module "vitest" {
  export interface ProvidedContext {
    workersHost: string;
  }
}

const threads = useThreads(2);
const here = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : typeof (globalThis as { process?: unknown }).process === "object" ? "node" : "browser";

describe("the test run", () => {
  it("runs on the runtime the config was loaded by", () => {
    expect(here).toBe(inject("workersHost") === "chromium" ? "browser" : inject("workersHost"));
  });

  it("runs its threads on the same runtime", async () => {
    for (const thread of threads) expect(await thread.runtime()).toBe(here);
  });

  it("has SharedArrayBuffer and Atomics.waitAsync (a browser page only under cross-origin isolation)", () => {
    if (here === "browser") expect((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe("function");
    expect(typeof (Atomics as unknown as { waitAsync: unknown }).waitAsync).toBe("function");
  });
});
