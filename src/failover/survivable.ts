import type { Kernels } from "../engine/kernels.js";
import { PlacementError } from "../errors.js";
import type { Instance } from "../input/instance.js";
import type { ResolvedOptions } from "../input/validate.js";
import type { FailoverReport, Solution } from "../types.js";
import { failoverReport } from "./report.js";
import { failoverImpossible } from "./impossible.js";

/** A solve of the problem, within a time limit, every GPU keeping `spare` GB free of weights. */
export type SpareSolve = (spare: number, timeLimitMs: number) => Solution;

/** Solves in all, the first without spare: each has an eighth of the time (the first a quarter). */
const SPARE_SOLVES = 8;
/** The first spare tried when none did not survive: the most memory a single model needs, times this (a lost model fits any GPU). */
const FIRST_SPARE = 1;
/** How much a spare grows while it does not survive. */
const SPARE_GROWTH = 2;

/**
 * The placement of least max KVPR (with no failure) found among those that
 * survive every loss of the level, with the failover report of each loss.
 * First the problem as it is: when its answer survives, it is the answer
 * (and optimal if proven so, since the failover asks more). Otherwise every
 * GPU is made to keep spare memory free of weights, so that lost models find
 * room, and the spare is searched for the least that survives: grown from the
 * most memory one model needs while placements exist and do not survive, and
 * bisected between the largest spare that did not survive and the least that
 * did (or that left no placement) while the solves last. A spared placement is optimal only if it reaches a
 * lower bound of the problem itself.
 */
export function solveSurvivable(kernels: Kernels, inst: Instance, opts: ResolvedOptions, solveSpared: SpareSolve): Solution {
  const start = performance.now();
  const level = opts.failover as "gpu" | "node";
  const cap = opts.failoverKvpr;
  const share = opts.timeLimitMs / SPARE_SOLVES;
  const plain = solveSpared(0, 2 * share);
  const judge = (s: Solution) => failoverReport(kernels, inst, s.assignment, level, cap);
  let best: { solution: Solution; report: FailoverReport } | undefined;
  const offer = (s: Solution | undefined): boolean => {
    if (s === undefined) return false;
    const report = judge(s);
    if (!report.survives) return false;
    if (best === undefined || s.maxKvpr < best.solution.maxKvpr) best = { solution: s, report };
    return true;
  };
  if (!offer(plain)) {
    const why = failoverImpossible(inst, level);
    if (why !== undefined) throw new PlacementError("FAILOVER_INFEASIBLE", `no placement survives every ${level} loss: ${why}`);
    let most = 0;
    for (let i = 0; i < inst.n; i++) most = Math.max(most, (inst.size[i] as number) + (inst.floor[i] as number));
    const attempt = (spare: number): Solution | undefined => {
      try {
        return solveSpared(spare, share);
      } catch (e) {
        if (e instanceof PlacementError && e.code === "INFEASIBLE") return undefined;
        throw e;
      }
    };
    // The spare known too small (a placement that does not survive), the least known to survive, the least known to leave no placement.
    let low = 0;
    let survived = Infinity;
    let tooMuch = Infinity;
    let spare = most * FIRST_SPARE;
    for (let solves = 1; solves < SPARE_SOLVES; solves++) {
      const s = attempt(spare);
      if (offer(s)) survived = spare;
      else if (s === undefined) tooMuch = spare;
      else low = spare;
      const top = Math.min(survived, tooMuch);
      spare = top < Infinity ? 0.5 * (low + top) : spare * SPARE_GROWTH;
    }
  }
  if (best === undefined) {
    const cause = cap < Infinity ? ` within failoverKvpr ${cap}` : "";
    throw new PlacementError(
      "FAILOVER_INFEASIBLE",
      `no placement was found that survives every ${level} loss${cause} (${SPARE_SOLVES} solves with growing spare memory)`,
    );
  }
  const { solution, report } = best;
  // Every bound a solve gives is one of the problem without failover (spares only tighten placements), so of this one too.
  const lowerBound = Math.max(plain.lowerBound, solution.lowerBound);
  const optimal = solution === plain ? plain.optimal : solution.maxKvpr <= lowerBound;
  const gap = lowerBound > 0 ? solution.maxKvpr / lowerBound - 1 : solution.maxKvpr > 0 ? Infinity : 0;
  return {
    ...solution,
    lowerBound: optimal ? solution.maxKvpr : lowerBound,
    gap: optimal ? 0 : gap,
    optimal,
    failover: report.losses,
    stats: { ...solution.stats, ms: performance.now() - start },
  };
}
