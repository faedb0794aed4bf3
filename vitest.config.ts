import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // The built package is imported by Node itself, as users import it: Vite's
    // module runner turns the TS engine's live `export let` binding into a getter
    // read in every kernel loop, which made that engine 3x slower under test.
    server: { deps: { external: [/\/dist\//] } },
  },
});
