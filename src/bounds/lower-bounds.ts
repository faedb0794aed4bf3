import type { Kernels } from "../engine/kernels.js";
import type { Workspace } from "../engine/workspace.js";
import type { Instance } from "../input/instance.js";
import { PlacementError } from "../errors.js";
import { kvpr } from "../kvpr.js";
import type { LowerBounds } from "../types.js";

/**
 * Relative width at which the bisection on the packing bound stops: coarse,
 * since a placement that comes this close is tested directly just below its
 * own value (`packingBoundBelow`), which is what proves it optimal.
 */
export const BISECT_TOL = 1e-3;
/**
 * The target tested below a placement's value, relative: near enough that meeting it is meeting the placement (see
 * Incumbent.proven), so that "nothing fits at it" proves the placement optimal. Every proof by a bound tests here.
 */
export const BELOW = 0.9e-12;
/**
 * Scenarios the packing bound is computed for, those of the highest simple
 * bounds: each costs a bisection of sorts, and the others rarely raise it.
 */
const PACKING_SCENARIOS = 4;

/**
 * Lower bounds on the optimal max KVPR. The packing bound needs items sorted by
 * transformed weight, so it runs on an engine's sort kernel over a loaded workspace.
 * With demand scenarios, a placement's worst KVPR is at least its KVPR in each
 * scenario: every bound is the largest of the single-scenario bounds.
 */
export function lowerBounds(inst: Instance, kernels: Kernels): LowerBounds {
  const bins = new PackingTest(inst, kernels);
  const simple: number[] = [];
  let perModel = 0;
  let fluid = 0;
  for (let s = 0; s < inst.k; s++) {
    const demand = inst.demands[s] as Float64Array;
    const p = perModelBound(inst, demand, bins.capMax);
    const f = fluidBound(inst, demand);
    perModel = Math.max(perModel, p);
    fluid = Math.max(fluid, f);
    simple.push(Math.max(p, f));
  }
  const base = Math.max(perModel, fluid);
  let packing = 0;
  if (inst.k === 1) packing = packingBound(bins, 0, base);
  else {
    const ranked = simple.map((_, s) => s).sort((a, b) => (simple[b] as number) - (simple[a] as number) || a - b);
    for (const s of ranked.slice(0, PACKING_SCENARIOS)) packing = Math.max(packing, packingBound(bins, s, base));
  }
  return { perModel, fluid, packing, best: Math.max(base, packing) };
}

/**
 * Whether the bounds alone prove that no placement keeps every KVPR at or below
 * T: a model or the pins above it, all demand over all memory left, or the
 * packing argument at T itself (no bisection: one count at one T), in any
 * demand scenario.
 */
export function boundsExceed(inst: Instance, kernels: Kernels, T: number): boolean {
  const bins = new PackingTest(inst, kernels);
  return inst.demands.some((demand, s) => perModelBound(inst, demand, bins.capMax) > T || fluidBound(inst, demand) > T || bins.infeasible(s, T));
}

/** The largest d / (C − s) of a free model on the largest GPU, and of the models pinned to each GPU together. */
function perModelBound(inst: Instance, demand: Float64Array, capMax: number): number {
  let bound = 0;
  let pinned = false;
  for (let i = 0; i < inst.n; i++) {
    if ((inst.pin[i] as number) >= 0) pinned = true;
    else bound = Math.max(bound, kvpr(demand[i] as number, capMax - (inst.size[i] as number)));
  }
  if (!pinned) return bound;
  const pinnedDem = new Float64Array(inst.g);
  const pinnedSize = new Float64Array(inst.g);
  for (let i = 0; i < inst.n; i++) {
    const p = inst.pin[i] as number;
    if (p < 0) continue;
    pinnedDem[p] = (pinnedDem[p] as number) + (demand[i] as number);
    pinnedSize[p] = (pinnedSize[p] as number) + (inst.size[i] as number);
  }
  for (let j = 0; j < inst.g; j++) {
    bound = Math.max(bound, kvpr(pinnedDem[j] as number, (inst.cap[j] as number) - (pinnedSize[j] as number)));
  }
  return bound;
}

function fluidBound(inst: Instance, demand: Float64Array): number {
  let d = 0;
  let s = 0;
  let c = 0;
  for (let i = 0; i < inst.n; i++) {
    d += demand[i] as number;
    s += inst.size[i] as number;
  }
  for (let j = 0; j < inst.g; j++) c += inst.cap[j] as number;
  return kvpr(d, c - s);
}

/**
 * Bisection for the largest T that a bin-packing argument proves infeasible;
 * sound because item sizes relative to bins, d/(T·C) + s/C, shrink as T grows.
 */
function packingBound(bins: PackingTest, s: number, base: number): number {
  if (!(base > 0) || !Number.isFinite(base)) return 0;
  if (!bins.infeasible(s, base)) return 0;
  let lo = base;
  let hi = 2 * base;
  let above = Number.isFinite(2 * hi) && bins.infeasible(s, hi);
  // As T grows the weights tend to the sizes: if even sizes into memory cannot be packed, no T works. Asked only
  // when the count refuses 2·base too (or that is past range): the count only falls as the weights shrink.
  if ((above || !Number.isFinite(2 * hi)) && bins.infeasible(s, 1, 0)) {
    throw new PlacementError(
      "INFEASIBLE",
      "no placement exists: the models' weights cannot be packed into the GPUs' memory (too many that cannot share a GPU)",
    );
  }
  while (above) {
    lo = hi;
    hi *= 2;
    above = Number.isFinite(2 * hi) && bins.infeasible(s, hi);
  }
  while (hi - lo > BISECT_TOL * hi) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (bins.infeasible(s, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The packing bound tested just below a placement's value: that value itself,
 * less a hair, when bin packing proves nothing better exists; else `bound`.
 * Only worth asking when the bisection's bound is within its tolerance of the
 * value; the test is one sort and one count.
 */
export function packingBoundBelow(inst: Instance, kernels: Kernels, value: number, bound: number): number {
  const T = value * (1 - BELOW);
  if (!(T > bound)) return bound;
  const bins = new PackingTest(inst, kernels);
  for (let s = 0; s < inst.k; s++) if (bins.infeasible(s, T)) return T;
  return bound;
}

/**
 * The packing test over a loaded workspace: whether no assignment has every KVPR ≤ T in a demand scenario (so in
 * none of the scenarios' worst case either), by counting: the Martello–Toth L2 bound (and the exact count of pairs)
 * on bins of the largest capacity when all GPUs are alike, and for mixed pools the items too big to share any GPU,
 * matched to the largest GPUs.
 */
class PackingTest {
  readonly capMax: number;
  /** The capacities, largest first; only for pools of mixed GPUs. */
  private readonly caps: Float64Array | undefined;
  private readonly ws: Workspace;

  constructor(
    private readonly inst: Instance,
    private readonly kernels: Kernels,
  ) {
    let capMax = 0;
    let capMin = Infinity;
    for (let j = 0; j < inst.g; j++) {
      capMax = Math.max(capMax, inst.cap[j] as number);
      capMin = Math.min(capMin, inst.cap[j] as number);
    }
    this.capMax = capMax;
    this.caps = capMin === capMax ? undefined : Float64Array.from(inst.cap).sort().reverse();
    this.ws = kernels.workspace(inst.n, inst.g, inst.k, inst.m);
    // The counts sort `order` whole: it must hold every model. Each test then sorts the order the last one left,
    // which the bisection's weights barely change, and the sort's total order makes the start irrelevant.
    for (let i = 0; i < inst.n; i++) this.ws.order[i] = i;
  }

  /** At weights `demandWeight`·d + T·s in scenario `s`. */
  infeasible(s: number, T: number, demandWeight = 1): boolean {
    const { inst, ws, caps, capMax } = this;
    if (caps === undefined) return this.kernels.binsAtLeast(T, demandWeight, s, T * capMax) > inst.g;
    const demand = inst.demands[s] as Float64Array;
    const half = 0.5 * T * capMax;
    let big = 0;
    for (let i = 0; i < inst.n; i++) {
      const w = demandWeight * (demand[i] as number) + T * (inst.size[i] as number);
      ws.key[i] = w;
      if (w > half) big++;
    }
    if (big === 0) return false;
    if (big > inst.g) return true;
    this.kernels.sortByKey(inst.n);
    for (let r = 0; r < big; r++) {
      if ((ws.key[ws.order[r] as number] as number) > T * (caps[r] as number)) return true;
    }
    return false;
  }
}
