// The Chromium half of npm run bench:throughput, as the page runs it: the loop
// of bench/throughput.ts, timed by tinybench in the page. A page cannot read
// its process's CPU time, so the clock is the wall clock (performance.now), and
// the modes compared run in alternation, round by round, so that a busy moment
// on the machine falls on both rather than on one.
import { performanceNowTimestampProvider } from "tinybench";
import { createSolver, type SolveOptions } from "../dist/index.js";
import { interleaved } from "./interleave.js";
import { check, solveOrGiveUp, solvesPerSecond, type Workload } from "./repeated-solves.js";

const { solve } = await createSolver();

export type Measured = { solvesPerSecond: number; proven: number; atOptimum: number };

/** Solves per wall-clock second of a loop over the workload in each mode (median of `rounds` interleaved rounds of `roundMs`), with its check. */
export async function measure(w: Workload, modes: readonly SolveOptions[], rounds: number, roundMs: number): Promise<Measured[]> {
  const checks = modes.map((options) => check(solve, w, options));
  const contenders = modes.map((options, k) => ({ name: String(k), run: () => w.problems.forEach((p) => solveOrGiveUp(solve, p, options)) }));
  const ms = await interleaved(contenders, rounds, roundMs, performanceNowTimestampProvider);
  return ms.map((perRun, k) => ({ solvesPerSecond: solvesPerSecond(w, perRun), ...checks[k]! }));
}
