import type { Instance } from "../input/instance.js";
import { modelLabel } from "../input/label.js";

/** The moves every valid placement makes, whatever the search finds. */
export type ForcedMoves = {
  /** Models that end off their current GPU in every valid placement, at the least. */
  count: number;
  /** Their move cost in all, at the least. */
  cost: number;
  /** Unpinned models that a placement starting from the current one takes off their GPU to part their group. */
  leave: number[];
  /** One line per pin or crowded group that forces moves, naming the models. */
  reasons: string[];
  /** The first model the reasons name, or -1. */
  first: number;
};

/**
 * Counts the moves that pins and spread groups force on the current placement:
 * a model pinned off its current GPU moves (a pin is no exemption from the
 * budget); of the unpinned models of one group running on one GPU, all but one
 * move — all of them when a model of their group is pinned to that GPU. These
 * sets are disjoint, so their sizes (and costs) add up to lower bounds on the
 * moves (and their cost). Of each crowd the costliest to move stays (ties:
 * the lowest index): by default the largest, and the smaller ones are the
 * easier to fit elsewhere.
 */
export function forcedMoves(inst: Instance): ForcedMoves {
  const { n, g, pin, current, group, moveCost } = inst;
  const label = (i: number) => modelLabel(i, inst.modelIds[i]);
  const groupName = (k: number) => JSON.stringify(inst.groupNames[k]);
  const reasons: string[] = [];
  let count = 0;
  let cost = 0;
  let first = -1;
  const pinnedHere = new Map<number, number>();
  const crowds = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const p = pin[i] as number;
    const c = current[i] as number;
    const k = group[i] as number;
    if (p >= 0) {
      if (k >= 0) pinnedHere.set(k * g + p, i);
      if (c >= 0 && c !== p) {
        count++;
        cost += moveCost[i] as number;
        if (first < 0) first = i;
        reasons.push(`${label(i)} is pinned to GPU ${p} but runs on GPU ${c}`);
      }
    } else if (k >= 0 && c >= 0) {
      const key = k * g + c;
      const crowd = crowds.get(key);
      if (crowd === undefined) crowds.set(key, [i]);
      else crowd.push(i);
    }
  }
  const leave: number[] = [];
  for (const [key, crowd] of crowds) {
    const k = Math.floor(key / g);
    const gpu = key % g;
    const pinned = pinnedHere.get(key);
    if (pinned === undefined && crowd.length < 2) continue;
    let stay = -1;
    if (pinned === undefined) {
      stay = crowd[0] as number;
      for (const i of crowd) if ((moveCost[i] as number) > (moveCost[stay] as number)) stay = i;
    }
    const names = crowd.map(label).join(", ");
    const must = pinned === undefined ? crowd.length - 1 : crowd.length;
    const why = pinned === undefined ? `share GPU ${gpu}` : `on GPU ${gpu}, where ${label(pinned)} of the group is pinned`;
    reasons.push(`${names} of group ${groupName(k)} ${why}: ${must} must move`);
    count += must;
    for (const i of crowd) {
      if (i === stay) continue;
      leave.push(i);
      cost += moveCost[i] as number;
    }
    if (first < 0) first = crowd[0] as number;
  }
  return { count, cost, leave, reasons, first };
}
