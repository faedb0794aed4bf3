import type { Kernels } from "../engine/kernels.js";
import { PlacementError } from "../errors.js";
import type { Instance } from "../input/instance.js";
import type { ResolvedOptions } from "../input/validate.js";
import type { FailoverReport, Solution } from "../types.js";
import { failoverReport } from "./report.js";
import { failoverImpossible } from "./impossible.js";
import { spareMemory, spareOrder } from "./spares.js";
import { Exhaustive } from "./exhaustive.js";
import { violations } from "../report/violations.js";
import { tally } from "../report/tally.js";
import { moveCostOf, planMoves } from "../report/moves.js";

/** A solve of the problem within a time limit, each GPU keeping `spare[j]` GB free of weights (none without). */
export type SpareSolve = (spare: Float64Array | undefined, timeLimitMs: number) => Solution;

/** Solves in all, the first without spares: each has an eighth of the time (the first a quarter). */
const SPARE_SOLVES = 8;
/**
 * Instances enumerated after the spares, for a better placement or a proof:
 * up to this many models and GPUs, within this many branches (about 0.1 s in
 * Node); past the budget, what was found still counts, but proves nothing.
 */
const EXHAUSTIVE_MODELS = 10;
const EXHAUSTIVE_GPUS = 8;
const EXHAUSTIVE_BRANCHES = 200_000;

/**
 * The placement of least max KVPR (with no failure) found among those that
 * survive every loss of the level, with the failover report of each loss.
 * First the problem as it is: when its answer survives, it is the answer
 * (and optimal if proven so, since the failover asks more). Otherwise some
 * GPUs are kept empty as hot spares (spread over nodes and zones, see
 * spareOrder): a loss displaces models that need room and, under
 * `failoverKvpr`, GPUs of low pressure, and a spare GPU of a loaded pool
 * gives both where spare memory spread thin gives neither. Their count is
 * doubled from one while placements exist and do not survive, then bisected
 * between the most that did not survive and the fewest that did (or that
 * left no placement), while the solves last. A spared placement is optimal
 * only if it reaches a lower bound of the problem itself.
 */
export function solveSurvivable(kernels: Kernels, inst: Instance, opts: ResolvedOptions, solveSpared: SpareSolve): Solution {
  const start = performance.now();
  const level = opts.failover as "gpu" | "node";
  const cap = opts.failoverKvpr;
  const share = opts.timeLimitMs / SPARE_SOLVES;
  const plain = solveSpared(undefined, 2 * share);
  let best: { solution: Solution; report: FailoverReport } | undefined;
  const offer = (s: Solution | undefined): boolean => {
    if (s === undefined) return false;
    // A report that stops at the first loss not survived: complete whenever the placement survives.
    const report = failoverReport(kernels, inst, s.assignment, level, cap, true);
    if (!report.survives) return false;
    if (best === undefined || s.maxKvpr < best.solution.maxKvpr) best = { solution: s, report };
    return true;
  };
  if (!offer(plain)) {
    const why = failoverImpossible(inst, level, cap);
    if (why !== undefined) throw new PlacementError("FAILOVER_INFEASIBLE", `no placement survives every ${level} loss: ${why}`);
    const order = spareOrder(inst);
    const attempt = (count: number): Solution | undefined => {
      try {
        return solveSpared(spareMemory(inst, order, count), share);
      } catch (e) {
        if (e instanceof PlacementError && e.code === "INFEASIBLE") return undefined;
        throw e;
      }
    };
    // The most spares known too few (placements that do not survive); the fewest known to survive or to leave no placement.
    let low = 0;
    let upper = Infinity;
    let count = 1;
    for (let solves = 1; solves < SPARE_SOLVES && count <= order.length; solves++) {
      const s = attempt(count);
      // More spares only raise the max KVPR with no failure: past the cap, they cannot help.
      if (offer(s) || s === undefined || s.maxKvpr > cap) upper = count;
      else low = count;
      const next = upper === Infinity ? Math.min(2 * count, order.length + (count === order.length ? 1 : 0)) : Math.floor((low + upper) / 2);
      if (next <= low || next >= upper) break;
      count = next;
    }
  }
  // On a small instance, enumeration finds what the spares missed, or proves there is nothing better.
  let proven = false;
  const settled = best?.solution === plain && plain.optimal;
  if (!settled && opts.exact !== false && inst.n <= EXHAUSTIVE_MODELS && inst.g <= EXHAUSTIVE_GPUS) {
    const found = new Exhaustive(inst, level, cap).bestSurvivable(best?.solution.maxKvpr ?? Infinity, { left: EXHAUSTIVE_BRANCHES });
    const candidate = found.assign === undefined ? undefined : solutionFor(inst, found.assign, plain);
    // Enumeration knows no move budget: its placement must keep them to count.
    const kept = candidate !== undefined && violations(inst, candidate.assignment, opts.maxMoves, opts.maxMoveCost).length === 0 && offer(candidate);
    proven = found.finished && (kept || found.assign === undefined);
    if (proven && best === undefined) {
      throw new PlacementError("FAILOVER_INFEASIBLE", `no placement survives every ${level} loss${capSaid(cap)}: enumeration of every placement finds none`);
    }
  }
  if (best === undefined) {
    const cause = capSaid(cap);
    throw new PlacementError(
      "FAILOVER_INFEASIBLE",
      `no placement was found that survives every ${level} loss${cause} (${SPARE_SOLVES} solves with hot spares)`,
    );
  }
  const { solution, report } = best;
  // Every bound a solve gives is one of the problem without failover (spares only tighten placements), so of this one too.
  const lowerBound = Math.max(plain.lowerBound, solution.lowerBound);
  const optimal = proven || (solution === plain ? plain.optimal : solution.maxKvpr <= lowerBound);
  const gap = lowerBound > 0 ? solution.maxKvpr / lowerBound - 1 : solution.maxKvpr > 0 ? Infinity : 0;
  return {
    ...solution,
    lowerBound: optimal ? solution.maxKvpr : lowerBound,
    gap: optimal ? 0 : gap,
    optimal,
    failover: report.losses,
    stats: { ...solution.stats, ms: performance.now() - start, proved: solution.stats.proved || proven },
  };
}

const capSaid = (cap: number) => (cap < Infinity ? ` within failoverKvpr ${cap}` : "");

/** A solution for an assignment found outside the solver's search: the figures recomputed, the rest as in `template`. */
function solutionFor(inst: Instance, assignment: ArrayLike<number>, template: Solution): Solution {
  const list = Array.from(assignment);
  const { gpus, maxKvpr, bottleneck, scenarios } = tally(inst, list);
  const rest: Solution = { ...template };
  delete rest.gainCheck;
  return { ...rest, assignment: list, maxKvpr, bottleneck, gpus, scenarios, moves: planMoves(inst, list), moveCost: moveCostOf(inst, list) };
}
