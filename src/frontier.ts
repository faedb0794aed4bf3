import { lowerBounds } from "./bounds/lower-bounds.js";
import type { Kernels } from "./engine/kernels.js";
import { loadInstance } from "./engine/workspace.js";
import { PlacementError } from "./errors.js";
import { describeValue } from "./input/label.js";
import { validateProblem } from "./input/validate.js";
import { forcedMoves } from "./search/forced-moves.js";
import { searchRounds, solveWith, type SolveHints } from "./solve.js";
import type { FrontierOptions, FrontierPoint, MoveFrontier, Problem, Solution, SolveOptions } from "./types.js";

/**
 * Model × (model + GPU) × scenario visits the iterated local search may spend per point.
 * Below it a point runs a solve's whole search; above it (fleets of a few
 * hundred models) the point starts from the previous one and kicks it for
 * the rounds this allows, at least one.
 */
const POINT_ROUND_WORK = 1e5;
/** Default cost budgets: this many equal steps from the forced cost to the unbudgeted answer's. */
const COST_STEPS = 16;
/** A point whose max KVPR is within this relative distance of its lower bound is proven optimal (as in a solve). */
const PROVEN = 1e-12;

/**
 * The best max KVPR within each of a series of move budgets (or move-cost
 * budgets), from the tightest up. Each point is a solve at its budget that is
 * offered the previous point's placement too, within the larger budget, so
 * the frontier never rises. Where the work allows, a point is the whole
 * search of a solve at its budget with that placement offered after it, so
 * it is never worse than that solve; on large fleets the point's search
 * starts from the previous point instead, with fewer rounds: this is what
 * keeps 33 points within a few cold solves (README, "Move frontier").
 * Default budgets run up to the moves of the answer without the budget,
 * which is solved first and offered at every point, so the last point
 * reaches it; given budgets skip that solve (it costs as much as a cold one).
 */
export function moveFrontierWith(kernels: Kernels, problem: Problem, options: FrontierOptions = {}): MoveFrontier {
  const start = performance.now();
  const { by = "moves", budgets: asked, ...rest } = options as FrontierOptions & Record<string, unknown>;
  if (by !== "moves" && by !== "cost") throw new PlacementError("INVALID_OPTIONS", `by must be "moves" or "cost", got ${describeValue(by)}`);
  const swept = by === "moves" ? "maxMoves" : "maxMoveCost";
  if (rest[swept] !== undefined) throw new PlacementError("INVALID_OPTIONS", `${swept} is what a frontier by ${by} sweeps; give budgets instead`);
  if (rest["minGain"] !== undefined)
    throw new PlacementError("INVALID_OPTIONS", "minGain does not apply to a frontier: every point is the best found within its budget");
  const solveOptions = rest as SolveOptions;
  const inst = validateProblem(problem);
  const ws = kernels.workspace(inst.n, inst.g, inst.k, inst.m);
  loadInstance(ws, inst);
  const bounds = lowerBounds(inst, kernels);

  const free = asked === undefined ? solveWith(kernels, problem, solveOptions, { bounds }) : undefined;
  const budgets = free === undefined ? checkBudgets(asked, by) : defaultBudgets(by, forcedMoves(inst), free);
  const affordable = Math.floor(POINT_ROUND_WORK / Math.max(1, inst.n * (inst.n + inst.g) * inst.k));
  const whole = affordable >= searchRounds(inst.n, inst.g, inst.k);
  const points: FrontierPoint[] = [];
  let previous: FrontierPoint | undefined;
  for (const budget of budgets) {
    const seeds = [previous?.assignment, free?.assignment].filter((a) => a !== undefined);
    const hints: SolveHints = whole ? { bounds, finishes: seeds } : { bounds, starts: seeds, rounds: Math.max(1, affordable) };
    const sol = solveWith(kernels, problem, { ...solveOptions, [swept]: budget }, hints);
    // Sums in another order may differ in the last bit: the previous point is within this budget too. Its proof
    // was for a smaller budget; what holds at this one is the solve's bound and proof.
    const point: FrontierPoint =
      previous !== undefined && previous.maxKvpr < sol.maxKvpr
        ? { ...previous, budget, optimal: sol.optimal, lowerBound: Math.min(sol.lowerBound, previous.maxKvpr) }
        : pointOf(budget, sol);
    points.push(point);
    previous = point;
  }
  tightenBounds(points);
  return {
    by,
    points,
    ...(free === undefined ? {} : { unbudgeted: { maxKvpr: free.maxKvpr, moves: free.moves.length, moveCost: free.moveCost } }),
    stats: { engine: kernels.engine, ms: performance.now() - start },
  };
}

function pointOf(budget: number, sol: Solution): FrontierPoint {
  const { maxKvpr, lowerBound, gap, optimal, assignment, moves, moveCost } = sol;
  return { budget, maxKvpr, lowerBound, gap, optimal, assignment, moves, moveCost };
}

function defaultBudgets(by: "moves" | "cost", forced: { count: number; cost: number }, free: Solution): number[] {
  if (by === "moves") {
    const list: number[] = [];
    for (let k = forced.count; k <= Math.max(forced.count, free.moves.length); k++) list.push(k);
    return list;
  }
  const top = Math.max(forced.cost, free.moveCost);
  if (top === forced.cost) return [top];
  return Array.from({ length: COST_STEPS + 1 }, (_, k) => forced.cost + ((top - forced.cost) * k) / COST_STEPS);
}

/** The budgets given, ascending without repeats; moves must be whole. */
function checkBudgets(budgets: unknown, by: "moves" | "cost"): number[] {
  if (!Array.isArray(budgets) || budgets.length === 0) {
    throw new PlacementError("INVALID_OPTIONS", `budgets must be a non-empty list of numbers, got ${describeValue(budgets)}`);
  }
  for (const b of budgets) {
    const ok = typeof b === "number" && b >= 0 && (by === "cost" ? Number.isFinite(b) : Number.isInteger(b));
    if (!ok)
      throw new PlacementError("INVALID_OPTIONS", `every budget must be a ${by === "moves" ? "whole number" : "finite number"} >= 0, got ${describeValue(b)}`);
  }
  return [...new Set(budgets)].sort((a, b) => a - b);
}

/**
 * A tighter budget can only do worse, so a larger budget's lower bound holds
 * for every smaller one: each point takes the best bound of the points after
 * it, and a point that meets its bound is proven optimal.
 */
function tightenBounds(points: FrontierPoint[]): void {
  let bound = 0;
  for (let k = points.length - 1; k >= 0; k--) {
    const p = points[k] as FrontierPoint;
    bound = Math.max(bound, p.optimal ? p.maxKvpr : p.lowerBound);
    p.lowerBound = Math.min(bound, p.maxKvpr);
    p.optimal = p.optimal || p.maxKvpr <= p.lowerBound * (1 + PROVEN);
    p.gap = p.lowerBound > 0 ? p.maxKvpr / p.lowerBound - 1 : p.maxKvpr > 0 ? Infinity : 0;
  }
}
