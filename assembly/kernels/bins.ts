import { G, N, dem, key, order, sDem, setKey, size } from "../memory";
import { sortByKey } from "./sort";

/** Slack on bin counts so rounding never turns a fractional count into one bin too many. */
const COUNT_TOL: f64 = 1e-9;

/**
 * Rounding of a sum of two or three transformed weights and of B = T·C, relative: a few ulps, with room to spare.
 * Small against the margin by which a placement's own bottleneck exceeds a target just below its value (about
 * 1e-12 of the GPU's free memory), so that test still sees the placement's pairs as too heavy.
 */
const SUM_ROUNDING: f64 = 1e-14;

/**
 * A lower bound on how many bins of capacity B hold every model at
 * transformed weight `demandWeight`·d + T·s (d its demand in scenario `s`),
 * one call per test of the packing bound's bisection (a call for the weights,
 * one for the sort and the count in JavaScript cost more than the count
 * itself on small instances): the Martello–Toth L2 bound, and when no three
 * models fit in one bin, the exact count — at most two per bin, the heaviest
 * left shares with the lightest left if the two fit (the classic greedy, optimal
 * for pairs). Leaves the weights in `key` and the models in `order` by weight,
 * heaviest first, when it sorted. With neither a model heavier than B/2 nor
 * pairs only it answers 0, and with more models over B/2 than GPUs their
 * number: the caller asks only whether the count exceeds the GPUs.
 */
export function binsAtLeast(T: f64, demandWeight: f64, s: i32, B: f64): f64 {
  const half = 0.5 * B;
  let big = 0;
  // The three lightest weights: if even they overfill a bin, no bin holds three.
  let w1: f64 = Infinity;
  let w2: f64 = Infinity;
  let w3: f64 = Infinity;
  for (let i = 0; i < N; i++) {
    const w = demandWeight * (s === 0 ? dem(i) : sDem(i, s)) + T * size(i);
    setKey(i, w);
    if (w > half) big++;
    if (w < w3) {
      if (w < w2) {
        w3 = w2;
        if (w < w1) {
          w2 = w1;
          w1 = w;
        } else w2 = w;
      } else w3 = w;
    }
  }
  const three = w1 + w2 + w3;
  const pairsOnly = N < 3 || three > B + SUM_ROUNDING * (three + B);
  if (big > G || (big === 0 && !pairsOnly)) return <f64>big;
  sortByKey(N);
  const l2 = big > 0 ? martelloTothL2(B) : 0;
  return pairsOnly ? Math.max(l2, pairBins(B)) : l2;
}

/** Bins for the models in `order` when at most two share one: the heaviest left takes the lightest left if they fit. */
function pairBins(B: f64): f64 {
  let bins: f64 = 0;
  let light = N - 1;
  for (let heavy = 0; heavy <= light; heavy++) {
    const pair = key(order(heavy)) + key(order(light));
    if (heavy < light && pair <= B + SUM_ROUNDING * (pair + B)) light--;
    bins++;
  }
  return bins;
}

/** L2 = max over α ≤ B/2 of |J1| + |J2| + ⌈(ΣJ3 − (|J2|·B − ΣJ2)) / B⌉⁺ on the weights sorted descending. */
function martelloTothL2(B: f64): f64 {
  let nBig = 0;
  while (nBig < N && key(order(nBig)) > B / 2) nBig++;
  let best: f64 = <f64>nBig;
  // α takes each weight ≤ B/2 in increasing order: J3 (items in [α, B/2]) loses its
  // smallest items while J1 (items > B − α) gains from the largest, both monotonically.
  let j1 = 0;
  let sumBig: f64 = 0;
  for (let r = 0; r < nBig; r++) sumBig += key(order(r));
  let sumJ1: f64 = 0;
  let sum3: f64 = 0;
  for (let r = nBig; r < N; r++) sum3 += key(order(r));
  // Near the largest double, weights can sum to Infinity (or NaN) and inflate the
  // count; only the big items, which pairwise share no bin, are then a sound bound.
  if (!Number.isFinite(sumBig) || !Number.isFinite(sum3)) return <f64>nBig;
  let r3 = N;
  for (let a = N - 1; a >= nBig; a--) {
    const alpha = key(order(a));
    while (r3 > nBig && key(order(r3 - 1)) < alpha) sum3 -= key(order(--r3));
    while (j1 < nBig && key(order(j1)) > B - alpha) sumJ1 += key(order(j1++));
    const n2 = nBig - j1;
    const sum2 = sumBig - sumJ1;
    const extra = Math.max(0, Math.ceil((sum3 - (<f64>n2 * B - sum2)) / B - COUNT_TOL));
    best = Math.max(best, <f64>nBig + extra);
  }
  return best;
}
