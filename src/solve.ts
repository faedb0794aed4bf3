import { lowerBounds } from "./bounds.js";
import { construct } from "./construct.js";
import type { Kernels } from "./engine/kernels.js";
import { PlacementError } from "./errors.js";
import { improve } from "./improve.js";
import { Incumbent } from "./incumbent.js";
import type { Instance } from "./instance.js";
import { createRandom } from "./random.js";
import { tally } from "./report.js";
import type { Problem, Solution, SolveOptions } from "./types.js";
import { validateOptions, validateProblem } from "./validate.js";

/** Work units (model × GPU visits) the construction may spend, spread over its packs. */
const PACK_WORK = 4e7;
const MAX_PACKS = 40;
/** Work units (model × model visits) the improvement rounds may spend. */
const ROUND_WORK = 2e6;
const MAX_ROUNDS = 200;

/** validate → normalize → bounds → construct → improve → report, on one engine's kernels. */
export function solveWith(kernels: Kernels, problem: Problem, options?: SolveOptions): Solution {
  const start = performance.now();
  const opts = validateOptions(options);
  const inst = validateProblem(problem);
  const ws = kernels.workspace(inst.n, inst.g);
  load(inst, ws);
  const bounds = lowerBounds(inst, kernels);
  const inc = new Incumbent(kernels, ws, bounds.best, start + opts.timeLimitMs);
  if (inst.n > 0) {
    const packs = Math.max(1, Math.min(MAX_PACKS, Math.floor(PACK_WORK / (9 * inst.n * inst.g))));
    construct(inc, packs);
    const rounds = Math.min(MAX_ROUNDS, Math.floor(ROUND_WORK / (inst.n * (inst.n + inst.g))));
    improve(inc, rounds, createRandom(opts.seed));
  } else {
    inc.offer(0);
  }
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

function load(inst: Instance, ws: { dem: Float64Array; size: Float64Array; cap: Float64Array; pin: Int32Array }): void {
  ws.dem.set(inst.demand);
  ws.size.set(inst.size);
  ws.cap.set(inst.cap);
  ws.pin.set(inst.pin);
}
