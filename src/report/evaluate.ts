import { PlacementError } from "../errors.js";
import { tally } from "./tally.js";
import { violations } from "./violations.js";
import type { Evaluation, Problem, SolveOptions } from "../types.js";
import { describeValue, modelLabel } from "../input/label.js";
import { validateOptions, validateProblem } from "../input/validate.js";

/**
 * Scores a given assignment (GPU index per model) of a problem, listing every
 * constraint it breaks: memory, pins, spread groups, and the migration budget
 * when the options (those of a solve: only `maxMoves` and `maxMoveCost` matter here) give one.
 * With `problem.scenarios`, `maxKvpr` is the worst over them and `scenarios` has each one's figures.
 */
export function evaluate(problem: Problem, assignment: readonly number[], options?: SolveOptions): Evaluation {
  const { maxMoves, maxMoveCost } = validateOptions(options);
  const inst = validateProblem(problem);
  if (!Array.isArray(assignment) || assignment.length !== inst.n) {
    throw new PlacementError("INVALID_ASSIGNMENT", `the assignment must list one GPU for each of the ${inst.n} models`);
  }
  // An index loop, not forEach: a hole in a sparse list is a model without a GPU.
  for (let i = 0; i < assignment.length; i++) {
    const j: unknown = assignment[i];
    if (!Number.isInteger(j) || (j as number) < 0 || (j as number) >= inst.g) {
      throw new PlacementError("INVALID_ASSIGNMENT", `${modelLabel(i, inst.modelIds[i])} is assigned to GPU ${describeValue(j)}, outside 0..${inst.g - 1}`, {
        model: i,
      });
    }
  }
  const { gpus, maxKvpr, scenarios } = tally(inst, assignment);
  const broken = violations(inst, assignment, maxMoves, maxMoveCost);
  return { feasible: broken.length === 0, maxKvpr, gpus, scenarios, violations: broken };
}
