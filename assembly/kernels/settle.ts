import { kvpr, loadAbove, MEM_EPS } from "./kvpr";
import { fits, place, room, unplace } from "./place";
import { clash } from "./topology";
import { N, size, kvFloor, cap, gSize, assign, current, pin, head, next, peakLoad } from "../memory";

/**
 * Never move a model for nothing: returns moved models to their current GPU,
 * alone or by swapping back with a model that came the other way, whenever
 * every GPU involved stays at KVPR ≤ `limit` (and within memory and groups).
 * Repeats until nothing returns; gives the number of models returned.
 */
export function settle(limit: f64): i32 {
  let returned = 0;
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < N; i++) {
      const c = current(i);
      const a = assign(i);
      if (c < 0 || a === c || pin(i) >= 0) continue;
      const s = size(i);
      if (fits(c, i) && !clash(i, c, -1) && kvpr(peakLoad(c, -1, i, loadAbove(limit, cap(c) - gSize(c) - s)), cap(c) - gSize(c) - s) <= limit) {
        unplace(i);
        place(i, c);
        returned++;
        changed = true;
        continue;
      }
      for (let j = head(c); j >= 0; j = next(j)) {
        if (current(j) !== a || pin(j) >= 0) continue;
        const fc = cap(c) - gSize(c) + size(j) - s;
        const fa = cap(a) - gSize(a) + s - size(j);
        const extra = kvFloor(i) - kvFloor(j);
        if (room(c) + size(j) - s - extra < -MEM_EPS || room(a) + s - size(j) + extra < -MEM_EPS) continue;
        if (kvpr(peakLoad(c, j, i, loadAbove(limit, fc)), fc) > limit || kvpr(peakLoad(a, i, j, loadAbove(limit, fa)), fa) > limit) continue;
        if (clash(i, c, j) || clash(j, a, i)) continue;
        unplace(i);
        unplace(j);
        place(i, c);
        place(j, a);
        returned += 2;
        changed = true;
        break;
      }
    }
  }
  return returned;
}
