import type { Instance } from "../input/instance.js";
import type { PoolType } from "./gpu-types.js";

/**
 * Relative slack on "fits" and on the covers, so that rounding in d + T·s never
 * makes a model look too big for a GPU it fits, or a cover larger than it is:
 * the bound may only err low.
 */
const TOLERANCE = 1e-9;
/** What a greedy cost may be off by in the last bits, taken off so the bound stays below every count vector's cost. */
const ROUNDING = 1e-12;

/**
 * What any pool meeting the target T must hold, by capacity class (the
 * distinct GPU sizes, ascending). A GPU of C GB keeps KVPR ≤ T exactly when
 * its models' transformed weights d + T·s sum to at most T·C; a model fits a
 * GPU alone when d + T·s ≤ T·C. So the models that fit no GPU below class k
 * must go on GPUs of class k or more: their weights bound those GPUs' T·C
 * from below, and those that pairwise cannot share a GPU (weight over half the
 * largest T·C, or one spread group) bound their number.
 */
export type Covers = {
  /** Per type, its capacity class. */
  typeClass: number[];
  /** Per type, T·C: the weight one GPU holds. */
  units: number[];
  /** Per class, the weight that only GPUs of this class or larger can hold. */
  weight: number[];
  /** Per class, the GPUs of this class or larger that the models need at least (at least one GPU in all). */
  count: number[];
  /** Per type, how many models fit a GPU of it alone: more of it than that would stay empty. */
  fits: number[];
};

/**
 * The covers at target T, with every weight scaled by `inflation` (1: the
 * proven covers; above 1: a margin for packing, to look for a pool quickly).
 */
export function coversAt(inst: Instance, types: readonly PoolType[], T: number, inflation = 1): Covers {
  const sizes = [...new Set(types.map((t) => t.memGB))].sort((a, b) => a - b);
  const typeClass = types.map((t) => sizes.indexOf(t.memGB));
  const units = types.map((t) => T * t.memGB);
  const m = sizes.length;
  const weight = new Array<number>(m).fill(0);
  const forced = new Array<number>(m).fill(0);
  const bigAt = new Array<number>(m).fill(0);
  const groups = new Map<number, number[]>();
  const fits = types.map(() => 0);
  const half = 0.5 * T * (sizes[m - 1] as number) * (1 + TOLERANCE);
  for (let i = 0; i < inst.n; i++) {
    const w = (inst.demand[i] as number) + T * (inst.size[i] as number);
    // The smallest class this model fits alone; callers have checked that the largest takes it.
    let k = 0;
    while (k < m - 1 && w > T * (sizes[k] as number) * (1 + TOLERANCE)) k++;
    forced[k] = (forced[k] as number) + w * inflation;
    if (w > half) bigAt[k] = (bigAt[k] as number) + 1;
    for (let e = inst.memberStart[i] as number; e < (inst.memberStart[i + 1] as number); e++) {
      const g = inst.memberGroup[e] as number;
      const members = groups.get(g) ?? new Array<number>(m).fill(0);
      members[k] = (members[k] as number) + 1;
      groups.set(g, members);
    }
    typeClass.forEach((c, j) => {
      if (c >= k) fits[j] = (fits[j] as number) + 1;
    });
  }
  const count = new Array<number>(m).fill(0);
  let weightAbove = 0;
  let bigAbove = 0;
  const groupAbove = new Map<number, number>();
  for (let k = m - 1; k >= 0; k--) {
    weightAbove += forced[k] as number;
    bigAbove += bigAt[k] as number;
    let most = bigAbove;
    for (const [g, members] of groups) {
      const above = (groupAbove.get(g) ?? 0) + (members[k] as number);
      groupAbove.set(g, above);
      most = Math.max(most, above);
    }
    weight[k] = weightAbove * (1 - TOLERANCE);
    count[k] = k === 0 ? Math.max(1, most) : most;
  }
  return { typeClass, units, weight, count, fits };
}

/**
 * The least that buying can cost given the GPUs present: a fractional cover of
 * each class's weight (and, separately, of its count), filled from the largest
 * class down with the cheapest units each class may use. Classes nest (a GPU of
 * class k counts for every class up to k) and a unit counts the same in each,
 * so the greedy solves the relaxation exactly; the larger of the two is the bound.
 */
export class CoverBound {
  private readonly byUnitPrice: number[];
  private readonly byGpuPrice: number[];

  constructor(
    private readonly covers: Covers,
    private readonly types: readonly PoolType[],
  ) {
    const indices = types.map((_, j) => j);
    this.byUnitPrice = [...indices].sort((a, b) => unitPrice(types, covers, a) - unitPrice(types, covers, b));
    this.byGpuPrice = [...indices].sort((a, b) => (types[a] as PoolType).cost - (types[b] as PoolType).cost);
  }

  /**
   * A lower bound on the cost of GPUs still to buy when `present[j]` GPUs of
   * each type are in the pool and up to `extra[j]` more may be added; Infinity
   * when even all of them cannot meet the covers.
   */
  rest(present: readonly number[], extra: readonly number[]): number {
    const { weight, count, units } = this.covers;
    const byWeight = this.greedy(weight, units, present, extra, this.byUnitPrice);
    if (byWeight === Infinity) return Infinity;
    const byCount = this.greedy(
      count,
      this.types.map(() => 1),
      present,
      extra,
      this.byGpuPrice,
    );
    return Math.max(byWeight, byCount) * (1 - ROUNDING);
  }

  private greedy(need: readonly number[], per: readonly number[], present: readonly number[], extra: readonly number[], order: readonly number[]): number {
    const { typeClass } = this.covers;
    const bought = per.map(() => 0);
    let cost = 0;
    for (let k = need.length - 1; k >= 0; k--) {
      let deficit = need[k] as number;
      typeClass.forEach((c, j) => {
        if (c >= k) deficit -= (present[j] as number) * (per[j] as number) + (bought[j] as number);
      });
      for (const j of order) {
        if (deficit <= 0) break;
        if ((typeClass[j] as number) < k) continue;
        const take = Math.min(deficit, (extra[j] as number) * (per[j] as number) - (bought[j] as number));
        if (take <= 0) continue;
        bought[j] = (bought[j] as number) + take;
        deficit -= take;
        cost += (take * (this.types[j] as PoolType).cost) / (per[j] as number);
      }
      if (deficit > (need[k] as number) * ROUNDING) return Infinity;
    }
    return cost;
  }
}

/** Cost per unit of T·C: what "cheapest capacity first" orders by. */
export function unitPrice(types: readonly PoolType[], covers: Covers, j: number): number {
  return (types[j] as PoolType).cost / (covers.units[j] as number);
}

/**
 * The cover bound over demand scenarios: a pool meeting the target meets it in
 * every scenario, so it meets each scenario's covers, and the largest of their
 * bounds (Infinity when any scenario's covers cannot be met) is a bound too.
 */
export class ScenarioCoverBound {
  private readonly bounds: CoverBound[];

  constructor(covers: readonly Covers[], types: readonly PoolType[]) {
    this.bounds = covers.map((c) => new CoverBound(c, types));
  }

  rest(present: readonly number[], extra: readonly number[]): number {
    let most = 0;
    for (const bound of this.bounds) {
      most = Math.max(most, bound.rest(present, extra));
      if (most === Infinity) break;
    }
    return most;
  }
}
