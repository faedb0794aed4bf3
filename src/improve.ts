import type { Incumbent } from "./incumbent.js";

/** The local search runs to a local optimum; this only guards against pathological inputs. */
const MAX_STEPS = 1 << 30;

function maxKvpr(gKvpr: Float64Array): number {
  let m = 0;
  for (let j = 0; j < gKvpr.length; j++) if ((gKvpr[j] as number) > m) m = gKvpr[j] as number;
  return m;
}

/**
 * Improvement: local search from the best placement, then `rounds` of iterated
 * local search — a few random moves or swaps (half of them off the bottleneck),
 * local search again, keep what is better — with `random` seeded by the caller.
 */
export function improve(inc: Incumbent, rounds: number, random: () => number): void {
  const { kernels: k, ws } = inc;
  if (inc.proven || !Number.isFinite(inc.value)) return;
  inc.restore();
  k.improve(MAX_STEPS);
  inc.offer(maxKvpr(ws.gKvpr));
  const free: number[] = [];
  for (let i = 0; i < ws.n; i++) if ((ws.pin[i] as number) < 0) free.push(i);
  if (free.length < 2 || ws.g < 2) return;
  const used = new Float64Array(ws.g);
  for (let r = 0; r < rounds && !inc.proven && !inc.outOfTime; r++) {
    inc.restore();
    used.set(ws.gSize);
    const kicks = 1 + Math.floor(random() * 3);
    for (let t = 0; t < kicks; t++) kick(inc, free, used, random);
    k.rebuild();
    k.improve(MAX_STEPS);
    inc.offer(maxKvpr(ws.gKvpr));
  }
}

/** One random move (or, when memory forbids it, swap) of a free model, on `assign` only. */
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
