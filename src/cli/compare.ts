// The comparison table of `kvplace bench` and `npm start`: every algorithm on a suite with known optima.
import { evaluate } from "../report/evaluate.js";
import type { Solver } from "../solver.js";
import type { Problem } from "../types.js";
import type { BenchCase } from "./adrs-suite.js";
import { greedy, roundRobin } from "./baselines.js";
import { count } from "./render.js";

/** Timing runs per case and algorithm: one run of a 20-model case is too short to time alone. */
export const DEFAULT_REPEATS = 20;

export type ComparisonRow = {
  algorithm: string;
  meanMaxKvpr: number;
  /** Cases whose max KVPR equals the known optimum (relative tolerance 1e-9). */
  atOptimum: number;
  /**
   * Feasible placements below the suite's stated optimum: the file's optimum is
   * then not one. Counted apart, as neither a miss nor a hit of the optimum.
   */
  betterThanStated: number;
  /** Cases the algorithm itself claims optimal. */
  proved: number;
  infeasible: number;
  microsPerCase: number;
};

/** Relative difference within which a max KVPR is the optimum: the suite's figures are rounded doubles. */
const OPTIMUM_TOLERANCE = 1e-9;

export type Comparison = { cases: number; meanOptimum: number; rows: ComparisonRow[] };

type Algorithm = { algorithm: string; place: (p: Problem) => { assignment: number[]; optimal?: boolean } };

function algorithms(solver: Solver): Algorithm[] {
  return [
    { algorithm: "round-robin", place: (p) => ({ assignment: roundRobin(p) }) },
    { algorithm: "greedy", place: (p) => ({ assignment: greedy(p) }) },
    { algorithm: "kvplace heuristic (wasm)", place: (p) => solver.solve(p, { exact: false }) },
    { algorithm: "kvplace exact (wasm)", place: (p) => solver.solve(p, { exact: true }) },
    { algorithm: "kvplace exact (ts)", place: (p) => solver.solve(p, { exact: true, engine: "ts" }) },
  ];
}

/**
 * Quality comes from one run per case, checked by `evaluate` rather than taken
 * from the algorithm; time from `repeats` further runs of the whole suite.
 */
export function compareAlgorithms(suite: readonly BenchCase[], solver: Solver, repeats: number = DEFAULT_REPEATS): Comparison {
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a whole number >= 1, got ${repeats}`);
  const rows = algorithms(solver).map(({ algorithm, place }): ComparisonRow => {
    let sum = 0;
    let atOptimum = 0;
    let betterThanStated = 0;
    let proved = 0;
    let infeasible = 0;
    for (const c of suite) {
      const result = place(c.problem);
      const { maxKvpr, feasible } = evaluate(c.problem, result.assignment);
      if (!feasible) infeasible++;
      sum += maxKvpr;
      if (Math.abs(maxKvpr / c.optimum - 1) <= OPTIMUM_TOLERANCE) atOptimum++;
      else if (feasible && maxKvpr < c.optimum) betterThanStated++;
      if (result.optimal === true) proved++;
    }
    const start = performance.now();
    for (let r = 0; r < repeats; r++) for (const c of suite) place(c.problem);
    const microsPerCase = ((performance.now() - start) * 1000) / (repeats * suite.length);
    return { algorithm, meanMaxKvpr: sum / suite.length, atOptimum, betterThanStated, proved, infeasible, microsPerCase };
  });
  const meanOptimum = suite.reduce((a, c) => a + c.optimum, 0) / suite.length;
  return { cases: suite.length, meanOptimum, rows };
}

/** A summary line and a markdown table, so the output pastes into the README as it is. */
export function formatComparison({ cases, meanOptimum, rows }: Comparison): string {
  const lines = [
    // "stated": the suite file says so; kvplace can beat a file's figure (see betterThanStated).
    `${count(cases, "case")}; mean stated optimum ${meanOptimum.toFixed(7)}`,
    "",
    "| algorithm | mean max KVPR | at optimum | proved optimal | infeasible | µs per case |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows
      .map((r) => [r.algorithm, r.meanMaxKvpr.toFixed(7), atOptimumCell(r, cases), `${r.proved}`, `${r.infeasible}`, r.microsPerCase.toFixed(1)].join(" | "))
      .map((cells) => `| ${cells} |`),
  ];
  return `${lines.join("\n")}\n`;
}

/** "49/50", and beside it any cases that beat the suite's optimum, which the count of hits must not hide. */
function atOptimumCell({ atOptimum, betterThanStated }: ComparisonRow, cases: number): string {
  return betterThanStated === 0 ? `${atOptimum}/${cases}` : `${atOptimum}/${cases} (${betterThanStated} better than stated)`;
}
