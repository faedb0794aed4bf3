import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";

type Exports = Record<string, string | Record<string, string>>;
const root = new URL("../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { version: string; exports: Exports; bin: Record<string, string> };
const packed = (): Set<string> => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
};

describe("the published package", () => {
  const files = packed();

  it("ships every file its exports name, the worker entry among them", () => {
    const targets = Object.values(pkg.exports).flatMap((v) => (typeof v === "string" ? [v] : Object.values(v)));
    expect(targets).toContain("./dist/worker/index.js");
    for (const target of targets) expect(files, target).toContain(posix.normalize(target));
  });

  it("ships every module a shipped module imports or locates with new URL(…, import.meta.url)", () => {
    const relative = /(?:from\s+|import\(\s*|new URL\(\s*)"(\.{1,2}\/[^"]+)"/g;
    let checked = 0;
    for (const file of files) {
      if (!file.endsWith(".js")) continue;
      const source = readFileSync(new URL(file, root), "utf8");
      for (const [, spec] of source.matchAll(relative)) {
        expect(files, `${file} -> ${spec}`).toContain(posix.join(posix.dirname(file), spec!));
        checked++;
      }
    }
    expect(files).toContain("dist/worker/solver-worker.js");
    expect(checked).toBeGreaterThan(50);
  });

  it("ships the kvplace command with its shebang, and the ADRS suite it benchmarks by default", () => {
    expect(pkg.bin).toEqual({ kvplace: "./dist/cli/main.js" });
    expect(files).toContain("dist/cli/main.js");
    expect(files).toContain("dist/data/adrs50.json");
    expect(readFileSync(new URL("dist/cli/main.js", root), "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("installs from its tarball, offline, as a kvplace command that runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "kvplace-pack-"));
    try {
      const npm = (args: string[]) => execFileSync("npm", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const [{ filename }] = JSON.parse(
        execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
          cwd: root,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        }),
      ) as { filename: string }[];
      writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "private": true }\n');
      // kvplace has no dependencies, so nothing is fetched.
      npm(["install", "--offline", "--no-audit", "--no-fund", join(dir, filename!)]);
      const bin = join(dir, "node_modules", ".bin", "kvplace");
      expect(statSync(bin).mode & 0o111).not.toBe(0);
      expect(execFileSync(bin, ["--version"], { encoding: "utf8" })).toBe(`${pkg.version}\n`);
      writeFileSync(join(dir, "models.csv"), "id,sizeGB,reqRate,slo\na,10,3,1\nb,20,1,1\n");
      const out = execFileSync(bin, ["solve", "models.csv", "--gpus", "2"], { cwd: dir, encoding: "utf8" });
      expect(out).toMatch(/\ngpu0 +█/);
      expect(execFileSync(bin, ["bench", "--repeats", "1"], { cwd: dir, encoding: "utf8" })).toMatch(/^50 cases; /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
