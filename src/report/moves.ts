import { LEVEL_COLOCATE } from "../engine/ts/kernels/topology.js";
import { anyRunning, type Instance } from "../input/instance.js";
import { breaksGroup, groupMembers } from "../input/topology.js";
import { MEM_EPS } from "../kvpr.js";
import type { Move } from "../types.js";

/** Total move cost of the models an assignment takes off their current GPU, in input order. */
export function moveCostOf(inst: Instance, assignment: ArrayLike<number>): number {
  let cost = 0;
  for (let i = 0; i < inst.n; i++) {
    const from = inst.current[i] as number;
    if (from >= 0 && assignment[i] !== from) cost += inst.moveCost[i] as number;
  }
  return cost;
}

/**
 * The models that leave their current GPU, ordered so that each step, applied
 * one at a time from the current placement, keeps its target within memory
 * (weights and KV floors) and puts no two units of a spread group in one GPU,
 * node or zone; the models of a colocated set that changes nodes move in
 * consecutive steps. When only cycles remain (every target is full, or holds
 * a group-mate, until another model leaves), the first remaining model is
 * unloaded into a temporary slot at that step (`staged`) and loaded on its
 * target after all other steps; the final placement is valid, so that last
 * load is too. Models without a current GPU are new: they are loaded last and
 * are not moves. A pinned model whose pin is not its current GPU is a move
 * like any other, as in `maxMoves` and `evaluate`.
 */
export function planMoves(inst: Instance, assignment: ArrayLike<number>): Move[] {
  if (!anyRunning(inst)) return [];
  const used = new Float64Array(inst.g);
  const at = new Int32Array(inst.n).fill(-1);
  const pending: number[] = [];
  for (let i = 0; i < inst.n; i++) {
    const from = inst.current[i] as number;
    if (from < 0) continue;
    at[i] = from;
    used[from] = (used[from] as number) + (inst.size[i] as number) + (inst.floor[i] as number);
    if (assignment[i] !== from) pending.push(i);
  }
  const apart = inst.groupLevel.length > 0 ? spreadCheck(inst, at) : () => true;
  const ready = (i: number) => {
    const to = assignment[i] as number;
    return (used[to] as number) + (inst.size[i] as number) + (inst.floor[i] as number) <= (inst.cap[to] as number) + MEM_EPS && apart(i, to);
  };
  const moves: Move[] = [];
  let set = -1;
  while (pending.length > 0) {
    // The rest of a colocated set on the move first, so that it is split for as few steps as can be.
    let k = set >= 0 ? pending.findIndex((i) => inst.colocated[i] === set && ready(i)) : -1;
    if (k < 0) k = pending.findIndex(ready);
    const staged = k < 0;
    if (staged) k = 0;
    const i = pending.splice(k, 1)[0] as number;
    const from = inst.current[i] as number;
    const to = assignment[i] as number;
    const room = (inst.size[i] as number) + (inst.floor[i] as number);
    used[from] = (used[from] as number) - room;
    at[i] = staged ? -1 : to;
    if (!staged) used[to] = (used[to] as number) + room;
    set = inst.colocated[i] as number;
    moves.push(staged ? { model: i, from, to, staged: true } : { model: i, from, to });
  }
  return moves;
}

/** Whether model i may go to GPU `to` while the models are where `at` says (-1: nowhere yet): no unit of a spread group of its in the domain. */
function spreadCheck(inst: Instance, at: Int32Array): (i: number, to: number) => boolean {
  const members = groupMembers(inst);
  return (i, to) => {
    for (let e = inst.memberStart[i] as number; e < (inst.memberStart[i + 1] as number); e++) {
      const k = inst.memberGroup[e] as number;
      const level = inst.groupLevel[k] as number;
      if (level === LEVEL_COLOCATE) continue;
      for (const j of members[k] as number[]) {
        const where = at[j] as number;
        if (j !== i && where >= 0 && breaksGroup(inst, level, i, to, j, where)) return false;
      }
    }
    return true;
  };
}
