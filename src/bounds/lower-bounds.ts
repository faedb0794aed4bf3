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
  const perModels = inst.demands.map((demand) => perModelBound(inst, demand));
  const fluids = inst.demands.map((demand) => fluidBound(inst, demand));
  const perModel = Math.max(...perModels);
  const fluid = Math.max(...fluids);
  const base = Math.max(perModel, fluid);
  const ranked = inst.demands
    .map((_, k) => k)
    .sort((a, b) => Math.max(perModels[b] as number, fluids[b] as number) - Math.max(perModels[a] as number, fluids[a] as number) || a - b);
  let packing = 0;
  for (const k of ranked.slice(0, PACKING_SCENARIOS)) packing = Math.max(packing, packingBound(inst, k, kernels, base));
  return { perModel, fluid, packing, best: Math.max(base, packing) };
}

/**
 * Whether the bounds alone prove that no placement keeps every KVPR at or below
 * T: a model or the pins above it, all demand over all memory left, or the
 * packing argument at T itself (no bisection: one count at one T), in any
 * demand scenario.
 */
export function boundsExceed(inst: Instance, kernels: Kernels, T: number): boolean {
  return inst.demands.some((demand, s) => perModelBound(inst, demand) > T || fluidBound(inst, demand) > T || packingTest(inst, s, kernels)(T));
}

function perModelBound(inst: Instance, demand: Float64Array): number {
  let capMax = 0;
  for (const c of inst.cap) capMax = Math.max(capMax, c);
  let bound = 0;
  const pinnedDem = new Float64Array(inst.g);
  const pinnedSize = new Float64Array(inst.g);
  for (let i = 0; i < inst.n; i++) {
    const p = inst.pin[i] as number;
    const d = demand[i] as number;
    const s = inst.size[i] as number;
    if (p >= 0) {
      pinnedDem[p] = (pinnedDem[p] as number) + d;
      pinnedSize[p] = (pinnedSize[p] as number) + s;
    } else {
      bound = Math.max(bound, kvpr(d, capMax - s));
    }
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
  for (const cap of inst.cap) c += cap;
  return kvpr(d, c - s);
}

/**
 * Bisection for the largest T that a bin-packing argument proves infeasible;
 * sound because item sizes relative to bins, d/(T·C) + s/C, shrink as T grows.
 */
function packingBound(inst: Instance, s: number, kernels: Kernels, base: number): number {
  if (!(base > 0) || !Number.isFinite(base)) return 0;
  const infeasible = packingTest(inst, s, kernels);
  if (!infeasible(base)) return 0;
  // As T grows the weights tend to the sizes: if even sizes into memory cannot be packed, no T works.
  if (infeasible(1, 0)) {
    throw new PlacementError(
      "INFEASIBLE",
      "no placement exists: the models' weights cannot be packed into the GPUs' memory (too many that cannot share a GPU)",
    );
  }
  let lo = base;
  let hi = 2 * base;
  while (Number.isFinite(2 * hi) && infeasible(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > BISECT_TOL * hi) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (infeasible(mid)) lo = mid;
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
  return T > bound && inst.demands.some((_, s) => packingTest(inst, s, kernels)(T)) ? T : bound;
}

/**
 * The packing test of demand scenario `s` over a loaded workspace: `(T, demandWeight = 1)` → whether no assignment
 * has every KVPR ≤ T in that scenario (so in none of the scenarios' worst case either).
 */
function packingTest(inst: Instance, s: number, kernels: Kernels): (T: number, demandWeight?: number) => boolean {
  const ws = kernels.workspace(inst.n, inst.g, inst.k, inst.m);
  const caps = Float64Array.from(inst.cap).sort().reverse();
  // Each test sorts the order the last one left: the bisection's weights barely
  // reorder between tests, and the sort's total order makes the start irrelevant.
  for (let i = 0; i < inst.n; i++) ws.order[i] = i;
  return (T, demandWeight = 1) => provenInfeasible(inst, s, caps, ws, kernels, T, demandWeight);
}

/**
 * Whether no GPU assignment has every KVPR ≤ T (`caps`: the capacities, largest first), by counting: the Martello–Toth
 * L2 bound on bins of the largest capacity when all GPUs are alike, and for
 * mixed pools the items too big to share any GPU, matched to the largest GPUs.
 */
function provenInfeasible(inst: Instance, s: number, caps: Float64Array, ws: Workspace, kernels: Kernels, T: number, demandWeight: number): boolean {
  const { n, g } = inst;
  const capMax = caps[0] as number;
  if (capMax === caps[g - 1]) return kernels.binsAtLeast(T, demandWeight, s, T * capMax) > g;
  const demand = inst.demands[s] as Float64Array;
  const half = 0.5 * T * capMax;
  let big = 0;
  for (let i = 0; i < n; i++) {
    const w = demandWeight * (demand[i] as number) + T * (inst.size[i] as number);
    ws.key[i] = w;
    if (w > half) big++;
  }
  if (big === 0) return false;
  if (big > g) return true;
  kernels.sortByKey(n);
  for (let r = 0; r < big; r++) {
    if ((ws.key[ws.order[r] as number] as number) > T * (caps[r] as number)) return true;
  }
  return false;
}
