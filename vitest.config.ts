import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { CHROMIUM_ARGS, chromiumPath } from "./scripts/chromium.mjs";

export default defineConfig({
  test: {
    testTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          // The built package is imported by Node itself, as users import it: Vite's
          // module runner turns the TS engine's live `export let` binding into a getter
          // read in every kernel loop, which made that engine 3x slower under test.
          server: { deps: { external: [/\/dist\//] } },
        },
      },
      {
        extends: true,
        test: {
          name: "chromium",
          // The portable tests: no node: modules, no file reads; the bench generators are pure.
          include: ["test/portable/**/*.test.ts"],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: await chromiumPath(), args: CHROMIUM_ARGS } }),
            instances: [{ browser: "chromium" }],
          },
        },
      },
    ],
  },
});
