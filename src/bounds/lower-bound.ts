import { boundsExceed, lowerBounds } from "./lower-bounds.js";
import { createTsKernels } from "../engine/ts/index.js";
import { loadInstance } from "../engine/workspace.js";
import type { Instance } from "../input/instance.js";
import type { Problem } from "../types.js";
import { validateProblem } from "../input/validate.js";

const kernels = createTsKernels();

/** The best proven lower bound on the max KVPR of any placement of the problem. */
export function lowerBound(problem: Problem): number {
  return lowerBounds(loaded(problem), kernels).best;
}

/**
 * Whether the bounds prove that no placement of the problem keeps every KVPR at
 * or below `target`. A problem the validation rejects throws as in `lowerBound`.
 */
export function boundsProveAbove(problem: Problem, target: number): boolean {
  return boundsExceed(loaded(problem), kernels, target);
}

function loaded(problem: Problem): Instance {
  const inst = validateProblem(problem);
  loadInstance(kernels.workspace(inst.n, inst.g, inst.k, inst.m), inst);
  return inst;
}
