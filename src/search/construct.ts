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
  for (const [ordering, policy] of combos) {
    let lo = inc.lowerBound;
    for (let p = 0; p < perCombo && !inc.proven && !inc.outOfTime; p++) {
      const hi = inc.value;
      const T = p === 0 || !Number.isFinite(hi) ? lo : 0.5 * (lo + hi);
      const reached = k.pack(T, ordering, policy);
      if (reached < 0) break;
      if (reached > T) lo = T;
      inc.offerLocalOptimum();
      if (inc.value - lo <= T_TOL * inc.value) break;
    }
  }
  if (!Number.isFinite(inc.value)) memoryFirst(inc);
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
