/**
 * Relative margins of the certificate: the pricing's own rounding (its sums
 * and its pruning, a few ulps) and the sum of the duals. Far below the margins
 * the bound proves things by (a fraction of a bin in tens).
 */
const PRICING_ROUNDING = 1e-9;
const SUM_ROUNDING = 1e-12;
/** Pivots the simplex may take on one master problem before it settles for the duals it has. */
const MAX_PIVOTS = 2000;
/** A reduced cost this close to zero is zero: the column would not improve the master. */
const PRICE_EPS = 1e-9;

/** The heaviest load at the given duals (the most dual value one bin can hold) and its items; undefined if it could not be settled. */
export type Pricing = (duals: Float64Array) => { value: number; items: number[] } | undefined;

/**
 * A lower bound on the bins `n` items need: the linear relaxation of bin
 * packing over whole bin loads (Gilmore–Gomory), solved by column generation
 * — a simplex over the loads found so far, then `price` at its duals for the
 * load that improves it most. Whatever duals π ≥ 0 it ends with, Σπ / (the
 * most π one load holds) is a bound: scaled by that maximum they are feasible
 * for the relaxation's dual. So the answer is sound however the simplex fared
 * (rounding, its pivot limit), provided `price` never underestimates that
 * maximum (it must admit every load that truly fits). Stops early once the
 * bound exceeds `enough`, after `rounds` loads, when pricing gives up, or when
 * `stop` says time is up.
 */
export function coverBound(n: number, price: Pricing, enough: number, rounds: number, stop: () => boolean = () => false): number {
  if (n === 0) return 0;
  const master = new CoverMaster(n);
  let bound = 0;
  for (let round = 0; round <= rounds && !stop(); round++) {
    const duals = master.solve();
    const heaviest = price(duals);
    if (heaviest === undefined) break;
    let sum = 0;
    for (const d of duals) sum += d;
    if (heaviest.value > 0) bound = Math.max(bound, (sum * (1 - SUM_ROUNDING)) / (heaviest.value * (1 + PRICING_ROUNDING)));
    if (bound > enough || heaviest.value <= 1 + PRICE_EPS) break;
    master.add(heaviest.items);
  }
  return bound;
}

/**
 * min Σx over loads s.t. every item is covered (Σ over loads holding it ≥ 1),
 * x ≥ 0, by a revised simplex with the basis inverse kept explicitly (items
 * are few): loads added one at a time, each solve starting from the last basis.
 * The first basis is the one-item loads, with every item covered once.
 */
class CoverMaster {
  private readonly n: number;
  /** Columns: a load's items, or a surplus (−1 − i: item i covered more than once). */
  private readonly columns: number[][] = [];
  /** The basic column of each row, and the basis inverse, row-major. */
  private readonly basis: Int32Array;
  private readonly inverse: Float64Array;
  /** The basic variables' values. */
  private readonly values: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.basis = new Int32Array(n);
    this.inverse = new Float64Array(n * n);
    this.values = new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      this.columns.push([i]);
      this.basis[i] = i;
      this.inverse[i * n + i] = 1;
    }
    for (let i = 0; i < n; i++) this.columns.push([-1 - i]);
  }

  add(items: number[]): void {
    this.columns.push(items);
  }

  /** Optimizes over the columns so far; returns the duals, each at least 0. */
  solve(): Float64Array {
    const { n, inverse } = this;
    const duals = new Float64Array(n);
    for (let pivot = 0; pivot < MAX_PIVOTS; pivot++) {
      this.dualsInto(duals);
      const entering = this.entering(duals);
      if (entering < 0) break;
      // The entering column in the basis: B⁻¹·a.
      const direction = new Float64Array(n);
      for (const item of this.columns[entering] as number[]) {
        const [row, sign] = item >= 0 ? [item, 1] : [-1 - item, -1];
        for (let r = 0; r < n; r++) direction[r] = (direction[r] as number) + sign * (inverse[r * n + row] as number);
      }
      let leaving = -1;
      let step = Infinity;
      for (let r = 0; r < n; r++) {
        const d = direction[r] as number;
        if (d > PRICE_EPS && (this.values[r] as number) / d < step) {
          step = (this.values[r] as number) / d;
          leaving = r;
        }
      }
      if (leaving < 0) break;
      this.pivot(leaving, entering, direction, step);
    }
    this.dualsInto(duals);
    for (let i = 0; i < n; i++) duals[i] = Math.max(0, duals[i] as number);
    return duals;
  }

  /** π = c_B·B⁻¹: a load costs 1, a surplus 0. */
  private dualsInto(duals: Float64Array): void {
    const { n, inverse } = this;
    duals.fill(0);
    for (let r = 0; r < n; r++) {
      if (((this.columns[this.basis[r] as number] as number[])[0] as number) < 0) continue;
      for (let i = 0; i < n; i++) duals[i] = (duals[i] as number) + (inverse[r * n + i] as number);
    }
  }

  /** The column of most negative reduced cost (a load: 1 − π(load); a surplus of item i: π_i), or −1. */
  private entering(duals: Float64Array): number {
    let best = -1;
    let most = -PRICE_EPS;
    this.columns.forEach((column, c) => {
      if (this.basis.includes(c)) return;
      const first = column[0] as number;
      let cost: number;
      if (first < 0) cost = duals[-1 - first] as number;
      else {
        cost = 1;
        for (const i of column) cost -= duals[i] as number;
      }
      if (cost < most) {
        most = cost;
        best = c;
      }
    });
    return best;
  }

  /** Column `entering` replaces row `leaving`'s; `direction` is B⁻¹·a, `step` how far the values move. */
  private pivot(leaving: number, entering: number, direction: Float64Array, step: number): void {
    const { n, inverse, values } = this;
    const p = direction[leaving] as number;
    for (let r = 0; r < n; r++) values[r] = (values[r] as number) - step * (direction[r] as number);
    values[leaving] = step;
    for (let i = 0; i < n; i++) inverse[leaving * n + i] = (inverse[leaving * n + i] as number) / p;
    for (let r = 0; r < n; r++) {
      if (r === leaving) continue;
      const f = direction[r] as number;
      if (f === 0) continue;
      for (let i = 0; i < n; i++) inverse[r * n + i] = (inverse[r * n + i] as number) - f * (inverse[leaving * n + i] as number);
    }
    this.basis[leaving] = entering;
  }
}
