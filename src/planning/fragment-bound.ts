import type { Instance } from "../input/instance.js";
import type { PoolType } from "./gpu-types.js";

/** Thresholds tried per type: ε = k/STEPS of half a GPU's T·C, k = 0..STEPS. */
const STEPS = 16;
/** The Fekete–Schepers functions tried per type: k = 1..FS_MAX. */
const FS_MAX = 4;
/** Extra prices tried per type for its stock limit, as shares of the dearest GPU's price. */
const PRICE_STEPS = [0, 0.05, 0.1, 0.2, 0.4, 0.8];
/** Rounds of improving one type's threshold and extra price at a time. */
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
 * nothing and any other as itself keeps every GPU's total at or below W, as
 * does Fekete and Schepers' ⌊(k+1)·w/W⌋·W/k (a little less when (k+1)·w/W is a
 * whole number, so this takes the floor a hair lower, which only lowers it). So
 * the GPUs of type t in a pool number at least u_t, the sum of f/W over the
 * models they hold, and the pool costs at least Σ c_t·u_t less what the GPUs
 * already there (owned or free) would be charged. The stock caps u_t: for any
 * λ_t ≥ 0, adding λ_t·(u_t − stock_t) ≤ 0 keeps a bound, and then each model
 * may simply take its cheapest share at price c_t + λ_t. Any ε and λ are
 * sound; a few rounds of coordinate ascent pick them.
 */
export function fragmentBound(inst: Instance, types: readonly PoolType[], base: readonly number[], stock: readonly number[], T: number): number {
  const weights = Array.from({ length: inst.n }, (_, i) => (inst.demand[i] as number) + T * (inst.size[i] as number));
  const caps = types.map((t) => T * t.memGB);
  // Per type, the function: ε ≥ 0 for the threshold one, −k for Fekete–Schepers with that k.
  const dff = types.map(() => 0);
  const extra = types.map(() => 0);
  const share = (j: number, w: number): number => {
    const W = caps[j] as number;
    if (w > W * (1 + TOLERANCE)) return Infinity;
    const e = dff[j] as number;
    const f = e >= 0 ? (w > W - e ? W : w < e ? 0 : w) : Math.min(W, (Math.max(0, Math.floor(((1 - e) * w) / W - TOLERANCE)) * W) / -e);
    return (((types[j] as PoolType).cost + (extra[j] as number)) * f) / W;
  };
  const total = (): number => {
    let sum = 0;
    for (const w of weights) {
      let least = Infinity;
      types.forEach((_, j) => (least = Math.min(least, share(j, w))));
      sum += least;
    }
    types.forEach((_, j) => (sum -= (extra[j] as number) * (stock[j] as number)));
    return sum;
  };
  let best = total();
  const improve = (values: number[], j: number, candidates: readonly number[]): void => {
    let kept = values[j] as number;
    for (const v of candidates) {
      values[j] = v;
      const value = total();
      if (value > best) [best, kept] = [value, v];
    }
    values[j] = kept;
  };
  for (let round = 0; round < ROUNDS; round++) {
    types.forEach((t, j) => {
      const thresholds = Array.from({ length: STEPS + 1 }, (_, k) => ((caps[j] as number) / 2) * (k / STEPS));
      improve(dff, j, [...thresholds, ...Array.from({ length: FS_MAX }, (_, k) => -(k + 1))]);
      improve(
        extra,
        j,
        PRICE_STEPS.map((x) => x * Math.max(t.cost, ...types.map((u) => u.cost))),
      );
    });
  }
  const already = types.reduce((sum, t, j) => sum + t.cost * (base[j] as number), 0);
  return Math.max(0, (best - already) * (1 - ROUNDING));
}
