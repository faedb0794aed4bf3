import { PlacementError } from "../errors.js";
import { tally } from "./tally.js";
import type { Evaluation, Problem } from "../types.js";
import { validateProblem } from "../input/validate.js";

/** Scores a given assignment (GPU index per model) of a problem, listing what makes it infeasible. */
export function evaluate(problem: Problem, assignment: readonly number[]): Evaluation {
  const inst = validateProblem(problem);
  if (!Array.isArray(assignment) || assignment.length !== inst.n) {
    throw new PlacementError("INVALID_ASSIGNMENT", `the assignment must list one GPU for each of the ${inst.n} models`);
  }
  // An index loop, not forEach: a hole in a sparse list is a model without a GPU.
  for (let i = 0; i < assignment.length; i++) {
    const j: unknown = assignment[i];
    if (!Number.isInteger(j) || (j as number) < 0 || (j as number) >= inst.g) {
      throw new PlacementError("INVALID_ASSIGNMENT", `model ${i} is assigned to GPU ${String(j)}, outside 0..${inst.g - 1}`, { model: i });
    }
  }
  const { gpus, maxKvpr, violations } = tally(inst, assignment);
  return { feasible: violations.length === 0, maxKvpr, gpus, violations };
}
