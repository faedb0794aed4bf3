// npm run bench: the WASM and TypeScript engines side by side in one run, per
// kernel and end to end, at 18, 200, 2,000 and 20,000 models.
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { createTsKernels } from "../dist/engine/ts/index.js";
import type { Kernels } from "../dist/engine/kernels.js";
import { bindWasm } from "../dist/engine/wasm/binding.js";
import { createSolver, type Problem } from "../dist/index.js";
import { loadSuite } from "./adrs50.js";
import { fleet } from "./generate.js";
import { interleaved } from "./interleave.js";
import { formatTime as fmt, kernelTasks } from "./kernel-tasks.js";

/** Rounds and milliseconds per round of the before/after comparison: enough rounds that a busy moment moves only the tails. */
const BEFORE_AFTER_ROUNDS = 11;
const BEFORE_AFTER_ROUND_MS = 400;

const wasmBytes = readFileSync(new URL("../dist/engine/wasm/kvplace.wasm", import.meta.url));
const instance = (await WebAssembly.instantiate(wasmBytes)).instance;
const engines: Kernels[] = [bindWasm(instance), createTsKernels()];
const solver = await createSolver({ wasm: wasmBytes });

const adrsSuite = loadSuite(new URL("../bench/data/adrs50.json", import.meta.url));
const adrs18 = loadSuite(new URL("../bench/data/adrs50.json", import.meta.url)).find((c) => c.problem.models.length === 18)!.problem;
const sizes: { label: string; problem: Problem; exact: boolean }[] = [
  { label: "18 models (ADRS)", problem: adrs18, exact: true },
  { label: "200 models", problem: fleet(40, 200, 1), exact: false },
  { label: "2,000 models", problem: fleet(400, 2000, 2), exact: false },
  { label: "20,000 models", problem: fleet(4000, 20000, 3), exact: false },
];

console.log(`${new Date().toISOString().slice(0, 10)} · Node ${process.versions.node} · ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}`);

// Before and after a change: with KVPLACE_BASELINE naming another build's dist/ folder (say, an earlier commit
// built beside this one), the end-to-end solves of both builds run in this same process, interleaved round by round.
// It runs first, on fresh code: after the per-kernel runs below, V8's state from those runs slowed the TypeScript
// engine of this build by a further 20–25% on the 2,000-model fleet (measured), which is the history, not the code.
const baselineDir = process.env["KVPLACE_BASELINE"];
if (baselineDir !== undefined) {
  const before = (await import(pathToFileURL(`${resolve(baselineDir)}/index.js`).href)) as typeof import("../dist/index.js");
  const builds = { before: await before.createSolver(), now: solver };
  const fleet2000 = sizes[2]!.problem;
  const work = {
    "50 ADRS cases, default options (exact: auto)": (s: typeof solver, engine: "wasm" | "ts") => {
      for (const c of adrsSuite) s.solve(c.problem, { engine });
    },
    "2,000 models end to end (exact: false)": (s: typeof solver, engine: "wasm" | "ts") => s.solve(fleet2000, { engine, exact: false }),
  };
  console.log(`\nagainst ${baselineDir} (CPU time, median of ${BEFORE_AFTER_ROUNDS} interleaved rounds)`);
  console.log("| task | engine | before | now | now / before |");
  console.log("|---|---|---:|---:|---:|");
  for (const [task, run] of Object.entries(work)) {
    for (const engine of ["wasm", "ts"] as const) {
      const contenders = Object.entries(builds).map(([name, s]) => ({ name, run: () => run(s, engine) }));
      const [b, n] = (await interleaved(contenders, BEFORE_AFTER_ROUNDS, BEFORE_AFTER_ROUND_MS)) as [number, number];
      console.log(`| ${task} | ${engine} | ${fmt(b)} | ${fmt(n)} | ${(n / b).toFixed(2)}× |`);
    }
  }
}

type Row = { size: string; task: string; wasm: number; ts: number };
const rows: Row[] = [];

for (const { label, problem, exact } of sizes) {
  const big = problem.models.length >= 20000;
  const bench = new Bench({ time: big ? 2000 : 500, warmupTime: big ? 200 : 100, iterations: 5 });
  const tasks: Record<string, Partial<Record<string, number>>> = {};
  const optimum = exact ? solver.solve(problem, { exact: true }).maxKvpr : undefined;
  for (const k of engines) {
    for (const { task, run } of kernelTasks(k, problem, optimum)) bench.add(`${task}|${k.engine}`, run);
    bench.add(`solve end to end (exact: ${exact})|${k.engine}`, () => solver.solve(problem, { engine: k.engine, exact }));
  }
  await bench.run();
  for (const task of bench.tasks) {
    const [name, engine] = task.name.split("|") as [string, string];
    if (task.result.state !== "completed") throw new Error(`${task.name}: ${task.result.state}`);
    (tasks[name] ??= {})[engine] = task.result.latency.mean;
  }
  for (const [task, t] of Object.entries(tasks)) rows.push({ size: label, task, wasm: t["wasm"]!, ts: t["ts"]! });
}

// The exact-mode speed goal: every ADRS case solved and proven, end to end, per engine.
{
  const bench = new Bench({ time: 2000, warmupTime: 300, iterations: 5 });
  for (const engine of ["wasm", "ts"] as const) {
    bench.add(engine, () => {
      for (const c of adrsSuite) if (!solver.solve(c.problem, { engine, exact: true }).optimal) throw new Error(`${c.name} not proven`);
    });
  }
  await bench.run();
  const [w, t] = bench.tasks.map((task) => (task.result.state === "completed" ? task.result.latency.mean : NaN)) as [number, number];
  rows.unshift({ size: "50 ADRS cases", task: "solve and prove all 50 (exact: true)", wasm: w, ts: t });
}

console.log("| size | task | WASM | TS | TS / WASM |");
console.log("|---|---|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.size} | ${r.task} | ${fmt(r.wasm)} | ${fmt(r.ts)} | ${(r.ts / r.wasm).toFixed(2)}× |`);
