import { subsetsIn } from "./subset-sum.js";

/**
 * Relative rounding of one addition or product of doubles, with a factor two
 * to spare (2u = 2^-52): a sum of m terms is off its exact value by at most
 * (m − 1)·u times the sum of their magnitudes.
 */
const ROUNDING = 2 ** -52;

export type Packing = { bins: Int32Array } | "none" | "unknown";

/**
 * Bin completion: whether `weights` (non-negative) fit into bins of capacities
 * `rooms` — exactly, not by a bound: "none" is a proof that they do not (every
 * window is widened by the rounding of its sums), `bins` a packing (bin per
 * weight), "unknown" when `budget` units of work (subset sums listed) or the
 * time `stop` allows did not settle it. Bins are filled in order, each with a
 * subset of the weights left whose weight lies between what the later bins
 * cannot take (the rest less their rooms) and its own room: near a perfect
 * packing that window is narrow, and few subsets fall in it. Bins of equal
 * room are interchangeable: the next of them takes the heaviest weight left.
 * The subsets of each bin come from meeting in the middle over the weights
 * left, so the caller keeps their number small.
 */
export function packInto(weights: Float64Array, rooms: Float64Array, budget: number, stop: () => boolean = () => false): Packing {
  const order = Int32Array.from(weights.keys()).sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b);
  const bins = new Int32Array(weights.length).fill(-1);
  const search: Search = { work: 0, budget, stop };
  const found = fill(weights, rooms, Array.from(order), 0, bins, search);
  if (found) return { bins };
  return search.work > search.budget ? "unknown" : "none";
}

/** Subset sums listed so far, the most allowed, and a clock that ends the search early (it then counts as over budget). */
type Search = { work: number; budget: number; stop: () => boolean };

/** Fills bins b, b+1, … with the weights `left` (heaviest first); false when they cannot all be placed (or the budget ran out). */
function fill(weights: Float64Array, rooms: Float64Array, left: number[], b: number, bins: Int32Array, search: Search): boolean {
  if (left.length === 0) return true;
  if (b === rooms.length) return false;
  const room = rooms[b] as number;
  let rest = 0;
  for (const i of left) rest += weights[i] as number;
  let later = 0;
  for (let c = b + 1; c < rooms.length; c++) later += rooms[c] as number;
  // The next of equal bins takes the heaviest weight left: any packing can be relabelled so.
  let interchangeable = true;
  for (let c = b + 1; c < rooms.length && interchangeable; c++) interchangeable = rooms[c] === room;
  const forced = interchangeable ? (left[0] as number) : -1;
  const free = forced >= 0 ? left.slice(1) : left;
  const base = forced >= 0 ? (weights[forced] as number) : 0;
  const terms = left.length + rooms.length + 4;
  const lo = rest - later - base - terms * ROUNDING * (rest + later);
  const hi = room - base + terms * ROUNDING * room;
  if (hi < 0) return false;
  // Meeting in the middle lists 2^⌊m/2⌋ + 2^⌈m/2⌉ sums: the work this bin costs.
  search.work += 2 ** (free.length >> 1) + 2 ** (free.length - (free.length >> 1));
  if (search.work > search.budget || search.stop()) {
    search.work = search.budget + 1;
    return false;
  }
  const candidates = Float64Array.from(free, (i) => weights[i] as number);
  for (const subset of subsetsIn(candidates, lo, hi)) {
    const chosen = new Uint8Array(free.length);
    for (const t of subset) chosen[t] = 1;
    const remaining = free.filter((_, t) => chosen[t] === 0);
    if (fill(weights, rooms, remaining, b + 1, bins, search)) {
      if (forced >= 0) bins[forced] = b;
      for (const t of subset) bins[free[t] as number] = b;
      return true;
    }
    if (search.work > search.budget) return false;
  }
  return false;
}
