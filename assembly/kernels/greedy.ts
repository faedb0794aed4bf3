import { kvpr, MEM_EPS } from "./kvpr";
import { leadsSet, placeSet } from "./colocate";
import { peakDem, place, resetToPins, worstGpu } from "./place";
import { sortByKey } from "./sort";
import { clash } from "./topology";
import { N, G, K, dem, size, kvFloor, gFloor, setKey, order, setOrder, assign, grp, cap, gDem, gSize, gKvpr, peakLoad } from "../memory";

/** The classic greedy over all free models; returns the max KVPR, or -1 when a model fits nowhere. */
export function greedy(): f64 {
  resetToPins();
  return complete(BY_DEMAND);
}

/** Orders of `complete`: by (peak) demand, the most first; by memory (weights and KV floor), the most first. */
export const BY_DEMAND: i32 = 0;
export const BY_MEMORY: i32 = 1;

/**
 * Places every unassigned model, by descending (peak) demand or memory (`by`:
 * memory first leaves the large ones the GPUs with room when room is short),
 * on the GPU where its resulting KVPR is lowest (ties: more free memory, then lower index), leaving
 * placed models where they are; a colocated set none of which is placed goes
 * as one (placeSet) when its first member comes. Returns the max KVPR, or -1
 * when a model fits nowhere.
 */
export function complete(by: i32): f64 {
  let count = 0;
  for (let i = 0; i < N; i++) {
    if (assign(i) < 0) {
      setKey(i, by === BY_MEMORY ? size(i) + kvFloor(i) : peakDem(i));
      setOrder(count++, i);
    }
  }
  sortByKey(count);
  for (let k = 0; k < count; k++) {
    const i = order(k);
    if (assign(i) >= 0) continue;
    const grouped = grp(i) >= 0;
    if (grouped && leadsSet(i)) {
      if (placeSet(i, -1) < 0) return -1;
      continue;
    }
    const d = dem(i);
    const s = size(i);
    const f = kvFloor(i);
    let best = -1;
    let bestK = Infinity;
    let bestFree = -Infinity;
    for (let j = 0; j < G; j++) {
      // fits(j, i), written out as in pack.
      const free = cap(j) - gSize(j) - s;
      if (free - gFloor(j) - f < -MEM_EPS || (grouped && clash(i, j, -1))) continue;
      const kj = kvpr(K > 1 ? peakLoad(j, -1, i, Infinity) : gDem(j) + d, free);
      if (best < 0 || kj < bestK || (kj === bestK && free > bestFree)) {
        best = j;
        bestK = kj;
        bestFree = free;
      }
    }
    if (best < 0) return -1;
    place(i, best);
  }
  return gKvpr(worstGpu());
}
