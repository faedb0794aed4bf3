import type { Instance } from "../input/instance.js";
import { MEM_EPS } from "../kvpr.js";
import type { Move } from "../types.js";

/**
 * The models that leave their current GPU, ordered so that each step, applied
 * one at a time from the current placement, keeps its target within memory.
 * When only cycles remain (every target is full until another model leaves
 * it), the first remaining model is unloaded into a temporary slot at that
 * step (`staged`) and loaded on its target after all other steps; the final
 * placement fits, so that last load does too. Models without a current GPU
 * are new: they are loaded last and are not moves. A pinned model whose pin is
 * not its current GPU is a move like any other, as in `maxMoves` and `evaluate`.
 */
/** Total move cost of the models an assignment takes off their current GPU, in input order. */
export function moveCostOf(inst: Instance, assignment: ArrayLike<number>): number {
  let cost = 0;
  for (let i = 0; i < inst.n; i++) {
    const from = inst.current[i] as number;
    if (from >= 0 && assignment[i] !== from) cost += inst.moveCost[i] as number;
  }
  return cost;
}

export function planMoves(inst: Instance, assignment: ArrayLike<number>): Move[] {
  const used = new Float64Array(inst.g);
  const pending: number[] = [];
  for (let i = 0; i < inst.n; i++) {
    const from = inst.current[i] as number;
    if (from < 0) continue;
    used[from] = (used[from] as number) + (inst.size[i] as number);
    if (assignment[i] !== from) pending.push(i);
  }
  const moves: Move[] = [];
  while (pending.length > 0) {
    let k = pending.findIndex(
      (i) => (used[assignment[i] as number] as number) + (inst.size[i] as number) <= (inst.cap[assignment[i] as number] as number) + MEM_EPS,
    );
    const staged = k < 0;
    if (staged) k = 0;
    const i = pending.splice(k, 1)[0] as number;
    const from = inst.current[i] as number;
    const to = assignment[i] as number;
    used[from] = (used[from] as number) - (inst.size[i] as number);
    if (!staged) used[to] = (used[to] as number) + (inst.size[i] as number);
    moves.push(staged ? { model: i, from, to, staged: true } : { model: i, from, to });
  }
  return moves;
}
