import { playwright } from "@vitest/browser-playwright";
import { mergeConfig } from "vitest/config";
import { workersConfig } from "./vitest.config.js";

// The suites in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH), with threads as
// browser Workers. SharedArrayBuffer needs cross-origin isolation: every page and script the test
// server sends carries COOP same-origin and COEP require-corp. Files named *.node.test.ts stay out.
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default mergeConfig(workersConfig("chromium"), {
  server: { headers: isolation },
  preview: { headers: isolation },
  test: {
    exclude: ["test/**/*.node.test.ts"],
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      }),
      instances: [{ browser: "chromium" }],
    },
  },
});
