import type { Incumbent } from "./incumbent.js";

/** Nodes per call into the search: small enough to check the clock often, large enough to amortize the call. */
const SLICE = 1 << 12;
/**
 * Nodes after which a search that has not finished asks `midway` for a proof
 * by other means: the ADRS cases need a few hundred, the hard generated ones
 * millions; some milliseconds in. It asks again whenever the search has
 * improved the placement since (a bound just below a better placement may
 * prove what it could not above the last one).
 */
const MIDWAY_NODES = 1 << 16;

export type Proof = { proved: boolean; nodes: number };

/**
 * The exact search, run in slices from the incumbent until the tree is
 * exhausted (the best is then optimal), `maxNodes` nodes are spent, the clock
 * runs out, or — with `firstOnly` — any placement is found. Better placements
 * it finds replace the incumbent. After MIDWAY_NODES nodes (and after each
 * improvement from then on), `midway`, with the best found so far adopted,
 * may prove the incumbent optimal by a bound, which ends the search.
 */
export function prove(inc: Incumbent, maxNodes: number, firstOnly: boolean, midway?: () => void): Proof {
  const k = inc.kernels;
  k.exactStart(inc.value, inc.budget, inc.costBudget);
  let proved = false;
  let askedAt = Infinity;
  for (;;) {
    const spent = k.exactNodes();
    const slice = Math.min(SLICE, maxNodes - spent);
    if (slice <= 0 || inc.outOfTime) break;
    if (k.exactRun(slice) === 1) {
      proved = true;
      break;
    }
    if (firstOnly && k.exactBest() < Infinity) break;
    if (midway !== undefined && k.exactNodes() >= MIDWAY_NODES) {
      if (k.exactBest() < inc.value) inc.adopt(inc.ws.exBest, k.exactBest());
      if (inc.value < askedAt) {
        askedAt = inc.value;
        midway();
        if (inc.proven) break;
      }
    }
  }
  const found = k.exactBest();
  // A proof is about the placement the search found: it holds only if that placement is the one kept.
  const kept = found < inc.value ? inc.adopt(inc.ws.exBest, found) : true;
  return { proved: proved && kept, nodes: k.exactNodes() };
}
