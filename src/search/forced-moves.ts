import type { Instance } from "../input/instance.js";
import { modelLabel } from "../input/label.js";
import { groupLabel, groupMembers, siteName, siteOf, spreadUnit } from "../input/topology.js";
import { LEVEL_COLOCATE, LEVEL_GPU, LEVEL_NODE } from "../engine/ts/kernels/topology.js";

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
 * Counts the moves that pins, spread groups and colocated sets force on the
 * current placement: a model pinned off its current GPU moves (a pin is no
 * exemption from the budget); of the unpinned models of one spread group
 * running in one GPU, node or zone (its level), all but one move — all of them
 * when a model of their group is pinned there; of a colocated set running on
 * several nodes, all but those on one node move — on the node of a pinned
 * member if it has one. Each such crowd forces its moves among its own
 * models, so the counts of crowds that share no model add up to lower bounds
 * on the moves (and their cost); a crowd sharing a model with one counted
 * before is not counted, but its leavers still leave. Of each crowd the
 * costliest to move stay (ties: the lowest index): by default the largest,
 * and the smaller ones are the easier to fit elsewhere.
 */
export function forcedMoves(inst: Instance): ForcedMoves {
  const { n, pin, current, moveCost } = inst;
  const label = (i: number) => modelLabel(i, inst.modelIds[i]);
  const reasons: string[] = [];
  let count = 0;
  let cost = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const p = pin[i] as number;
    const c = current[i] as number;
    if (p >= 0 && c >= 0 && c !== p) {
      count++;
      cost += moveCost[i] as number;
      if (first < 0) first = i;
      reasons.push(`${label(i)} is pinned to GPU ${p} but runs on GPU ${c}`);
    }
  }
  const leave = new Set<number>();
  const counted = new Set<number>();
  for (const crowd of inst.groupLevel.length > 0 ? crowds(inst) : []) {
    const names = crowd.models.map(label).join(", ");
    reasons.push(`${names} of ${crowd.what}: ${crowd.leavers.length} must move`);
    if (first < 0) first = crowd.models[0] as number;
    for (const i of crowd.leavers) leave.add(i);
    if (crowd.models.some((i) => counted.has(i))) continue;
    for (const i of crowd.models) counted.add(i);
    count += crowd.leavers.length;
    cost += crowd.cost;
  }
  return { count, cost, leave: [...leave].sort((a, b) => a - b), reasons, first };
}

/** Unpinned models of one group whose current GPUs break it, which of them leave, and the least their moves can cost. */
type Crowd = { models: number[]; leavers: number[]; cost: number; what: string };

/** The crowds of every spread group and colocated set, in group order. */
function crowds(inst: Instance): Crowd[] {
  const { pin, current, moveCost } = inst;
  const members = groupMembers(inst);
  // A colocated set's domain is its node.
  const placeOf = (level: number, j: number) => siteOf(inst, j, level === LEVEL_COLOCATE ? LEVEL_NODE : level);
  const placeName = (level: number, v: number) => siteName(inst, v, level === LEVEL_COLOCATE ? LEVEL_NODE : level);
  const found: Crowd[] = [];
  members.forEach((models, k) => {
    const level = inst.groupLevel[k] as number;
    const what = groupLabel(inst.groupLevel, inst.groupNames, k);
    const at = new Map<number, number[]>();
    const pinnedAt = new Map<number, number>();
    for (const i of models) {
      const p = pin[i] as number;
      const c = current[i] as number;
      if (p >= 0) pinnedAt.set(placeOf(level, p), i);
      else if (c >= 0) at.set(placeOf(level, c), [...(at.get(placeOf(level, c)) ?? []), i]);
    }
    if (level === LEVEL_COLOCATE) {
      if (at.size + (pinnedAt.size > 0 && !at.has([...pinnedAt.keys()][0] as number) ? 1 : 0) < 2) return;
      // Stay on a pinned member's node, else on the node holding the most (then the costliest) of the set.
      let keep = pinnedAt.size > 0 ? ([...pinnedAt.keys()][0] as number) : -1;
      if (keep < 0) {
        let most = -1;
        for (const [v, ms] of at) if (ms.length > most) [keep, most] = [v, ms.length];
      }
      const running = [...at.values()].flat().sort((a, b) => a - b);
      const leavers = running.filter((i) => placeOf(level, current[i] as number) !== keep);
      const costOff = (v: number) => running.reduce((sum, i) => sum + (placeOf(level, current[i] as number) === v ? 0 : (moveCost[i] as number)), 0);
      const cost = pinnedAt.size > 0 ? costOff(keep) : Math.min(...[...at.keys()].map(costOff));
      found.push({ models: running, leavers, cost, what: `${what}, running on ${at.size} nodes (it stays on ${placeName(level, keep)})` });
      return;
    }
    // At GPU level every member is a unit of its own; at node or zone level a colocated set is one.
    const unitOf = (i: number) => (level === LEVEL_GPU ? -1 - i : spreadUnit(inst.colocated, i));
    for (const [place, crowd] of at) {
      const pinned = pinnedAt.get(place);
      const units = new Map<number, number[]>();
      for (const i of crowd) units.set(unitOf(i), [...(units.get(unitOf(i)) ?? []), i]);
      if (pinned !== undefined) units.delete(unitOf(pinned));
      const kept = pinned === undefined ? 1 : 0;
      if (units.size <= kept) continue;
      // The unit that stays: the most members (fewest moves), then the costliest to move.
      const total = (ms: number[]) => ms.reduce((sum, i) => sum + (moveCost[i] as number), 0);
      const ranked = [...units.values()].sort((a, b) => b.length - a.length || total(b) - total(a) || (a[0] as number) - (b[0] as number));
      const leaving = ranked.slice(kept).flat();
      const costliest = pinned === undefined ? Math.max(...ranked.map(total)) : 0;
      const members = [...units.values()].flat().sort((a, b) => a - b);
      const why =
        pinned === undefined
          ? `share ${placeName(level, place)}`
          : `are on ${placeName(level, place)}, where ${modelLabel(pinned, inst.modelIds[pinned])} of the group is pinned`;
      found.push({ models: members, leavers: leaving.sort((a, b) => a - b), cost: total(members) - costliest, what: `${what} ${why}` });
    }
  });
  return found;
}
