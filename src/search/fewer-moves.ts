import type { Instance } from "../input/instance.js";
import type { Incumbent } from "./incumbent.js";

/**
 * Moves come second to the max KVPR. GPUs of equal memory and without pins
 * are interchangeable, so the best placement's GPUs are first renamed to
 * match where their models run now (pairs sharing the most models first);
 * then every model that need not have moved is sent back.
 */
export function fewerMoves(inc: Incumbent, inst: Instance): void {
  if (!Number.isFinite(inc.value)) return;
  inc.adopt(relabel(inst, inc.assign), inc.value);
  inc.settle();
}

/** The assignment with its pin-free GPUs renamed to keep the most models where they are. */
function relabel(inst: Instance, assign: readonly number[]): number[] {
  const { n, g, cap, pin, current } = inst;
  const fixed = new Uint8Array(g);
  for (let i = 0; i < n; i++) if ((pin[i] as number) >= 0) fixed[pin[i] as number] = 1;
  const stay = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const from = current[i] as number;
    const to = assign[i] as number;
    if (from < 0 || fixed[to] || fixed[from] || cap[from] !== cap[to]) continue;
    const key = to * g + from;
    stay.set(key, (stay.get(key) ?? 0) + 1);
  }
  const pairs = [...stay].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const name = new Int32Array(g).fill(-1);
  const taken = new Uint8Array(g);
  for (const [key] of pairs) {
    const to = Math.floor(key / g);
    const from = key % g;
    if (name[to] >= 0 || taken[from]) continue;
    name[to] = from;
    taken[from] = 1;
  }
  // Unmatched GPUs keep their names where free, else take the free ones of their size in order.
  for (let j = 0; j < g; j++) {
    if (name[j] >= 0 || fixed[j]) continue;
    if (!taken[j]) {
      name[j] = j;
      taken[j] = 1;
    }
  }
  for (let j = 0; j < g; j++) {
    if (name[j] >= 0) continue;
    if (fixed[j]) {
      name[j] = j;
      continue;
    }
    let k = 0;
    while (taken[k] || fixed[k] || cap[k] !== cap[j]) k++;
    name[j] = k;
    taken[k] = 1;
  }
  return assign.map((j) => name[j] as number);
}
