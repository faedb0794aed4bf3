// npm run bench:throughput: solves per second when solves repeat (a control
// plane re-planning, a what-if sweep), by engine and mode, on the 50 ADRS cases
// and on a generated family of each shape. With KVPLACE_BASELINE naming another
// build's dist folder (or its package root), that build runs in the same
// process, interleaved round by round with this one, and the ratio is printed.
import { existsSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createSolver, PlacementError, type Problem, type Solution, type SolveOptions } from "../dist/index.js";
import { loadSuite } from "./adrs50.js";
import { FAMILIES } from "./generate.js";
import { interleaved } from "./interleave.js";

/** Rounds per task: each round is one short tinybench run per build, alternating which goes first (bench/interleave.ts). */
const ROUNDS = Number(process.env["KVPLACE_ROUNDS"] ?? 7);
/** CPU milliseconds per task and round. */
const ROUND_MS = Number(process.env["KVPLACE_ROUND_MS"] ?? 150);
/** Instances per generated family (feasible ones: the generators make a few that are not). */
const PER_FAMILY = 20;
/**
 * Time limit on the generated families: some "many small" instances are never
 * proven, and the default 1 s each would make the loop a test of the clock.
 */
const FAMILY_TIME_LIMIT_MS = 20;

type Solve = (problem: Problem, options?: SolveOptions) => Solution;
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

type Mode = { label: string; options: SolveOptions };
const MODES: Mode[] = [
  { label: "wasm, exact: auto", options: { engine: "wasm" } },
  { label: "ts, exact: auto", options: { engine: "ts" } },
  { label: "wasm, exact: false", options: { engine: "wasm", exact: false } },
  { label: "ts, exact: false", options: { engine: "ts", exact: false } },
];

type Workload = { label: string; problems: Problem[]; optima?: number[]; timeLimitMs?: number };
const adrs = loadSuite(new URL("../bench/data/adrs50.json", import.meta.url));
const workloads: Workload[] = [
  { label: "50 ADRS cases", problems: adrs.map((c) => c.problem), optima: adrs.map((c) => c.optimum) },
  ...Object.entries(FAMILIES).map(([family, generate]) => ({
    label: `${family} ×${PER_FAMILY}`,
    problems: feasible(generate),
    timeLimitMs: FAMILY_TIME_LIMIT_MS,
  })),
];

/** The first PER_FAMILY instances of a generator that have a placement. */
function feasible(generate: (seed: number) => Problem): Problem[] {
  const problems: Problem[] = [];
  for (let seed = 1; problems.length < PER_FAMILY; seed++) {
    const problem = generate(seed);
    try {
      builds[0]!.solve(problem, { exact: false, timeLimitMs: FAMILY_TIME_LIMIT_MS });
      problems.push(problem);
    } catch (e) {
      if (!(e instanceof PlacementError) || e.code !== "INFEASIBLE") throw e;
    }
  }
  return problems;
}

/** How many answers are proven optimal and how many reach the stated optimum (relative 1e-9), checked before timing. */
function check(solve: Solve, w: Workload, options: SolveOptions): { proven: number; atOptimum: number } {
  let proven = 0;
  let atOptimum = 0;
  w.problems.forEach((p, i) => {
    let sol: Solution;
    try {
      sol = solve(p, options);
    } catch (e) {
      if ((e as { code?: unknown }).code !== "INFEASIBLE") throw e;
      return;
    }
    if (sol.optimal) proven++;
    const optimum = w.optima?.[i];
    if (optimum !== undefined && Math.abs(sol.maxKvpr - optimum) <= 1e-9 * optimum) atOptimum++;
  });
  return { proven, atOptimum };
}

/**
 * One solve of the timed loop. Under a time limit on a loaded machine a solve
 * may end without a placement (INFEASIBLE: none found in time); that is a
 * solve too, as a control plane would see it.
 */
function solveOrGiveUp(solve: Solve, problem: Problem, options: SolveOptions): void {
  try {
    solve(problem, options);
  } catch (e) {
    // By code, not class: the baseline build throws its own PlacementError.
    if ((e as { code?: unknown }).code !== "INFEASIBLE") throw e;
  }
}

/** Solves per (CPU) second of each build on a workload in one mode: median over interleaved rounds. */
async function throughput(w: Workload, options: SolveOptions): Promise<number[]> {
  const contenders = builds.map((b) => ({ name: b.name, run: () => w.problems.forEach((p) => solveOrGiveUp(b.solve, p, options)) }));
  const ms = await interleaved(contenders, ROUNDS, ROUND_MS);
  return ms.map((perRun) => w.problems.length / (perRun / 1000));
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const baseline = builds.length > 1;
console.log(`${new Date().toISOString().slice(0, 10)} · Node ${process.versions.node} · ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}`);
console.log(`process CPU time, median of ${ROUNDS} rounds of ${ROUND_MS} ms per task${baseline ? `, interleaved with the baseline ${baselineDir}` : ""}`);
console.log(`default options; the generated families with timeLimitMs: ${FAMILY_TIME_LIMIT_MS}\n`);
console.log(`| workload | engine, mode | solves/s | proven | at optimum |${baseline ? " baseline solves/s | × baseline |" : ""} WASM / TS |`);
console.log(`|---|---|---:|---:|---:|${baseline ? "---:|---:|" : ""}---:|`);
for (const w of workloads) {
  const rate = new Map<string, number>();
  for (const mode of MODES) {
    const options: SolveOptions = w.timeLimitMs === undefined ? mode.options : { ...mode.options, timeLimitMs: w.timeLimitMs };
    const { proven, atOptimum } = check(builds[0]!.solve, w, options);
    const [mine, theirs] = await throughput(w, options);
    rate.set(mode.label, mine!);
    const engine = mode.options.engine;
    const twin = MODES.find((m) => m.options.exact === mode.options.exact && m.options.engine !== engine)!;
    const ratio = engine === "ts" ? `${(rate.get(twin.label)! / mine!).toFixed(2)}×` : "";
    const optimum = w.optima === undefined ? "–" : `${atOptimum}/${w.problems.length}`;
    const vs = baseline ? ` ${fmt(theirs!)} | ${(mine! / theirs!).toFixed(2)}× |` : "";
    console.log(`| ${w.label} | ${mode.label} | ${fmt(mine!)} | ${proven}/${w.problems.length} | ${optimum} |${vs} ${ratio} |`);
  }
}
