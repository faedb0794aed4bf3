import type { Instance } from "../input/instance.js";
import { modelLabel } from "../input/label.js";
import { withinCost } from "../engine/ts/kernels/budget.js";
import { kvpr, MEM_EPS } from "../kvpr.js";
import { LEVEL_COLOCATE, LEVEL_GPU, LEVEL_NODE } from "../engine/ts/kernels/topology.js";
import { groupLabel, groupMembers, siteName, siteOf, spreadUnit } from "../input/topology.js";

/**
 * Every constraint an assignment breaks, recomputed from the instance alone:
 * memory (weights, KV floors; and a full GPU left with demand in any scenario),
 * pins, spread groups at their levels, colocated sets and, when budgets are given, the models that end off their current GPU and
 * their move cost — a pinned model among them, since it moves like any other. Empty when the assignment is a
 * valid answer. The solver's incumbent passes through this before it is kept,
 * so no kernel's placement reaches the caller unchecked.
 */
export function violations(inst: Instance, assignment: ArrayLike<number>, maxMoves = Infinity, maxMoveCost = Infinity): string[] {
  const { n, g, size, cap, pin, current, moveCost } = inst;
  const found: string[] = [];
  const label = (i: number) => modelLabel(i, inst.modelIds[i]);
  const used = new Float64Array(g);
  const floors = new Float64Array(g);
  let moved = 0;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i] as number;
    used[j] = (used[j] as number) + (size[i] as number);
    floors[j] = (floors[j] as number) + (inst.floor[i] as number);
    const p = pin[i] as number;
    if (p >= 0 && p !== j) found.push(`${label(i)} is pinned to GPU ${p} but placed on GPU ${j}`);
    const c = current[i] as number;
    if (c >= 0 && c !== j) {
      moved++;
      cost += moveCost[i] as number;
    }
  }
  const loads = inst.demands.map((demand) => {
    const load = new Float64Array(g);
    for (let i = 0; i < n; i++) load[assignment[i] as number] = (load[assignment[i] as number] as number) + (demand[i] as number);
    return load;
  });
  for (let j = 0; j < g; j++) {
    if ((used[j] as number) > (cap[j] as number) + MEM_EPS) {
      found.push(`GPU ${j} holds ${used[j]} GB but has ${cap[j]} GB`);
      continue;
    }
    if ((floors[j] as number) > 0 && (used[j] as number) + (floors[j] as number) > (cap[j] as number) + MEM_EPS) {
      found.push(`GPU ${j} leaves ${(cap[j] as number) - (used[j] as number)} GB free but its models' KV floors need ${floors[j]} GB`);
    }
    const full = loads.findIndex((load) => kvpr(load[j] as number, (cap[j] as number) - (used[j] as number)) === Infinity);
    if (full < 0) continue;
    const where = inst.k > 1 ? ` in scenario ${full} (${JSON.stringify(inst.scenarioIds[full])})` : "";
    found.push(`GPU ${j} is full while it carries demand${where} (infinite KVPR)`);
  }
  if (inst.groupLevel.length > 0) found.push(...groupViolations(inst, assignment, label));
  if (moved > maxMoves) {
    const models = moved === 1 ? "1 model ends off its current GPU" : `${moved} models end off their current GPU`;
    found.push(`${models}, more than maxMoves ${maxMoves}`);
  }
  if (!withinCost(cost, maxMoveCost)) found.push(`the models that end off their current GPU cost ${cost} to move, more than maxMoveCost ${maxMoveCost}`);
  return found;
}

/** Spread groups with two members in one GPU, node or zone, and colocated sets over two nodes. */
function groupViolations(inst: Instance, assignment: ArrayLike<number>, label: (i: number) => string): string[] {
  const found: string[] = [];
  const members = groupMembers(inst);
  const list = (names: string[]) => `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  members.forEach((models, k) => {
    const level = inst.groupLevel[k] as number;
    const what = groupLabel(inst.groupLevel, inst.groupNames, k);
    const byPlace = new Map<number, number[]>();
    for (const i of models) {
      const j = assignment[i] as number;
      const place = siteOf(inst, j, level === LEVEL_COLOCATE ? LEVEL_NODE : level);
      byPlace.set(place, [...(byPlace.get(place) ?? []), i]);
    }
    if (level === LEVEL_COLOCATE) {
      if (byPlace.size > 1) {
        const where = [...byPlace].map(([v, ms]) => `${ms.map(label).join(", ")} on node ${JSON.stringify(inst.nodeNames[v])}`);
        found.push(`${what} spans ${byPlace.size} nodes: ${where.join("; ")}`);
      }
      return;
    }
    for (const [place, ms] of byPlace) {
      if (ms.length < 2 || (level !== LEVEL_GPU && new Set(ms.map((i) => spreadUnit(inst.colocated, i))).size < 2)) continue;
      found.push(`${list(ms.map(label))} of ${what} share ${siteName(inst, place, level)}`);
    }
  });
  return found;
}
