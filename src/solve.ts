import { lowerBounds } from "./bounds/lower-bounds.js";
import { construct } from "./search/construct.js";
import type { Kernels } from "./engine/kernels.js";
import { PlacementError } from "./errors.js";
import { iterate } from "./search/iterate.js";
import { Incumbent } from "./search/incumbent.js";
import { loadInstance } from "./engine/workspace.js";
import { createRandom } from "./search/random.js";
import { tally } from "./report/tally.js";
import type { Problem, Solution, SolveOptions } from "./types.js";
import { validateOptions, validateProblem } from "./input/validate.js";

/** Model × GPU visits the construction may spend: a pack and its local search cost about n·g. */
const PACK_WORK = 4e7;
/** Model × (model + GPU) visits the iterated local search may spend. */
const ROUND_WORK = 2e6;
const MAX_ROUNDS = 20;

/** validate → normalize → bounds → construct → improve → report, on one engine's kernels. */
export function solveWith(kernels: Kernels, problem: Problem, options?: SolveOptions): Solution {
  const start = performance.now();
  const opts = validateOptions(options);
  const inst = validateProblem(problem);
  const ws = kernels.workspace(inst.n, inst.g);
  loadInstance(ws, inst);
  const bounds = lowerBounds(inst, kernels);
  const inc = new Incumbent(kernels, ws, bounds.best, start + opts.timeLimitMs);
  construct(inc, Math.max(1, Math.floor(PACK_WORK / Math.max(1, inst.n * inst.g))));
  const rounds = Math.min(MAX_ROUNDS, Math.floor(ROUND_WORK / Math.max(1, inst.n * (inst.n + inst.g))));
  iterate(inc, rounds, createRandom(opts.seed));
  if (!Number.isFinite(inc.value)) {
    throw new PlacementError("INFEASIBLE", "no placement keeps every GPU within memory with KV cache left for its demand");
  }
  const assignment = Array.from(inc.assign);
  const { gpus, maxKvpr, bottleneck } = tally(inst, assignment);
  const lowerBound = Math.min(bounds.best, maxKvpr);
  const gap = lowerBound > 0 ? maxKvpr / lowerBound - 1 : maxKvpr > 0 ? Infinity : 0;
  return {
    assignment,
    maxKvpr,
    lowerBound,
    gap,
    optimal: maxKvpr <= bounds.best * (1 + 1e-12),
    bottleneck,
    gpus,
    stats: { engine: kernels.engine, ms: performance.now() - start, bounds },
  };
}
