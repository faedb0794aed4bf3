// Specification: the package as users install it. `npm pack` the build, install
// the tarball into a fresh project, and from there import every entry point the
// package exports and type-check a consumer; the tarball holds exactly the
// built package, within its size budget.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, string>>;
  bin?: string | Record<string, string>;
};

/**
 * Bytes the shipped files may take: about 1.25x what they took when the budget was last set, measured with
 * `npm pack --dry-run` after merging demand scenarios with pool planning and move costs: the .wasm at 17.5 KB
 * (the scenarios' SIMD peak load), the JS at 290 KB, the tarball at 161 KB without the README's picture, which
 * (quantized by scripts/screenshot-demo.mjs) has its own budget on top of the tarball's. The JS budget was
 * raised to 400 KB when topology and failover reached 363 KB and their command line (GPU files, spread levels,
 * the failover report, `kvplace evaluate`) brought the JS to 377 KB. The .wasm budget was raised to 24 KB when
 * the topology kernels (group rings, colocated sets placed as one, a loss re-placed) took it to 22,932 B, and the
 * JS budget to 460 KB when the failover search (hot spares, enumeration on small instances) took it to 414 KB.
 * The tarball's budget was raised to 220 KB besides the picture when the packing proofs (bin completion over
 * subset sums, the pairs count in the packing bound's kernel) took it to 287 KB with the picture. The kernels
 * then shipped in two builds, with SIMD and without (for runtimes that have none): the .wasm budget became one
 * per file (22,757 B and 21,521 B), and with both builds embedded in base64 for `kvplace/inline` the JS reached
 * 489 KB (budget 540 KB) and the tarball 313 KB with the picture (budget 260 KB besides it).
 */
const IMAGE = 80 * 1024;
const BUDGET = { wasm: 24 * 1024, js: 540 * 1024, image: IMAGE, tarball: 260 * 1024 + IMAGE };

type Packed = { filename: string; size: number; files: { path: string; size: number }[] };

const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let work: string;
let packed: Packed;
let consumer: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "kvplace-pack-"));
  [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], root)) as [Packed];
  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run("npm", ["install", join(work, packed.filename), "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What the build makes of src/: a module and its declarations per source file, and the generated base64 of the .wasm. */
function builtFiles(dir = join(root, "src")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return builtFiles(path);
    const out = join("dist", relative(join(root, "src"), path));
    return [out.replace(/(\.d)?\.ts$/, ".js"), out.replace(/(\.d)?\.ts$/, ".d.ts")];
  });
}

/** Every file an `exports` or `bin` entry points at, relative to the package root. */
function entryTargets(): string[] {
  const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t)));
  const bins = pkg.bin === undefined ? [] : typeof pkg.bin === "string" ? [pkg.bin] : Object.values(pkg.bin);
  return [...targets, ...bins].map((t) => t.replace(/^\.\//, ""));
}

describe("the packed tarball", () => {
  it("holds exactly the built package: modules, declarations, both builds of the .wasm, package.json, README and its picture", () => {
    const expected = new Set([
      ...builtFiles(),
      "dist/engine/wasm/kvplace.wasm",
      "dist/engine/wasm/kvplace-scalar.wasm",
      "dist/data/adrs50.json",
      "package.json",
      "README.md",
      "docs/demo.png",
      "LICENSE",
    ]);
    const paths = packed.files.map((f) => f.path);
    expect(new Set(paths), "packed files (a stale dist/ file? rebuild from a clean dist/)").toEqual(expected);
    for (const target of entryTargets()) expect(paths, `entry target ${target}`).toContain(target);
    expect(paths.filter((p) => /\.map$|^(test|bench|build|src|assembly|scripts)\//.test(p))).toEqual([]);
    // Pictures the README shows by a relative path ship with it, so they show wherever the README does.
    const pictures = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(pictures).not.toEqual([]);
    for (const src of pictures.filter((p) => !/^[a-z]+:/.test(p))) expect(paths, `README picture ${src}`).toContain(src);
  });

  it(`stays within its size budget: each .wasm < ${BUDGET.wasm / 1024} KB, JS < ${BUDGET.js / 1024} KB, picture < ${BUDGET.image / 1024} KB, tarball < ${BUDGET.tarball / 1024} KB`, () => {
    const size = (test: (p: string) => boolean) => packed.files.filter((f) => test(f.path)).reduce((sum, f) => sum + f.size, 0);
    const modules = packed.files.filter((f) => f.path.endsWith(".wasm"));
    expect(modules.map((f) => f.path).sort()).toEqual(["dist/engine/wasm/kvplace-scalar.wasm", "dist/engine/wasm/kvplace.wasm"]);
    for (const f of modules) expect(f.size, f.path).toBeLessThan(BUDGET.wasm);
    expect(size((p) => p.endsWith(".js"))).toBeLessThan(BUDGET.js);
    expect(size((p) => p.endsWith(".png"))).toBeLessThan(BUDGET.image);
    expect(packed.size).toBeLessThan(BUDGET.tarball);
  });
});

/**
 * Runs in the consumer project with plain Node: one check per `exports` entry,
 * chosen by what the entry is, and a failure for an entry it does not know, so
 * that a new entry cannot ship unchecked. Prints what it verified as JSON.
 */
const CHECK = `
import { readFileSync } from "node:fs";
const pkg = JSON.parse(readFileSync(new URL("./node_modules/kvplace/package.json", import.meta.url), "utf8"));
const problem = { gpus: 2, models: [{ id: "a", sizeGB: 20, reqRate: 4, slo: 2 }, { id: "b", sizeGB: 10, reqRate: 1, slo: 1 }, { sizeGB: 30, reqRate: 0, slo: 1 }] };
const report = {};

async function api(specifier) {
  const m = await import(specifier);
  const names = ["createSolver", "solve", "evaluate", "lowerBound", "PlacementError"].filter((k) => typeof m[k] === "function");
  const solver = await m.createSolver();
  const wasm = solver.solve(problem);
  const ts = solver.solve(problem, { engine: "ts" });
  const shared = await m.solve(problem);
  let code;
  try { solver.solve({ gpus: 0, models: [] }); } catch (e) { code = e instanceof m.PlacementError ? e.code : String(e); }
  return {
    names,
    maxKvpr: wasm.maxKvpr,
    engines: wasm.stats.engine + "/" + ts.stats.engine,
    alike: JSON.stringify(wasm.assignment) === JSON.stringify(ts.assignment) && JSON.stringify(shared.assignment) === JSON.stringify(wasm.assignment),
    feasible: m.evaluate(problem, wasm.assignment).feasible,
    lowerBound: m.lowerBound(problem) <= wasm.maxKvpr,
    memoryBytes: solver.memoryBytes() > 0,
    error: code,
  };
}

async function worker(specifier) {
  const { createWorkerSolver } = await import(specifier);
  const s = await createWorkerSolver();
  const sol = await s.solve(problem);
  s.terminate();
  return { maxKvpr: sol.maxKvpr };
}

for (const [entry, target] of Object.entries(pkg.exports)) {
  const specifier = "kvplace" + entry.slice(1);
  const file = typeof target === "string" ? target : target.default;
  if (entry === "./worker") report[entry] = await worker(specifier);
  else if (file.endsWith(".js")) report[entry] = await api(specifier);
  else if (file.endsWith(".wasm")) {
    const bytes = readFileSync(new URL(import.meta.resolve(specifier)));
    const { createSolver } = await import("kvplace");
    report[entry] = { maxKvpr: (await createSolver({ wasm: bytes })).solve(problem).maxKvpr, module: WebAssembly.validate(bytes) };
  } else if (file.endsWith(".json")) {
    const json = (await import(specifier, { with: { type: "json" } })).default;
    report[entry] = { name: json.name, version: json.version };
  } else throw new Error("no check for the entry " + entry + " (" + file + ")");
}
console.log(JSON.stringify(report));
`;

/** A consumer in TypeScript, checked against the installed declarations as a user's build would. */
const CONSUMER_TS = `
import { createSolver, solve, evaluate, lowerBound, PlacementError, type Problem, type Solution, type Solver, type PlacementErrorCode } from "kvplace";
import * as inline from "kvplace/inline";

const problem: Problem = { gpus: [{ id: "h100", memGB: 80 }], models: [{ sizeGB: 10, reqRate: 1, slo: 1, pinnedGpu: 0 }] };
const solver: Solver = await createSolver();
const a: Solution = solver.solve(problem, { engine: "ts", timeLimitMs: 50, exact: "auto" });
const b: Solution = await solve(problem);
const c: Solution = (await inline.createSolver()).solve(problem);
const bytes: number = solver.memoryBytes();
const code: PlacementErrorCode = "TOO_LARGE";
const caught: unknown = new PlacementError(code, "past a limit");
export const checks = [a.maxKvpr, b.gap, c.optimal, evaluate(problem, a.assignment).feasible, lowerBound(problem), bytes, caught];
`;

describe("installed into a fresh project", () => {
  it("every entry point it exports imports and works from Node", () => {
    writeFileSync(join(consumer, "check.mjs"), CHECK);
    const report = JSON.parse(run("node", ["check.mjs"], consumer)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(report).sort()).toEqual(Object.keys(pkg.exports).sort());
    for (const entry of [".", "./inline"]) {
      expect(report[entry], entry).toEqual({
        names: ["createSolver", "solve", "evaluate", "lowerBound", "PlacementError"],
        maxKvpr: report["."]!["maxKvpr"],
        engines: "wasm/ts",
        alike: true,
        feasible: true,
        lowerBound: true,
        memoryBytes: true,
        error: "NO_GPUS",
      });
    }
    expect(report["./kvplace.wasm"]).toEqual({ maxKvpr: report["."]!["maxKvpr"], module: true });
    expect(report["./kvplace-scalar.wasm"]).toEqual({ maxKvpr: report["."]!["maxKvpr"], module: true });
    expect(report["./worker"]).toEqual({ maxKvpr: report["."]!["maxKvpr"] });
    expect(report["./package.json"]).toEqual({ name: pkg.name, version: pkg.version });
  });

  it("type-checks a TypeScript consumer against the shipped declarations", () => {
    writeFileSync(join(consumer, "consumer.ts"), CONSUMER_TS);
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2022", "dom"],
          types: [],
          strict: true,
          noEmit: true,
          exactOptionalPropertyTypes: true,
        },
        files: ["consumer.ts"],
      }),
    );
    const tsc = spawnSync(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], { cwd: consumer, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });
});

describe("the README's samples", () => {
  /** Every ```js block (a block tagged further, like ```js esbuild, needs a bundler and is left out). */
  const samples = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

  /** Runs a sample as a module of the consumer project. */
  function run(k: number) {
    writeFileSync(join(consumer, `sample-${k}.mjs`), samples[k]!);
    return spawnSync("node", [`sample-${k}.mjs`], { cwd: consumer, encoding: "utf8", timeout: 30_000 });
  }

  it("run as pasted in a project that installed the package, printing what they log", () => {
    expect(samples.length).toBeGreaterThanOrEqual(4);
    samples.forEach((sample, k) => {
      const result = run(k);
      expect({ sample: k, status: result.status, stderr: result.stderr }).toEqual({ sample: k, status: 0, stderr: "" });
      if (sample.includes("console.log(")) expect(result.stdout, `sample ${k}`).not.toBe("");
    });
  });

  it("show kvplace/worker cancelling a running solve", () => {
    const result = run(samples.findIndex((sample) => sample.includes('from "kvplace/worker"')));
    expect(result.stdout.trim().split("\n").at(-1)).toBe("CANCELLED");
  });
});

describe("bundled by Vite into a page", () => {
  /** Builds a page whose script is `source`; returns the files written, relative to the output folder, and the JS. */
  async function bundle(name: string, source: string): Promise<{ files: string[]; js: string }> {
    writeFileSync(join(consumer, `${name}.html`), `<!doctype html><script type="module">${source}</script>\n`);
    const outDir = join(work, `vite-${name}`);
    await build({ root: consumer, configFile: false, logLevel: "silent", build: { outDir, rollupOptions: { input: join(consumer, `${name}.html`) } } });
    const files = readdirSync(outDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(outDir, join(e.parentPath, e.name)));
    const js = files
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(outDir, f), "utf8"))
      .join("\n");
    return { files, js };
  }

  it("kvplace emits both builds of kvplace.wasm and points at each", async () => {
    const { files, js } = await bundle("main", 'import { solve } from "kvplace"; solve({ gpus: 1, models: [] });');
    const wasm = files.filter((f) => f.endsWith(".wasm")).map((f) => f.split("/").pop()!);
    expect(wasm.map((f) => f.replace(/-[\w-]{8}\.wasm$/, ".wasm")).sort()).toEqual(["kvplace-scalar.wasm", "kvplace.wasm"]);
    for (const file of wasm) expect(js).toContain(file);
  });

  it("kvplace/inline emits no .wasm: the module travels inside the JS", async () => {
    const { files } = await bundle("inline", 'import { solve } from "kvplace/inline"; solve({ gpus: 1, models: [] });');
    expect(files.filter((f) => !f.endsWith(".js") && !f.endsWith(".html"))).toEqual([]);
  });
});
