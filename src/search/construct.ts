import { Ordering, Policy } from "../engine/kernels.js";
import type { Incumbent } from "./incumbent.js";
import { pinFirstFailure } from "./fail-first.js";

/** Every ordering × policy, in the order they are tried when work allows only some. */
const COMBOS: readonly (readonly [number, number])[] = [
  [Ordering.weight, Policy.minMax],
  [Ordering.weight, Policy.hybrid],
  [Ordering.pressure, Policy.minMax],
  [Ordering.weight, Policy.bestFit],
  [Ordering.demandPerGB, Policy.minMax],
  [Ordering.pressure, Policy.hybrid],
  [Ordering.pressure, Policy.bestFit],
  [Ordering.demandPerGB, Policy.hybrid],
  [Ordering.demandPerGB, Policy.bestFit],
];
const MAX_PACKS_PER_COMBO = 20;
/** Bisection on T stops when the interval is this narrow, relative: the local search does the rest. */
const T_TOL = 1e-3;
/** A target so high that only memory decides whether a model fits. */
const MEMORY_FIRST_T = 1e12;

/**
 * Construction: the greedy, then per ordering × policy a search on T —
 * bisection between the lower bound and the best max KVPR found, where a pack
 * that succeeds at T lowers the top to what it reached (a Dinkelbach step).
 * Each placement is polished by the local search before it is offered.
 * `packs` is how many packs the work budget allows in all (at least one).
 */
export function construct(inc: Incumbent, packs: number): void {
  const k = inc.kernels;
  if (packs >= COMBOS.length && k.greedy() >= 0) inc.offerLocalOptimum();
  const perCombo = Math.max(1, Math.min(MAX_PACKS_PER_COMBO, Math.floor(packs / COMBOS.length)));
  const combos = COMBOS.slice(0, Math.max(1, Math.min(COMBOS.length, packs)));
  const polished = new Polished();
  for (const [ordering, policy] of combos) {
    let lo = inc.lowerBound;
    for (let p = 0; p < perCombo && !inc.proven && !inc.outOfTime; p++) {
      const hi = inc.value;
      const T = p === 0 || !Number.isFinite(hi) ? lo : 0.5 * (lo + hi);
      const reached = k.pack(T, ordering, policy);
      if (reached < 0) break;
      if (reached > T) lo = T;
      if (!polished.again(inc.ws.assign)) inc.offerLocalOptimum();
      if (inc.value - lo <= T_TOL * inc.value) break;
    }
  }
  if (!Number.isFinite(inc.value)) memoryFirst(inc);
}

/**
 * The placements the packs of one construction reached, so that each is
 * polished once: on memory-tight pools, pools of mixed GPUs and pools with
 * idle models most packs (60–70% measured) repeat a placement of an earlier
 * one, where the local search would only repeat itself.
 */
class Polished {
  private readonly hashes: number[] = [];
  /** The placements, as plain arrays (a typed copy costs a backing store of its own). */
  private readonly placements: number[][] = [];

  /** Whether `assign` was reached before; it is recorded if not. */
  again(assign: Int32Array): boolean {
    const n = assign.length;
    let hash = 0x811c9dc5;
    for (let i = 0; i < n; i++) hash = Math.imul(hash ^ (assign[i] as number), 0x01000193);
    for (let p = 0; p < this.hashes.length; p++) {
      if (this.hashes[p] !== hash) continue;
      const seen = this.placements[p] as number[];
      let i = 0;
      while (i < n && seen[i] === assign[i]) i++;
      if (i === n) return true;
    }
    const copy: number[] = [];
    for (let i = 0; i < n; i++) copy.push(assign[i] as number);
    this.hashes.push(hash);
    this.placements.push(copy);
    return false;
  }
}

/**
 * When every pack ran out of memory: at a huge T the transformed weight is the
 * size and "fits" means memory left, so the packs become memory-first
 * Best-Fit-Decreasing and First-Fit-like spreading, whatever the pressure.
 */
function memoryFirst(inc: Incumbent): void {
  const T = MEMORY_FIRST_T * Math.max(1, inc.lowerBound);
  for (const policy of [Policy.bestFit, Policy.minMax, Policy.hybrid]) {
    if (inc.outOfTime) return;
    if (inc.kernels.pack(T, Ordering.weight, policy) >= 0) inc.offerLocalOptimum();
    if (Number.isFinite(inc.value)) return;
  }
  failFirst(inc, T);
}

/** Pins, for the while, that fail first before the packs run again (see pinFirstFailure). */
const FAIL_FIRST_ROUNDS = 32;

/**
 * Fail first: the model the last memory-first pack could not place (with its
 * colocated set) is pinned, for the while, to a node that holds it, and the
 * pack runs again, round after round; the placement found is polished with
 * the instance's own pins back, so that those models may move on.
 */
function failFirst(inc: Incumbent, T: number): void {
  const { ws, kernels } = inc;
  const pins = Int32Array.from(ws.pin);
  for (let round = 0; round < FAIL_FIRST_ROUNDS && !inc.outOfTime; round++) {
    if (!pinFirstFailure(ws)) break;
    if (kernels.pack(T, Ordering.weight, Policy.bestFit) < 0) continue;
    const placed = Int32Array.from(ws.assign);
    ws.pin.set(pins);
    ws.assign.set(placed);
    kernels.rebuild();
    inc.offerLocalOptimum();
    break;
  }
  ws.pin.set(pins);
}
