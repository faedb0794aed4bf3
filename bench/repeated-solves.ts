// The workloads and modes of npm run bench:throughput, shared by its Node half
// (bench/throughput.ts) and its Chromium half (bench/throughput-chromium.ts,
// timing in the page with bench/throughput-page.ts): no node: modules, so that
// the page loads this file as it is.
import type { BenchCase } from "../dist/cli/adrs-suite.js";
import { PlacementError, type Problem, type Solution, type SolveOptions } from "../dist/index.js";
import { FAMILIES } from "./generate.js";

export type Solve = (problem: Problem, options?: SolveOptions) => Solution;

/** Instances per generated family (feasible ones: the generators make a few that are not). */
export const PER_FAMILY = 20;
/**
 * Time limit on the generated families: some "many small" instances are never
 * proven, and the default 1 s each would make the loop a test of the clock.
 */
export const FAMILY_TIME_LIMIT_MS = 20;

export type Mode = { label: string; options: SolveOptions };
export const MODES: Mode[] = [
  { label: "wasm, exact: auto", options: { engine: "wasm" } },
  { label: "ts, exact: auto", options: { engine: "ts" } },
  { label: "wasm, exact: false", options: { engine: "wasm", exact: false } },
  { label: "ts, exact: false", options: { engine: "ts", exact: false } },
];

/** The same mode on the other engine: the row a TS row's WASM / TS ratio is taken against. */
export function twinOf(mode: Mode): Mode {
  return MODES.find((m) => m.options.exact === mode.options.exact && m.options.engine !== mode.options.engine)!;
}

export type Workload = { label: string; problems: Problem[]; optima?: number[]; timeLimitMs?: number };

/** The ADRS cases with their optima, then PER_FAMILY feasible instances of each generated family (found with `solve`). */
export function workloads(adrs: readonly BenchCase[], solve: Solve): Workload[] {
  return [
    { label: "50 ADRS cases", problems: adrs.map((c) => c.problem), optima: adrs.map((c) => c.optimum) },
    ...Object.entries(FAMILIES).map(([family, generate]) => ({
      label: `${family} ×${PER_FAMILY}`,
      problems: feasible(generate, solve),
      timeLimitMs: FAMILY_TIME_LIMIT_MS,
    })),
  ];
}

/** The first PER_FAMILY instances of a generator that have a placement. */
function feasible(generate: (seed: number) => Problem, solve: Solve): Problem[] {
  const problems: Problem[] = [];
  for (let seed = 1; problems.length < PER_FAMILY; seed++) {
    const problem = generate(seed);
    try {
      solve(problem, { exact: false, timeLimitMs: FAMILY_TIME_LIMIT_MS });
      problems.push(problem);
    } catch (e) {
      if (!(e instanceof PlacementError) || e.code !== "INFEASIBLE") throw e;
    }
  }
  return problems;
}

/** A mode's options on a workload: its time limit, if it has one, added. */
export function optionsFor(w: Workload, mode: Mode): SolveOptions {
  return w.timeLimitMs === undefined ? mode.options : { ...mode.options, timeLimitMs: w.timeLimitMs };
}

/** How many answers are proven optimal and how many reach the stated optimum (relative 1e-9), checked before timing. */
export function check(solve: Solve, w: Workload, options: SolveOptions): { proven: number; atOptimum: number } {
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
export function solveOrGiveUp(solve: Solve, problem: Problem, options: SolveOptions): void {
  try {
    solve(problem, options);
  } catch (e) {
    // By code, not class: the baseline build throws its own PlacementError.
    if ((e as { code?: unknown }).code !== "INFEASIBLE") throw e;
  }
}

/** Solves per second of a loop over a workload that took `msPerRun` per pass. */
export const solvesPerSecond = (w: Workload, msPerRun: number) => w.problems.length / (msPerRun / 1000);

/** A rate as the tables print it. */
export const formatRate = (x: number) => Math.round(x).toLocaleString("en-US");

/** Solves `problems` in turn with `options` for at least `ms` on `clock` (milliseconds): how many solves, in how many ms. */
export function solveFor(solve: Solve, problems: readonly Problem[], options: SolveOptions, ms: number, clock: () => number): [number, number] {
  const start = clock();
  let solves = 0;
  while (clock() - start < ms) {
    for (const p of problems) solve(p, options);
    solves += problems.length;
  }
  return [solves, clock() - start];
}
