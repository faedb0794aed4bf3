/**
 * Rounding of a sum of at most 60 non-negative doubles, relative to the sum: (60 − 1)·2⁻⁵³ ≈ 6.6e-15, doubled.
 * A window widened by this never misses a subset whose exact sum lies in it.
 */
const SUM_ROUNDING = 1.4e-14;

/**
 * A subset of `weights` (non-negative, at most 60 of them) whose sum lies in
 * [lo, hi], as a 0/1 flag per weight; undefined when none does — a proof, since
 * the window is widened by the rounding of the sums. Meet in the middle: the
 * 2^(n/2) subset sums of each half, sorted, met by two pointers; the caller
 * keeps n small (2^(n/2) doubles per half).
 */
export function subsetSumIn(weights: Float64Array, lo: number, hi: number): Uint8Array | undefined {
  const n = weights.length;
  let total = 0;
  for (const w of weights) total += w;
  const slack = SUM_ROUNDING * (total + Math.abs(lo) + Math.abs(hi));
  const [from, to] = [lo - slack, hi + slack];
  if (to < 0 || from > total) return undefined;
  const half = n >> 1;
  const left = subsetSums(weights, 0, half);
  const right = subsetSums(weights, half, n);
  const leftSorted = left.slice().sort();
  const rightSorted = right.slice().sort();
  // For each left sum in increasing order, the right sums that complete it into the window lie in a range that only falls.
  let r = rightSorted.length - 1;
  for (const a of leftSorted) {
    while (r >= 0 && a + (rightSorted[r] as number) > to) r--;
    if (r < 0) return undefined;
    const b = rightSorted[r] as number;
    if (a + b >= from) return flags(weights, half, left.indexOf(a), right.indexOf(b));
  }
  return undefined;
}

/** Sums of every subset of weights[start..end), subset k holding item start + t when bit t of k is set. */
function subsetSums(weights: Float64Array, start: number, end: number): Float64Array {
  const sums = new Float64Array(1 << (end - start));
  for (let t = 0; t < end - start; t++) {
    const w = weights[start + t] as number;
    const size = 1 << t;
    for (let k = 0; k < size; k++) sums[size + k] = (sums[k] as number) + w;
  }
  return sums;
}

/** The flags of the left subset `a` and the right subset `b` (the right half starting at `half`). */
function flags(weights: Float64Array, half: number, a: number, b: number): Uint8Array {
  const chosen = new Uint8Array(weights.length);
  for (let t = 0; t < half; t++) chosen[t] = (a >> t) & 1;
  for (let t = half; t < weights.length; t++) chosen[t] = (b >> (t - half)) & 1;
  return chosen;
}
