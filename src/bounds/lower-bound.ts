import { boundsExceed, lowerBounds } from "./lower-bounds.js";
import { syncKernels } from "../engine/ts/sync.js";
import { loadInstance } from "../engine/workspace.js";
import type { Instance } from "../input/instance.js";
import type { Problem } from "../types.js";
import { validateProblem } from "../input/validate.js";

/** The best proven lower bound on the max KVPR of any placement of the problem. */
export function lowerBound(problem: Problem): number {
  return lowerBounds(loaded(problem), syncKernels()).best;
}

/**
 * Whether the bounds prove that no placement of the problem keeps every KVPR at
 * or below `target`. A problem the validation rejects throws as in `lowerBound`.
 */
export function boundsProveAbove(problem: Problem, target: number): boolean {
  return boundsExceed(loaded(problem), syncKernels(), target);
}

function loaded(problem: Problem): Instance {
  const inst = validateProblem(problem);
  loadInstance(syncKernels().workspace(inst.n, inst.g, inst.k, inst.m), inst);
  return inst;
}
