import { Ordering, Policy } from "./engine/kernels.js";
import type { Incumbent } from "./incumbent.js";

const ORDERINGS = [Ordering.weight, Ordering.pressure, Ordering.demandPerGB];
const POLICIES = [Policy.bestFit, Policy.minMax, Policy.hybrid];
/** Bisection stops when the interval on T is this narrow, relative. */
const T_TOL = 1e-9;

/**
 * Construction: the greedy, then for every ordering × policy a search on T —
 * bisection between the lower bound and the best max KVPR found, with a
 * Dinkelbach step (a pack that succeeds at T lowers the top to what it reached).
 * `maxPacks` caps the packs per ordering × policy; each pack result is offered.
 */
export function construct(inc: Incumbent, maxPacks: number): void {
  const k = inc.kernels;
  inc.offer(k.greedy());
  for (const ordering of ORDERINGS) {
    for (const policy of POLICIES) {
      let lo = inc.lowerBound;
      for (let p = 0; p < maxPacks && !inc.proven && !inc.outOfTime; p++) {
        const hi = inc.value;
        const T = p === 0 || !Number.isFinite(hi) ? lo : 0.5 * (lo + hi);
        const reached = k.pack(T, ordering, policy);
        if (reached < 0) break;
        inc.offer(reached);
        if (reached > T) lo = T;
        if (inc.value - lo <= T_TOL * inc.value) break;
      }
    }
  }
}
