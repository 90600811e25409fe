import { playwright } from "@vitest/browser-playwright";
import { mergeConfig } from "vitest/config";
import { syncioConfig } from "./vitest.config.js";

// The core suite in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH), against
// core's build on its web-standard runtime: run with SYNCIO_ADAPTER=web. Files named
// *.node.test.ts may use node: modules and stay out.
export default mergeConfig(syncioConfig("chromium"), {
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
