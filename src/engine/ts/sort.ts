import { ws } from "./bound.js";

const INSERTION_MAX = 16;

/** Sorts order[0..count) by key descending, ties by index ascending: a total order, so any engine agrees. */
export function sortByKey(count: number): void {
  quicksort(0, count - 1);
}

function before(a: number, b: number): boolean {
  const key = ws.key;
  const ka = key[a];
  const kb = key[b];
  return ka > kb || (ka === kb && a < b);
}

function quicksort(lo0: number, hi0: number): void {
  const order = ws.order;
  let lo = lo0;
  let hi = hi0;
  while (hi - lo > INSERTION_MAX) {
    const mid = lo + ((hi - lo) >> 1);
    // Median of three to the middle, then Hoare partition around it.
    if (before(order[mid], order[lo])) swap(order, lo, mid);
    if (before(order[hi], order[lo])) swap(order, lo, hi);
    if (before(order[hi], order[mid])) swap(order, mid, hi);
    const pivot = order[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(order[i], pivot)) i++;
      while (before(pivot, order[j])) j--;
      if (i <= j) {
        swap(order, i, j);
        i++;
        j--;
      }
    }
    // Recurse into the smaller side so the stack stays logarithmic.
    if (j - lo < hi - i) {
      quicksort(lo, j);
      lo = i;
    } else {
      quicksort(i, hi);
      hi = j;
    }
  }
  for (let a = lo + 1; a <= hi; a++) {
    const v = order[a];
    let b = a - 1;
    while (b >= lo && before(v, order[b])) {
      order[b + 1] = order[b];
      b--;
    }
    order[b + 1] = v;
  }
}

function swap(order: Int32Array, a: number, b: number): void {
  const t = order[a];
  order[a] = order[b];
  order[b] = t;
}
