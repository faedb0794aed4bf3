import { lowerBound } from "../bounds/lower-bound.js";
import { PlacementError } from "../errors.js";
import { describeValue } from "../input/label.js";
import { readScenarios } from "../input/scenarios.js";
import { LIMITS } from "../input/validate.js";
import { MEM_EPS } from "../kvpr.js";
import type { Gpu, Model, Problem, Scenario, Solution, SolveOptions } from "../types.js";
import { checkTarget, freshModels, isShortage, unreachable } from "./shortage.js";

export type CapacityRequest = {
  models: readonly Model[];
  /** Demand scenarios, as in `Problem.scenarios`: the plan then meets the target in every one. */
  scenarios?: readonly Scenario[];
  /** The GPU to buy: a memory size, or a GPU (default 80 GB); a GPU's id names the pool's GPUs `id-0`, `id-1`, …. */
  gpuMemGB?: number;
  gpu?: Gpu;
  /** The max KVPR to stay at or below. */
  targetKvpr: number;
};

export type CapacityPlan = {
  /** The fewest GPUs found whose placement stays at or below the target. */
  gpus: number;
  /** No placement on fewer GPUs than this can meet the target (a proof, from lower bounds). */
  lowerBound: number;
  /** The placement on `gpus` GPUs. */
  solution: Solution;
};

/** Slack on the fluid test, so rounding in its sums never rules out a count that could meet the target. */
const FLUID_SLACK = 1e-9;

/**
 * Capacity planning: the lower bound is the least count whose lower bound on
 * the max KVPR meets the target (those bounds only fall as GPUs are added, so
 * a bisection finds it); the answer is found by solving upward from there,
 * doubling the step until a placement meets the target, then bisecting back.
 * Counts are tried only where the solver accepts the instance: up to one GPU
 * per model but no more than LIMITS.gpus, and no fewer than LIMITS allows for
 * the number of models (below that, only the fluid bound is checked).
 */
export function planCapacityWith(solve: (p: Problem, o?: SolveOptions) => Solution, request: CapacityRequest, options?: SolveOptions): CapacityPlan {
  if (typeof request !== "object" || request === null) throw new PlacementError("INVALID_PROBLEM", "the request must be an object { models, targetKvpr }");
  const { models } = request;
  if (!Array.isArray(models)) throw new PlacementError("INVALID_PROBLEM", `models must be a list, got ${describeValue(models)}`);
  const targetKvpr = checkTarget(request.targetKvpr);
  const gpu: unknown = request.gpu;
  if (gpu !== undefined && (typeof gpu !== "object" || gpu === null))
    throw new PlacementError("INVALID_GPU", `gpu must be an object { id?, memGB }, got ${describeValue(gpu)}`);
  const memGB = request.gpu?.memGB ?? request.gpuMemGB ?? 80;
  const id = request.gpu?.id;
  // A new pool: where models run now does not matter, and a pin to GPU p needs p + 1 GPUs.
  const fresh = freshModels(models);
  // null, as JSON sends an absent field, is no scenarios, as in a problem.
  const scenarios = request.scenarios ?? undefined;
  const pool = (gpus: number): Problem =>
    id === undefined
      ? { gpus, gpuMemGB: memGB, models: fresh }
      : { gpus: Array.from({ length: gpus }, (_, j) => ({ id: `${id}-${j}`, memGB })), models: fresh };
  const problem = (gpus: number): Problem => (scenarios === undefined ? pool(gpus) : { ...pool(gpus), scenarios });
  const pinned = Math.max(1, ...fresh.map((m) => (Number.isInteger(m?.pinnedGpu) ? (m.pinnedGpu as number) + 1 : 1)));
  const accepted = Math.max(1, Math.ceil((fresh.length * fresh.length) / LIMITS.modelsSquaredPerGpu));
  const fewest = Math.max(pinned, accepted);
  const maxGpus = Math.max(fewest, Math.min(fresh.length, LIMITS.gpus));
  const bounded = (gpus: number) => {
    try {
      return lowerBound(problem(gpus)) <= targetKvpr;
    } catch (e) {
      if (isShortage(e)) return false;
      throw e;
    }
  };
  // The bound validates the models and scenarios (or throws): their demands can be read after it.
  const reached = bounded(maxGpus);
  const slos = Float64Array.from(fresh, (m) => m.slo);
  const demands =
    scenarios === undefined
      ? [Float64Array.from(fresh, (m) => (m.reqRate as number) / m.slo)]
      : readScenarios(
          scenarios,
          slos,
          fresh.map((m) => m.id),
          maxGpus,
        ).demands;
  if (!reached) throw unreachable(fresh, demands, memGB, targetKvpr);
  // Below the counts the solver accepts, only all demand (of the busiest scenario) over all memory left can rule a count out.
  let size = 0;
  for (const m of fresh) size += m.sizeGB;
  let demand = 0;
  for (const scenario of demands)
    demand = Math.max(
      demand,
      scenario.reduce((sum, d) => sum + d, 0),
    );
  const fluid = (gpus: number) => demand <= targetKvpr * (gpus * (memGB + MEM_EPS) - size) * (1 + FLUID_SLACK);
  const reachable = (gpus: number) => (gpus < accepted ? fluid(gpus) : bounded(gpus));
  let lo = pinned;
  let hi = maxGpus;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (reachable(mid)) hi = mid;
    else lo = mid + 1;
  }
  const bound = lo;
  const meets = (gpus: number): Solution | undefined => {
    try {
      const sol = solve(problem(gpus), options);
      return sol.maxKvpr <= targetKvpr ? sol : undefined;
    } catch (e) {
      if (isShortage(e)) return undefined;
      throw e;
    }
  };
  let count = Math.max(bound, accepted);
  let fail = count - 1;
  let step = 1;
  let found = meets(count);
  while (found === undefined && count < maxGpus) {
    fail = count;
    count = Math.min(maxGpus, count + step);
    step *= 2;
    found = meets(count);
  }
  if (found === undefined) throw new PlacementError("TARGET_UNREACHABLE", `no placement on up to ${maxGpus} GPUs meets ${targetKvpr}`);
  while (count - fail > 1) {
    const mid = (fail + count) >> 1;
    const sol = meets(mid);
    if (sol === undefined) fail = mid;
    else [count, found] = [mid, sol];
  }
  return { gpus: count, lowerBound: bound, solution: found };
}
