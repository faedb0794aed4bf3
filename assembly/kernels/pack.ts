import { kvpr, MEM_EPS } from "./kvpr";
import { leadsSet, placeSet } from "./colocate";
import { fits, peakDem, place, resetToPins, worstGpu } from "./place";
import { sortByKey } from "./sort";
import { clash, colocateEntry } from "./topology";
import {
  N,
  G,
  K,
  dem,
  size,
  kvFloor,
  key,
  setKey,
  mModel,
  mNext,
  order,
  setOrder,
  pin,
  grp,
  assign,
  cap,
  gDem,
  gSize,
  gFloor,
  gKvpr,
  peakLoad,
} from "../memory";

/**
 * Best-Fit-Decreasing at target T in transformed space: item weight d + T·s,
 * GPU capacity T·C, so "fits" means the GPU's KVPR stays at most T. When an
 * item fits nowhere, T was too low for what remains: raise it to the least
 * value that admits the item and go on, so every pack ends in a placement.
 * Returns the max KVPR reached, or -1 when an item has no GPU with memory left.
 * With demand scenarios an item fits when it fits in every scenario, that is
 * when the GPU's peak load over the scenarios does; orderings use peak demand.
 * Memory counts KV floors and spares; a colocated set goes as one (placeSet)
 * when its first member comes, raising T as far as it must.
 */
export function pack(target: f64, ordering: i32, policy: i32): f64 {
  let T = target;
  resetToPins();
  let capMax: f64 = 0;
  let capSum: f64 = 0;
  let sizeSum: f64 = 0;
  for (let j = 0; j < G; j++) {
    capMax = Math.max(capMax, cap(j));
    capSum += cap(j);
  }
  let count = 0;
  for (let i = 0; i < N; i++) {
    sizeSum += size(i);
    if (pin(i) >= 0) continue;
    setKey(i, orderingKey(peakDem(i), size(i), T, capMax, ordering));
    setOrder(count++, i);
  }
  // By weight, a colocated set sorts as the one item it is packed as: each member by the sum of the set's
  // weights (sets, the hardest items, first). The other orderings keep the members' own keys, which place
  // small sets among the models and balance better when memory is plentiful.
  if (ordering === 0) {
    for (let k = 0; k < count; k++) {
      const i = order(k);
      const e = grp(i) >= 0 ? colocateEntry(i) : -1;
      if (e < 0) continue;
      let sum = key(i);
      for (let f = mNext(e); f !== e; f = mNext(f)) sum += orderingKey(peakDem(mModel(f)), size(mModel(f)), T, capMax, 0);
      setKey(i, sum);
    }
  }
  sortByKey(count);
  // Hybrid: memory use off the pool's average fill costs as much, per GB over capMax, as T/4 of KVPR.
  const memTarget = sizeSum / capSum;
  const balance = (0.25 * T) / capMax;
  let curMax = gKvpr(worstGpu());
  const multi = K > 1;

  for (let k = 0; k < count; k++) {
    const i = order(k);
    if (assign(i) >= 0) continue;
    const grouped = grp(i) >= 0;
    if (grouped && leadsSet(i)) {
      const reached = placeSet(i, T);
      if (reached < 0) return -1;
      T = Math.max(T, reached);
      curMax = Math.max(curMax, reached);
      continue;
    }
    const d = dem(i);
    const s = size(i);
    const f = kvFloor(i);
    let best = -1;
    let bestScore = Infinity;
    let bestTie = Infinity;
    for (let j = 0; j < G; j++) {
      // Multiplications, not KVPR divisions, decide fit: this loop is the hot one.
      const free = cap(j) - gSize(j) - s;
      if (free - gFloor(j) - f < -MEM_EPS) continue;
      // With scenarios, the peak; past T·free the item does not fit, so the scan over them may stop there.
      const load = multi ? peakLoad(j, -1, i, free > MEM_EPS ? T * free : Infinity) : gDem(j) + d;
      const slack = T * free - load;
      if (load > 0 && (slack < 0 || free <= MEM_EPS)) continue;
      if (grouped && clash(i, j, -1)) continue;
      let score = slack;
      let tie: f64 = 0;
      if (policy === 1) {
        // Below the running max every fit scores curMax; above it, divide only for a contender.
        if (load <= curMax * free) score = curMax;
        else if (load > bestScore * free) continue;
        else score = load / free;
        tie = slack;
      } else if (policy === 2) {
        const kj = kvpr(load, free);
        score = Math.max(curMax, kj) + 0.5 * kj + balance * Math.abs(gSize(j) + s - memTarget * cap(j));
        tie = slack;
      }
      if (score < bestScore || (score === bestScore && tie < bestTie)) {
        best = j;
        bestScore = score;
        bestTie = tie;
      }
    }
    if (best < 0) {
      let bestK = Infinity;
      for (let j = 0; j < G; j++) {
        if (!fits(j, i) || clash(i, j, -1)) continue;
        const kj = kvpr(peakLoad(j, -1, i, Infinity), cap(j) - gSize(j) - s);
        if (best < 0 || kj < bestK) {
          best = j;
          bestK = kj;
        }
      }
      if (best < 0 || bestK === Infinity) return -1;
      T = bestK;
    }
    place(i, best);
    curMax = Math.max(curMax, gKvpr(best));
  }
  return curMax;
}

/** Sort key of a model: transformed weight, its own pressure on the largest GPU, or demand per GB. */
function orderingKey(d: f64, s: f64, T: f64, capMax: f64, ordering: i32): f64 {
  if (ordering === 0) return d + T * s;
  if (ordering === 1) return kvpr(d, capMax - s);
  if (s > 0) return d / s;
  return d > 0 ? Infinity : 0;
}
