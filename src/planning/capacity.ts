import { lowerBound } from "../bounds/lower-bound.js";
import { PlacementError } from "../errors.js";
import type { Gpu, Model, Problem, Solution, SolveOptions } from "../types.js";
import { checkTarget, freshModels, isShortage, unreachable } from "./shortage.js";

export type CapacityRequest = {
  models: Model[];
  /** The GPU to buy: a memory size, or a GPU (default 80 GB). */
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

/**
 * Capacity planning: the lower bound is the least count whose lower bound on
 * the max KVPR meets the target (those bounds only fall as GPUs are added, so
 * a bisection finds it); the answer is found by solving upward from there,
 * doubling the step until a placement meets the target, then bisecting back.
 */
export function planCapacityWith(solve: (p: Problem, o?: SolveOptions) => Solution, request: CapacityRequest, options?: SolveOptions): CapacityPlan {
  const { models } = request;
  const targetKvpr = checkTarget(request.targetKvpr);
  const memGB = request.gpu?.memGB ?? request.gpuMemGB ?? 80;
  // A new pool: where models run now does not matter, and a pin to GPU p needs p + 1 GPUs.
  const fresh = freshModels(models);
  const problem = (gpus: number): Problem => ({ gpus, gpuMemGB: memGB, models: fresh });
  const fewest = Math.max(1, ...models.map((m) => (Number.isInteger(m.pinnedGpu) ? (m.pinnedGpu as number) + 1 : 1)));
  const maxGpus = Math.max(fewest, models.length);
  const reachable = (gpus: number) => {
    try {
      return lowerBound(problem(gpus)) <= targetKvpr;
    } catch (e) {
      if (isShortage(e)) return false;
      throw e;
    }
  };
  if (!reachable(maxGpus)) throw unreachable(fresh, memGB, targetKvpr);
  let lo = fewest;
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
  let fail = bound - 1;
  let step = 1;
  let count = bound;
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
