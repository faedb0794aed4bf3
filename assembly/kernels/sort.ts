import { key, order, setOrder } from "../memory";

const INSERTION_MAX = 16;

/** Sorts order[0..count) by key descending, ties by index ascending: a total order, so any engine agrees. */
export function sortByKey(count: i32): void {
  // Callers often sort what is already in order (the packing bound's weights barely move between its tests):
  // one pass finds that. The order is total, so it is the same whichever way it is reached.
  let a = 1;
  while (a < count && !before(order(a), order(a - 1))) a++;
  if (a < count) quicksort(0, count - 1);
}

function before(a: i32, b: i32): bool {
  const ka = key(a);
  const kb = key(b);
  return ka > kb || (ka === kb && a < b);
}

function quicksort(lo0: i32, hi0: i32): void {
  let lo = lo0;
  let hi = hi0;
  while (hi - lo > INSERTION_MAX) {
    const mid = lo + ((hi - lo) >> 1);
    // Median of three to the middle, then Hoare partition around it.
    if (before(order(mid), order(lo))) swap(lo, mid);
    if (before(order(hi), order(lo))) swap(lo, hi);
    if (before(order(hi), order(mid))) swap(mid, hi);
    const pivot = order(mid);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(order(i), pivot)) i++;
      while (before(pivot, order(j))) j--;
      if (i <= j) {
        swap(i, j);
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
    const v = order(a);
    let b = a - 1;
    while (b >= lo && before(v, order(b))) {
      setOrder(b + 1, order(b));
      b--;
    }
    setOrder(b + 1, v);
  }
}

function swap(a: i32, b: i32): void {
  const t = order(a);
  setOrder(a, order(b));
  setOrder(b, t);
}
