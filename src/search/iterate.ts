import type { Incumbent } from "./incumbent.js";

/**
 * Iterated local search: `rounds` times, from the best placement, a few random
 * moves or swaps of free models, then the local search again; the best is kept.
 * `random` is seeded by the caller, so a seed replays the same rounds.
 */
export function iterate(inc: Incumbent, rounds: number, random: () => number): void {
  const { ws } = inc;
  const free: number[] = [];
  for (let i = 0; i < ws.n; i++) if ((ws.pin[i] as number) < 0) free.push(i);
  if (free.length < 2 || ws.g < 2 || !Number.isFinite(inc.value)) return;
  const used = new Float64Array(ws.g);
  for (let r = 0; r < rounds && !inc.proven && !inc.outOfTime; r++) {
    inc.restore();
    used.set(ws.gSize);
    const kicks = 1 + Math.floor(random() * 3);
    for (let t = 0; t < kicks; t++) kick(inc, free, used, random);
    inc.kernels.rebuild();
    inc.offerLocalOptimum();
  }
}

/** One random move of a free model, or a random swap when memory forbids the move; on `assign` only. */
function kick(inc: Incumbent, free: number[], used: Float64Array, random: () => number): void {
  const { ws } = inc;
  const pick = () => free[Math.floor(random() * free.length)] as number;
  const i = pick();
  const from = ws.assign[i] as number;
  let to = Math.floor(random() * (ws.g - 1));
  if (to >= from) to++;
  const si = ws.size[i] as number;
  if ((used[to] as number) + si <= (ws.cap[to] as number)) {
    ws.assign[i] = to;
    used[from] = (used[from] as number) - si;
    used[to] = (used[to] as number) + si;
    return;
  }
  const j = pick();
  const other = ws.assign[j] as number;
  const sj = ws.size[j] as number;
  if (other === from) return;
  if ((used[from] as number) - si + sj <= (ws.cap[from] as number) && (used[other] as number) - sj + si <= (ws.cap[other] as number)) {
    ws.assign[i] = other;
    ws.assign[j] = from;
    used[from] = (used[from] as number) - si + sj;
    used[other] = (used[other] as number) - sj + si;
  }
}
