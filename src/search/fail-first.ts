import type { Workspace } from "../engine/workspace.js";
import { breaksGroup } from "../input/topology.js";
import { MEM_EPS } from "../kvpr.js";

/**
 * After a pack that ran out of memory: the first model of its order left
 * unplaced, with the rest of its colocated set (a wide tensor-parallel
 * replica, typically, whose nodes smaller sets took first), pinned for the
 * while to a node that holds it: the widest, then the one with the most
 * memory, each member on its own GPU where the node has enough, largest
 * memory first. Pins are set in the workspace only (the instance's stay as
 * they are, and every placement is checked against those). Returns false
 * when no model was left unplaced or no node holds it.
 */
export function pinFirstFailure(ws: Workspace): boolean {
  const { n, g } = ws;
  let failed = -1;
  for (let r = 0; r < n && failed < 0; r++) {
    const i = ws.order[r] as number;
    if ((ws.pin[i] as number) < 0 && (ws.assign[i] as number) < 0) failed = i;
  }
  if (failed < 0) return false;
  const set = ws.colo[failed] as number;
  const unit: number[] = [];
  for (let i = 0; i < n; i++) if (i === failed || (set >= 0 && ws.colo[i] === set && (ws.pin[i] as number) < 0)) unit.push(i);
  unit.sort((a, b) => room(ws, b) - room(ws, a) || a - b);
  // What the pins so far already hold, per GPU.
  const held = new Float64Array(g);
  for (let i = 0; i < n; i++) if ((ws.pin[i] as number) >= 0) held[ws.pin[i] as number] = (held[ws.pin[i] as number] as number) + room(ws, i);
  let best: number[] | undefined;
  let bestScore = -Infinity;
  for (let v = 0; v < g; v++) {
    const gpus: number[] = [];
    for (let j = ws.nodeHead[v] as number; j >= 0; j = ws.nodeNext[j] as number) gpus.push(j);
    if (gpus.length === 0) continue;
    const spots = fit(ws, unit, gpus, held);
    if (spots === undefined || !keepsGroups(ws, unit, spots)) continue;
    let free = 0;
    for (const j of gpus) free += (ws.cap[j] as number) - (held[j] as number);
    // The widest node first: a set that failed is the one the narrow nodes could not take.
    const score = gpus.length * 1e15 + free;
    if (score > bestScore) {
      bestScore = score;
      best = spots;
    }
  }
  if (best === undefined) return false;
  unit.forEach((i, t) => {
    ws.pin[i] = best?.[t] as number;
  });
  return true;
}

/** Whether pinning `unit` to `spots` keeps every group of theirs with the models pinned already (a pin is placed unchecked). */
function keepsGroups(ws: Workspace, unit: readonly number[], spots: readonly number[]): boolean {
  const sites = { node: ws.gNode, zone: ws.gZone, colocated: ws.colo };
  for (let t = 0; t < unit.length; t++) {
    const i = unit[t] as number;
    const h = spots[t] as number;
    for (let e = ws.grp[i] as number; e >= 0 && e < ws.m && ws.mModel[e] === i; e++) {
      for (let f = ws.mNext[e] as number; f !== e; f = ws.mNext[f] as number) {
        const j = ws.mModel[f] as number;
        const a = unit.includes(j) ? (spots[unit.indexOf(j)] as number) : (ws.pin[j] as number);
        if (a >= 0 && breaksGroup(sites, ws.mLevel[e] as number, i, h, j, a)) return false;
      }
    }
  }
  return true;
}

/** Memory model i takes: weights and KV floor. */
function room(ws: Workspace, i: number): number {
  return (ws.size[i] as number) + (ws.kvFloor[i] as number);
}

/** A GPU of `gpus` for each model of `unit` (largest first), distinct while there are enough, within memory; undefined if none. */
function fit(ws: Workspace, unit: readonly number[], gpus: readonly number[], held: Float64Array): number[] | undefined {
  const left = gpus.map((j) => (ws.cap[j] as number) - (held[j] as number));
  const used = gpus.map(() => false);
  const spots: number[] = [];
  for (const i of unit) {
    const need = room(ws, i);
    let pick = -1;
    for (let t = 0; t < gpus.length; t++) {
      if ((left[t] as number) + MEM_EPS < need) continue;
      // An unused GPU first, then the one with the most memory left.
      const better = pick < 0 || (!used[t] && used[pick]) || (used[t] === used[pick] && (left[t] as number) > (left[pick] as number));
      if (better) pick = t;
    }
    if (pick < 0 || (used[pick] && unit.length <= gpus.length)) return undefined;
    used[pick] = true;
    left[pick] = (left[pick] as number) - need;
    spots.push(gpus[pick] as number);
  }
  return spots;
}
