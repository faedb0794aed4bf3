/**
 * Every subset of `weights` whose computed sum lies in [lo, hi], each once, as
 * the indices it holds. Meet in the middle: the 2^(n/2) subset sums of each
 * half, in order, met by two pointers; a left sum's partners are a run of the
 * sorted right sums, and the run only moves down as the left sum grows. The
 * caller keeps n small (2^(n/2) sums per half) and widens the window by the
 * rounding of the sums it cares about.
 */
export function* subsetsIn(weights: Float64Array, lo: number, hi: number): Generator<number[]> {
  const n = weights.length;
  const half = n >> 1;
  const left = sortedSums(weights, 0, half);
  const right = sortedSums(weights, half, n);
  const rightSums = right.sums;
  let top = rightSums.length - 1;
  let bottom = top;
  for (let a = 0; a < left.sums.length; a++) {
    const sum = left.sums[a] as number;
    while (top >= 0 && sum + (rightSums[top] as number) > hi) top--;
    if (top < 0) return;
    bottom = Math.min(bottom, top);
    while (bottom > 0 && sum + (rightSums[bottom - 1] as number) >= lo) bottom--;
    for (let r = top; r >= bottom && sum + (rightSums[r] as number) >= lo; r--) {
      yield members(half, n, left.subsets[a] as number, right.subsets[r] as number);
    }
  }
}

/**
 * Sums of every subset of weights[start..end) in increasing order, with the
 * subsets (bit t: item start + t): each item merges the sorted sums so far
 * with the same sums plus it, so sorting costs no more than listing.
 */
function sortedSums(weights: Float64Array, start: number, end: number): { sums: Float64Array; subsets: Int32Array } {
  const count = 1 << (end - start);
  let sums = new Float64Array(count);
  let subsets = new Int32Array(count);
  let nextSums = new Float64Array(count);
  let nextSubsets = new Int32Array(count);
  let size = 1;
  for (let t = 0; t < end - start; t++) {
    const w = weights[start + t] as number;
    const bit = 1 << t;
    let [x, y, k] = [0, 0, 0];
    while (x < size || y < size) {
      const withIt = y < size ? (sums[y] as number) + w : Infinity;
      if (x < size && (sums[x] as number) <= withIt) {
        nextSums[k] = sums[x] as number;
        nextSubsets[k++] = subsets[x++] as number;
      } else {
        nextSums[k] = withIt;
        nextSubsets[k++] = (subsets[y++] as number) | bit;
      }
    }
    [sums, nextSums] = [nextSums, sums];
    [subsets, nextSubsets] = [nextSubsets, subsets];
    size *= 2;
  }
  return { sums, subsets };
}

/** The indices of left subset `a` and right subset `b` (the right half starting at `half`). */
function members(half: number, n: number, a: number, b: number): number[] {
  const list: number[] = [];
  for (let t = 0; t < half; t++) if ((a >> t) & 1) list.push(t);
  for (let t = half; t < n; t++) if ((b >> (t - half)) & 1) list.push(t);
  return list;
}
