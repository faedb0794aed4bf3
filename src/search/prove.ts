import type { Incumbent } from "./incumbent.js";

/** Nodes per call into the search: small enough to check the clock often, large enough to amortize the call. */
const SLICE = 1 << 12;

export type Proof = { proved: boolean; nodes: number };

/**
 * The exact search, run in slices from the incumbent until the tree is
 * exhausted (the best is then optimal), `maxNodes` nodes are spent, the clock
 * runs out, or — with `firstOnly` — any placement is found. Better placements
 * it finds replace the incumbent.
 */
export function prove(inc: Incumbent, maxNodes: number, firstOnly: boolean): Proof {
  const k = inc.kernels;
  k.exactStart(inc.value, inc.budget, inc.costBudget);
  let proved = false;
  for (;;) {
    const spent = k.exactNodes();
    const slice = Math.min(SLICE, maxNodes - spent);
    if (slice <= 0 || inc.outOfTime) break;
    if (k.exactRun(slice) === 1) {
      proved = true;
      break;
    }
    if (firstOnly && k.exactBest() < Infinity) break;
  }
  const found = k.exactBest();
  // A proof is about the placement the search found: it holds only if that placement is the one kept.
  const kept = found < inc.value ? inc.adopt(inc.ws.exBest, found) : true;
  return { proved: proved && kept, nodes: k.exactNodes() };
}
