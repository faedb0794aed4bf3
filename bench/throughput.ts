// npm run bench:throughput: solves per second when solves repeat (a control
// plane re-planning, a what-if sweep), by engine and mode, on the 50 ADRS cases
// and on a generated family of each shape. With KVPLACE_BASELINE naming another
// build's dist folder (or its package root), that build runs in the same
// process, interleaved round by round with this one, and the ratio is printed.
// Then where a solve's time goes on each engine (bench/engine-time.ts).
// bench/throughput-chromium.ts measures the same in headless Chromium.
import { existsSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createSolver, type SolveOptions } from "../dist/index.js";
import { loadSuite } from "./adrs50.js";
import { type CpuProfile, printSplit, SAMPLING_US, splitByEngine, splitWorkloads, wasmFunctionNames } from "./engine-time.js";
import { cpuTime, interleaved } from "./interleave.js";
import { ROUND_MS, ROUNDS } from "./rounds.js";
import {
  check,
  FAMILY_TIME_LIMIT_MS,
  formatRate as fmt,
  MODES,
  optionsFor,
  type Solve,
  solveFor,
  solveOrGiveUp,
  solvesPerSecond,
  twinOf,
  type Workload,
  workloads,
} from "./repeated-solves.js";

type Build = { name: string; solve: Solve };

const builds: Build[] = [{ name: "this", solve: (await createSolver()).solve }];
const baselineDir = process.env["KVPLACE_BASELINE"];
if (baselineDir !== undefined && baselineDir !== "") {
  const dir = resolve(baselineDir);
  const entry = [join(dir, "index.js"), join(dir, "dist", "index.js")].find((p) => existsSync(p));
  if (entry === undefined) throw new Error(`KVPLACE_BASELINE=${baselineDir}: neither index.js nor dist/index.js is there`);
  const baseline = (await import(pathToFileURL(entry).href)) as { createSolver: typeof createSolver };
  builds.push({ name: "baseline", solve: (await baseline.createSolver()).solve });
}

const suite = workloads(loadSuite(new URL("../bench/data/adrs50.json", import.meta.url)), builds[0]!.solve);

/** Solves per (CPU) second of each build on a workload in one mode: median over interleaved rounds. */
async function throughput(w: Workload, options: SolveOptions): Promise<number[]> {
  const contenders = builds.map((b) => ({ name: b.name, run: () => w.problems.forEach((p) => solveOrGiveUp(b.solve, p, options)) }));
  const ms = await interleaved(contenders, ROUNDS, ROUND_MS);
  return ms.map((perRun) => solvesPerSecond(w, perRun));
}

const baseline = builds.length > 1;
console.log(`${new Date().toISOString().slice(0, 10)} · Node ${process.versions.node} · ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}`);
console.log(`process CPU time, median of ${ROUNDS} rounds of ${ROUND_MS} ms per task${baseline ? `, interleaved with the baseline ${baselineDir}` : ""}`);
console.log(`default options; the generated families with timeLimitMs: ${FAMILY_TIME_LIMIT_MS}\n`);
console.log(`| workload | engine, mode | solves/s | proven | at optimum |${baseline ? " baseline solves/s | × baseline |" : ""} WASM / TS |`);
console.log(`|---|---|---:|---:|---:|${baseline ? "---:|---:|" : ""}---:|`);
for (const w of suite) {
  const rate = new Map<string, number>();
  for (const mode of MODES) {
    const options = optionsFor(w, mode);
    const { proven, atOptimum } = check(builds[0]!.solve, w, options);
    const [mine, theirs] = await throughput(w, options);
    rate.set(mode.label, mine!);
    const engine = mode.options.engine;
    const ratio = engine === "ts" ? `${(rate.get(twinOf(mode).label)! / mine!).toFixed(2)}×` : "";
    const optimum = w.optima === undefined ? "–" : `${atOptimum}/${w.problems.length}`;
    const vs = baseline ? ` ${fmt(theirs!)} | ${(mine! / theirs!).toFixed(2)}× |` : "";
    console.log(`| ${w.label} | ${mode.label} | ${fmt(mine!)} | ${proven}/${w.problems.length} | ${optimum} |${vs} ${ratio} |`);
  }
}

// Where the time goes on each engine, in this process's CPU time.
const wasmNames = wasmFunctionNames(new URL("../build/kvplace.wat", import.meta.url));
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: SAMPLING_US });
const { solve } = builds[0]!;
const cpuMs = () => cpuTime.fn() as number;

console.log(
  `\nWhere a solve's time goes: shares from V8's sampling profiler (every ${SAMPLING_US} µs), times from the same loop unprofiled; ${ROUNDS} rounds of ${ROUND_MS} ms CPU time each per engine, in alternation, after one to warm up`,
);
for (const { label, problems, options } of splitWorkloads(suite[0]!.problems)) {
  const byEngine = await splitByEngine(
    ROUNDS,
    wasmNames,
    options,
    async (o) => solveFor(solve, problems, o, ROUND_MS, cpuMs),
    async (work) => {
      await session.post("Profiler.start");
      await work();
      return (await session.post("Profiler.stop")).profile as CpuProfile;
    },
  );
  printSplit(label, byEngine.wasm, byEngine.ts);
}
session.disconnect();
