import { PlacementError } from "../errors.js";
import { tally } from "./tally.js";
import { violations } from "./violations.js";
import type { Evaluation, FailoverReport, Problem, SolveOptions } from "../types.js";
import { syncKernels } from "../engine/ts/sync.js";
import type { Instance } from "../input/instance.js";
import { failoverReport } from "../failover/report.js";
import { describeValue, modelLabel } from "../input/label.js";
import { validateOptions, validateProblem } from "../input/validate.js";

/**
 * Scores a given assignment (GPU index per model) of a problem, listing every
 * constraint it breaks: memory and KV floors, pins, spread groups, colocated
 * sets, and the migration budget when the options (those of a solve: only
 * `maxMoves`, `maxMoveCost`, `failover` and `failoverKvpr` matter here) give one;
 * with `failover`, the failover report too.
 * With `problem.scenarios`, `maxKvpr` is the worst over them and `scenarios` has each one's figures.
 */
export function evaluate(problem: Problem, assignment: readonly number[], options?: SolveOptions): Evaluation {
  const { maxMoves, maxMoveCost, failover, failoverKvpr } = validateOptions(options);
  const inst = validateProblem(problem);
  checkAssignment(inst, assignment);
  const { gpus, maxKvpr, scenarios } = tally(inst, assignment);
  const broken = violations(inst, assignment, maxMoves, maxMoveCost);
  const evaluation: Evaluation = { feasible: broken.length === 0, maxKvpr, gpus, scenarios, violations: broken };
  if (failover !== undefined) evaluation.failover = failoverReport(syncKernels(), inst, assignment, failover, failoverKvpr);
  return evaluation;
}

/**
 * The failover report of a given assignment: for every single loss of a GPU
 * or node (`options.failover`), where its models go and the max KVPR after
 * (see `SolveOptions.failover`); `options.failoverKvpr` caps what survives.
 */
export function evaluateFailover(problem: Problem, assignment: readonly number[], options: Pick<SolveOptions, "failover" | "failoverKvpr">): FailoverReport {
  const { failover, failoverKvpr } = validateOptions(options);
  if (failover === undefined) throw new PlacementError("INVALID_OPTIONS", `evaluateFailover needs failover "gpu" or "node"`);
  const inst = validateProblem(problem);
  checkAssignment(inst, assignment);
  return failoverReport(syncKernels(), inst, assignment, failover, failoverKvpr);
}

/** One GPU index in range per model, or a PlacementError naming the first model without. */
function checkAssignment(inst: Instance, assignment: readonly number[]): void {
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
}
