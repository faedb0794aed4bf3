import { kvpr } from "../../kvpr.js";
import { ws } from "./bound.js";
import { clash, fits, place, resetToPins, worstGpu } from "./place.js";
import { sortByKey } from "./sort.js";

/** The classic greedy over all free models; returns the max KVPR, or -1 when a model fits nowhere. */
export function greedy(): number {
  resetToPins();
  return complete();
}

/**
 * Places every unassigned model, by descending demand, on the GPU where its
 * resulting KVPR is lowest (ties: more free memory, then lower index), leaving
 * placed models where they are. Returns the max KVPR, or -1 when a model fits nowhere.
 */
export function complete(): number {
  const { n, g, dem, size, key, order, assign, cap, gDem, gSize } = ws;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (assign[i] < 0) {
      key[i] = dem[i];
      order[count++] = i;
    }
  }
  sortByKey(count);
  for (let k = 0; k < count; k++) {
    const i = order[k];
    const d = dem[i];
    const s = size[i];
    const grouped = ws.grp[i] >= 0;
    let best = -1;
    let bestK = Infinity;
    let bestFree = -Infinity;
    for (let j = 0; j < g; j++) {
      if (!fits(j, s) || (grouped && clash(i, j, -1))) continue;
      const free = cap[j] - gSize[j] - s;
      const kj = kvpr(gDem[j] + d, free);
      if (best < 0 || kj < bestK || (kj === bestK && free > bestFree)) {
        best = j;
        bestK = kj;
        bestFree = free;
      }
    }
    if (best < 0) return -1;
    place(i, best);
  }
  return ws.gKvpr[worstGpu()];
}
