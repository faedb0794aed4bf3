import { BELOW } from "../bounds/lower-bounds.js";
import { coverBound } from "../bounds/cover-lp.js";
import { knapsack } from "../bounds/knapsack.js";
import type { Instance } from "../input/instance.js";
import { MEM_EPS } from "../kvpr.js";
import type { Incumbent } from "./incumbent.js";

/** Models the relaxation takes: its simplex keeps a dense basis of models², and each pricing is a knapsack over them. */
const COVER_MAX_MODELS = 64;
/**
 * Rounding of a load's weight against a GPU's capacity, relative: the sums of
 * up to 64 weights and the knapsack's room, a few ulps each. The capacity is
 * widened by it, which the incumbent's own bottleneck still exceeds just below
 * its value (by about 1e-12 of its free memory).
 */
const LOAD_ROUNDING = 1e-14;
/** Loads the column generation may add, and branches each knapsack may open: some tens of milliseconds in all. */
const ROUNDS = 400;
const KNAPSACK_NODES = 100_000;

/**
 * The cover proof: below target T every GPU's transformed weight d + T·s
 * stays within T·C, so no placement below the incumbent exists when even the
 * linear relaxation of that bin packing (over whole GPU loads, `coverBound`)
 * needs more GPUs than there are. It sees what counting by weight classes
 * misses: loads of mixed sizes that no GPU can hold together. For GPUs of one
 * size and no pins (the loads are then alike for every GPU); groups, KV
 * floors, budgets and the other scenarios only forbid placements, so it proves
 * whatever they say. A GPU of memory-only models may be MEM_EPS over its
 * memory: a load of them alone is priced with that much more room.
 */
export function proveByCover(inc: Incumbent, inst: Instance): void {
  if (!Number.isFinite(inc.value) || inc.proven || inst.n > COVER_MAX_MODELS) return;
  if (inst.pin.some((p) => p >= 0) || !inst.cap.every((c) => c === inst.cap[0])) return;
  const T = inc.value * (1 - BELOW);
  if (coverBins(inst, T, () => inc.outOfTime) > inst.g) inc.lowerBound = Math.max(inc.lowerBound, T);
}

/**
 * GPUs (of the first GPU's memory, none pinned) that the models need at
 * target T by the linear relaxation, in the scenario that needs the most;
 * 0 when a weight is past the largest double; what it has when `stop` says
 * time is up. More than there are proves that no placement keeps every GPU
 * within T.
 */
export function coverBins(inst: Instance, T: number, stop: () => boolean = () => false): number {
  const C = inst.cap[0] as number;
  const capacity = T * C * (1 + LOAD_ROUNDING);
  const memoryCapacity = T * (C + MEM_EPS) * (1 + LOAD_ROUNDING);
  let most = 0;
  for (const demand of inst.demands) {
    const weights = Float64Array.from(demand, (d, i) => d + T * (inst.size[i] as number));
    if (!Number.isFinite(memoryCapacity) || weights.some((w) => !Number.isFinite(w))) return 0;
    const memoryOnly = Float64Array.from(demand, (d, i) => (d > 0 ? Infinity : (weights[i] as number)));
    const price = (duals: Float64Array) => {
      const mixed = knapsack(weights, duals, capacity, KNAPSACK_NODES);
      const alone = knapsack(memoryOnly, duals, memoryCapacity, KNAPSACK_NODES);
      if (mixed === undefined || alone === undefined) return undefined;
      return alone.value > mixed.value ? alone : mixed;
    };
    most = Math.max(most, coverBound(inst.n, price, inst.g, ROUNDS, stop));
    if (most > inst.g) break;
  }
  return most;
}
