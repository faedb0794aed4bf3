import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";

type Exports = Record<string, string | Record<string, string>>;
const root = new URL("../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { exports: Exports };
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
});
