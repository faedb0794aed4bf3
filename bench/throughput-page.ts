// The Chromium half of npm run bench:throughput, as the page runs it: the loop
// of bench/throughput.ts, timed by tinybench in the page. A page cannot read
// its process's CPU time, so the clock is the wall clock (performance.now).
import { performanceNowTimestampProvider } from "tinybench";
import { createSolver, type SolveOptions } from "../dist/index.js";
import { interleaved } from "./interleave.js";
import { check, solveOrGiveUp, solvesPerSecond, type Workload } from "./repeated-solves.js";

const { solve } = await createSolver();

export type Measured = { solvesPerSecond: number; proven: number; atOptimum: number };

/** Solves per wall-clock second of a loop over the workload in one mode (median of `rounds` rounds of `roundMs`), with its check. */
export async function measure(w: Workload, options: SolveOptions, rounds: number, roundMs: number): Promise<Measured> {
  const { proven, atOptimum } = check(solve, w, options);
  const run = () => w.problems.forEach((p) => solveOrGiveUp(solve, p, options));
  const [ms] = await interleaved([{ name: "this", run }], rounds, roundMs, performanceNowTimestampProvider);
  return { solvesPerSecond: solvesPerSecond(w, ms!), proven, atOptimum };
}
