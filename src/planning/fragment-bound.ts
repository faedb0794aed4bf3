import type { Instance } from "../input/instance.js";
import type { PoolType } from "./gpu-types.js";

/** Thresholds tried per type: ε = k/STEPS of half a GPU's T·C, k = 0..STEPS. */
const STEPS = 16;
/** Rounds of improving one type's threshold at a time. */
const ROUNDS = 3;
/** Relative slack on "fits", as in the covers: the bound may only err low. */
const TOLERANCE = 1e-9;
/** Taken off the sum so the bound stays below every pool's cost despite rounding. */
const ROUNDING = 1e-12;

/**
 * A lower bound on the cost of any pool meeting target T that sees the room
 * lost to packing whole models, which the covers do not. A GPU of type t holds
 * transformed weights (d + T·s) summing to at most W = T·C; the dual-feasible
 * function that counts a weight above W − ε as a whole GPU, one below ε as
 * nothing and any other as itself keeps every GPU's total at or below W. So each
 * GPU of type t costs at least c_t / W times what it holds, and the pool costs
 * at least the sum over models of the cheapest such share, less what the GPUs
 * already there (owned or free) would be charged. Any ε per type is sound; a
 * few rounds of coordinate ascent pick them.
 */
export function fragmentBound(inst: Instance, types: readonly PoolType[], base: readonly number[], T: number): number {
  const weights = Array.from({ length: inst.n }, (_, i) => (inst.demand[i] as number) + T * (inst.size[i] as number));
  const caps = types.map((t) => T * t.memGB);
  const eps = types.map(() => 0);
  const share = (j: number, e: number, w: number): number => {
    const W = caps[j] as number;
    if (w > W * (1 + TOLERANCE)) return Infinity;
    const f = w > W - e ? W : w < e ? 0 : w;
    return ((types[j] as PoolType).cost * f) / W;
  };
  const total = (): number => {
    let sum = 0;
    for (const w of weights) {
      let least = Infinity;
      types.forEach((_, j) => (least = Math.min(least, share(j, eps[j] as number, w))));
      sum += least;
    }
    return sum;
  };
  let best = total();
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < types.length; j++) {
      let bestEps = eps[j] as number;
      for (let k = 0; k <= STEPS; k++) {
        eps[j] = ((caps[j] as number) / 2) * (k / STEPS);
        const value = total();
        if (value > best) [best, bestEps] = [value, eps[j] as number];
      }
      eps[j] = bestEps;
    }
  }
  const already = types.reduce((sum, t, j) => sum + t.cost * (base[j] as number), 0);
  return Math.max(0, (best - already) * (1 - ROUNDING));
}
