import { kvpr, loadAbove, MEM_EPS } from "./kvpr";
import { withinCost } from "./budget";
import { movedCost, movedCount, place, room, unplace } from "./place";
import { breaks, clash } from "./topology";
import {
  G,
  K,
  dem,
  sDem,
  gDem,
  size,
  pin,
  next,
  head,
  cap,
  gSize,
  gKvpr,
  assign,
  scratch,
  setScratch,
  rank,
  setRank,
  rankOf,
  setRankOf,
  current,
  grp,
  gGrouped,
  peakLoad,
  moveCost,
  kvFloor,
  gFloor,
  ENTRIES,
  mModel,
  mNext,
  mLevel,
} from "../memory";

/** Largest union of two GPUs' free models that the pair re-partition enumerates (2^k splits). */
const PAIR_MAX = 12;
/** A step must lower the bottleneck by this relative margin, so rounding can never cycle. */
const MARGIN: f64 = 1e-12;

/** Whether GPU b holds a model that is not pinned. */
function holdsFree(b: i32): bool {
  for (let i = head(b); i >= 0; i = next(i)) if (pin(i) < 0) return true;
  return false;
}

/** Change in the number of moved models when model i goes from GPU `from` to GPU `to`. */
function movedDelta(i: i32, from: i32, to: i32): i32 {
  const c = current(i);
  if (c < 0) return 0;
  return (to !== c ? 1 : 0) - (from !== c ? 1 : 0);
}

/** Change in the move cost when model i goes from GPU `from` to GPU `to`. */
function costDelta(i: i32, from: i32, to: i32): f64 {
  return <f64>movedDelta(i, from, to) * moveCost(i);
}

/**
 * Local search on the bottleneck GPU b (KVPR M), until no step lowers it or
 * `maxSteps` steps are taken. A step is accepted when every GPU it touches ends
 * below M, so the number of GPUs at M falls and the search terminates.
 * Partners are tried from the least loaded GPU up; on the first that admits a
 * step, the best of these is taken:
 *  - move: a model of b to the partner (donating to the least loaded, and
 *    evicting zero-demand models to free b's memory, are such moves);
 *  - swap: a model of b with a model of the partner.
 * When no partner admits one, the free models of b and the next-worst GPU are
 * split anew, trying every split (the 2-opt between the two worst GPUs).
 * Every step keeps spread groups apart, and at most `maxMoved` models, of
 * move cost at most `maxCost` in all, off their current GPU.
 */
export function improve(maxSteps: i32, maxMoved: f64, maxCost: f64): i32 {
  rankGpus();
  let steps = 0;
  while (steps < maxSteps) {
    const b = rank(G - 1);
    const M = gKvpr(b);
    // A bottleneck of pinned models only cannot be lowered: every step moves a free model of it.
    if (M <= 0 || !holdsFree(b)) break;
    // An infinite bottleneck (full or overfull) is beaten by any finite value.
    const limit = M < Infinity ? M - M * MARGIN : Number.MAX_VALUE;
    let partner = -1;
    for (let r = 0; r < G - 1 && partner < 0; r++) {
      if (stepWith(b, rank(r), limit, maxMoved, maxCost)) partner = rank(r);
    }
    if (partner < 0 && G > 1 && pairSplit(b, rank(G - 2), limit, maxMoved, maxCost)) partner = rank(G - 2);
    if (partner < 0) break;
    rerankPair(b, partner);
    steps++;
  }
  return steps;
}

/** The best move or swap between bottleneck b and GPU h that ends both below `limit`; applied if found. */
function stepWith(b: i32, h: i32, limit: f64, budget: f64, costBudget: f64): bool {
  let bestVal = limit;
  let bestI = -1;
  let bestJ = -1;
  const freeB = cap(b) - gSize(b);
  const freeH = cap(h) - gSize(h);
  const roomB = room(b);
  const roomH = room(h);
  const moved = movedCount();
  const multi = K > 1;
  const spent = movedCost();
  for (let i = head(b); i >= 0; i = next(i)) {
    if (pin(i) >= 0) continue;
    const di = dem(i);
    const si = size(i);
    const ri = si + kvFloor(i);
    const away = movedDelta(i, b, h);
    const awayCost = spent + costDelta(i, b, h);
    if (roomH - ri >= -MEM_EPS && <f64>(moved + away) <= budget && withinCost(awayCost, costBudget) && !clash(i, h, -1)) {
      let v = Math.max(kvpr(gDem(b) - di, freeB + si), kvpr(gDem(h) + di, freeH - si));
      // With scenarios, a step that scenario 0 admits is judged on the peaks (never below scenario 0's loads).
      if (multi && v < bestVal) v = peakValue(b, h, i, -1, freeB + si, freeH - si, bestVal);
      if (v < bestVal) {
        bestVal = v;
        bestI = i;
        bestJ = -1;
      }
    }
    for (let j = head(h); j >= 0; j = next(j)) {
      if (pin(j) >= 0) continue;
      const dj = dem(j);
      const sj = size(j);
      const rj = sj + kvFloor(j);
      const fb = freeB + si - sj;
      const fh = freeH + sj - si;
      if (roomB + ri - rj < -MEM_EPS || roomH + rj - ri < -MEM_EPS) continue;
      // One side at a time: most swaps leave the bottleneck at or above the best, and each side is a division.
      const kb = kvpr(gDem(b) - di + dj, fb);
      if (!(kb < bestVal)) continue;
      let v = Math.max(kb, kvpr(gDem(h) - dj + di, fh));
      if (multi && v < bestVal) v = peakValue(b, h, i, j, fb, fh, bestVal);
      if (
        v < bestVal &&
        <f64>(moved + away + movedDelta(j, h, b)) <= budget &&
        withinCost(awayCost + costDelta(j, h, b), costBudget) &&
        !clash(i, h, j) &&
        !clash(j, b, i)
      ) {
        bestVal = v;
        bestI = i;
        bestJ = j;
      }
    }
  }
  if (bestI < 0) return false;
  unplace(bestI);
  if (bestJ >= 0) {
    unplace(bestJ);
    place(bestJ, b);
  }
  place(bestI, h);
  return true;
}

/**
 * The larger KVPR, in the busiest scenario of each, of GPUs b and h once model
 * i goes from b to h and model j (-1: none) from h to b, with `fb` and `fh` GB
 * left; past `bestVal` it may stop (the step is then refused anyway). Kept out
 * of stepWith's loop, which then compiles as it does without scenarios.
 */
function peakValue(b: i32, h: i32, i: i32, j: i32, fb: f64, fh: f64, bestVal: f64): f64 {
  const kb = kvpr(peakLoad(b, i, j, loadAbove(bestVal, fb)), fb);
  if (!(kb < bestVal)) return kb;
  return Math.max(kb, kvpr(peakLoad(h, j, i, loadAbove(bestVal, fh)), fh));
}

/** Tries every split of the free models of GPUs a and c; applies the best if it ends below `limit`. */
function pairSplit(a: i32, c: i32, limit: f64, budget: f64, costBudget: f64): bool {
  const grouped = gGrouped(a) + gGrouped(c) > 0;
  let k = 0;
  let dA: f64 = 0;
  let sA: f64 = 0;
  // Floors as kept (spare and floors of every model, infinite on a lost GPU), less the free models', added back by side.
  let fA: f64 = gFloor(a);
  let dC: f64 = 0;
  let sC: f64 = 0;
  let fC: f64 = gFloor(c);
  for (let i = head(a); i >= 0; i = next(i)) {
    if (pin(i) >= 0) {
      dA += dem(i);
      sA += size(i);
    } else if (k < PAIR_MAX) {
      setScratch(k++, i);
      fA -= kvFloor(i);
    } else return false;
  }
  for (let i = head(c); i >= 0; i = next(i)) {
    if (pin(i) >= 0) {
      dC += dem(i);
      sC += size(i);
    } else if (k < PAIR_MAX) {
      setScratch(k++, i);
      fC -= kvFloor(i);
    } else return false;
  }
  let bestVal = limit;
  let bestMask = -1;
  const masks = 1 << k;
  const room = budget - <f64>movedCount();
  const spent = movedCost();
  for (let mask = 0; mask < masks; mask++) {
    let da = dA;
    let sa = sA;
    let fa = fA;
    let dc = dC;
    let sc = sC;
    let fc = fC;
    let away = 0;
    let awayCost = spent;
    for (let t = 0; t < k; t++) {
      const i = scratch(t);
      const side = (mask >> t) & 1 ? a : c;
      if (side === a) {
        da += dem(i);
        sa += size(i);
        fa += kvFloor(i);
      } else {
        dc += dem(i);
        sc += size(i);
        fc += kvFloor(i);
      }
      away += movedDelta(i, assign(i), side);
      awayCost += costDelta(i, assign(i), side);
    }
    if (sa + fa > cap(a) + MEM_EPS || sc + fc > cap(c) + MEM_EPS || <f64>away > room || !withinCost(awayCost, costBudget)) continue;
    if (grouped && splitClashes(a, c, k, mask)) continue;
    const peakA = K > 1 ? Math.max(da, splitPeak(a, k, mask, 1)) : da;
    const peakC = K > 1 ? Math.max(dc, splitPeak(c, k, mask, 0)) : dc;
    const v = Math.max(kvpr(peakA, cap(a) - sa), kvpr(peakC, cap(c) - sc));
    if (v < bestVal) {
      bestVal = v;
      bestMask = mask;
    }
  }
  if (bestMask < 0) return false;
  for (let t = 0; t < k; t++) {
    const i = scratch(t);
    const to = (bestMask >> t) & 1 ? a : c;
    if (assign(i) !== to) {
      unplace(i);
      place(i, to);
    }
  }
  return true;
}

/**
 * GPU `side`'s demand in its busiest scenario other than scenario 0 under a
 * split: its pinned models and the scratch models whose bit is `bit`
 * (-Infinity without other scenarios).
 */
function splitPeak(side: i32, k: i32, mask: i32, bit: i32): f64 {
  let peak: f64 = -Infinity;
  for (let s = 1; s < K; s++) {
    let load: f64 = 0;
    for (let i = head(side); i >= 0; i = next(i)) if (pin(i) >= 0) load += sDem(i, s);
    for (let t = 0; t < k; t++) if (((mask >> t) & 1) === bit) load += sDem(scratch(t), s);
    peak = Math.max(peak, load);
  }
  return peak;
}

/**
 * Whether a split (bit t of `mask` set: scratch[t] on GPU a, else on c)
 * breaks a group of a model it moves: each member is where the split puts it
 * if it is in the split, else where it is.
 */
function splitClashes(a: i32, c: i32, k: i32, mask: i32): bool {
  for (let t = 0; t < k; t++) {
    const i = scratch(t);
    const h = (mask >> t) & 1 ? a : c;
    for (let e = grp(i); e >= 0 && e < ENTRIES && mModel(e) === i; e++) {
      const level = mLevel(e);
      for (let f = mNext(e); f !== e; f = mNext(f)) {
        const j = mModel(f);
        const at = splitGpu(j, a, c, k, mask);
        if (at >= 0 && breaks(i, h, j, at, level)) return true;
      }
    }
  }
  return false;
}

/** Where model j is under a split of a's and c's free models: its side if it is one of them, else its GPU. */
function splitGpu(j: i32, a: i32, c: i32, k: i32, mask: i32): i32 {
  for (let t = 0; t < k; t++) if (scratch(t) === j) return (mask >> t) & 1 ? a : c;
  return assign(j);
}

/** Whether GPU a ranks before GPU c: lower KVPR, then lower index. */
function ranksBefore(a: i32, c: i32): bool {
  const ka = gKvpr(a);
  const kc = gKvpr(c);
  return ka < kc || (ka === kc && a < c);
}

/**
 * Orders all GPUs by KVPR, by insertion from the previous ranking when there
 * is one: between calls (time slices, rounds) few GPUs change, so this is
 * near O(g); any starting permutation ends in the same total order.
 */
function rankGpus(): void {
  let valid = true;
  for (let r = 0; r < G && valid; r++) valid = rank(r) >= 0 && rank(r) < G && rankOf(rank(r)) === r;
  if (!valid) for (let r = 0; r < G; r++) setRank(r, r);
  for (let r = 1; r < G; r++) {
    const j = rank(r);
    let p = r - 1;
    while (p >= 0 && ranksBefore(j, rank(p))) {
      setRank(p + 1, rank(p));
      p--;
    }
    setRank(p + 1, j);
  }
  for (let r = 0; r < G; r++) setRankOf(rank(r), r);
}

/**
 * Re-sorts the ranking after a step changed the KVPR of GPUs a and c. GPU a
 * is inserted passing over c, whose place is stale, then c: an insertion that
 * stopped at the other's stale place could stop short of its own, and the
 * ranking would then depend on how the search was sliced.
 */
function rerankPair(a: i32, c: i32): void {
  rerank(a, c);
  rerank(c, -1);
}

/** Moves GPU j to its place in the ranking after its KVPR changed, passing over GPU `stale` (-1: none). */
function rerank(j: i32, stale: i32): void {
  let r = rankOf(j);
  while (r > 0 && (rank(r - 1) === stale || ranksBefore(j, rank(r - 1)))) {
    setRank(r, rank(r - 1));
    setRankOf(rank(r), r);
    r--;
  }
  while (r < G - 1 && (rank(r + 1) === stale || ranksBefore(rank(r + 1), j))) {
    setRank(r, rank(r + 1));
    setRankOf(rank(r), r);
    r++;
  }
  setRank(r, j);
  setRankOf(j, r);
}
