import { lowerBounds } from "./lower-bounds.js";
import { createTsKernels } from "../engine/ts/index.js";
import { loadInstance } from "../engine/workspace.js";
import type { Problem } from "../types.js";
import { validateProblem } from "../input/validate.js";

const kernels = createTsKernels();

/** The best proven lower bound on the max KVPR of any placement of the problem. */
export function lowerBound(problem: Problem): number {
  const inst = validateProblem(problem);
  loadInstance(kernels.workspace(inst.n, inst.g, inst.k), inst);
  return lowerBounds(inst, kernels).best;
}
