// Specification: which Chromium the browser tests drive. A machine with only Node and npm has one
// (the dev dependency @sparticuz/chromium ships it compressed); KVPLACE_CHROMIUM names another.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chromiumPath, ENV } from "../scripts/chromium.mjs";

afterEach(() => vi.unstubAllEnvs());

describe("the Chromium of the browser tests", () => {
  it.runIf(process.platform === "linux" && process.arch === "x64")(
    "is, without KVPLACE_CHROMIUM, the one @sparticuz/chromium ships, unpacked into node_modules/.cache",
    async () => {
      vi.stubEnv(ENV, "");
      const path = await chromiumPath();
      const { version } = JSON.parse(readFileSync(new URL("../node_modules/@sparticuz/chromium/package.json", import.meta.url), "utf8")) as { version: string };
      expect(path).toBe(new URL(`../node_modules/.cache/kvplace-chromium/${version}/chromium`, import.meta.url).pathname);
      // The package's version is the browser's major version.
      expect(execFileSync(path, ["--version"], { encoding: "utf8" })).toMatch(new RegExp(`^Chromium ${version.split(".")[0]}\\.`));
      expect(await chromiumPath(), "unpacked once").toBe(path);
    },
  );

  it("is the executable KVPLACE_CHROMIUM names", async () => {
    vi.stubEnv(ENV, process.execPath);
    expect(await chromiumPath()).toBe(process.execPath);
  });

  it("refuses a KVPLACE_CHROMIUM that names no executable, saying which variable", async () => {
    vi.stubEnv(ENV, "/nonexistent/chromium");
    await expect(chromiumPath()).rejects.toThrow("KVPLACE_CHROMIUM=/nonexistent/chromium: no executable there");
  });
});
