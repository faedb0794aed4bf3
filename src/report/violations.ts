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
  const { n, g, k, size, cap, pin, current, moveCost } = inst;
  const found: string[] = [];
  const label = (i: number) => modelLabel(i, inst.modelIds[i]);
  // Plain arrays: a typed array of more than 64 bytes costs a backing store of its own, which measured about 1 µs
  // in Node 20, and the incumbent checks every placement it keeps. Per GPU: weights, floors, then demand per scenario.
  const sums: number[] = [];
  for (let t = 0; t < (2 + k) * g; t++) sums.push(0);
  let moved = 0;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i] as number;
    sums[j] = (sums[j] as number) + (size[i] as number);
    sums[g + j] = (sums[g + j] as number) + (inst.floor[i] as number);
    const p = pin[i] as number;
    if (p >= 0 && p !== j) found.push(`${label(i)} is pinned to GPU ${p} but placed on GPU ${j}`);
    const c = current[i] as number;
    if (c >= 0 && c !== j) {
      moved++;
      cost += moveCost[i] as number;
    }
  }
  for (let s = 0; s < k; s++) {
    const demand = inst.demands[s] as Float64Array;
    const at = (2 + s) * g;
    for (let i = 0; i < n; i++) sums[at + (assignment[i] as number)] = (sums[at + (assignment[i] as number)] as number) + (demand[i] as number);
  }
  for (let j = 0; j < g; j++) {
    const used = sums[j] as number;
    const floors = sums[g + j] as number;
    if (used > (cap[j] as number) + MEM_EPS) {
      found.push(`GPU ${j} holds ${used} GB but has ${cap[j]} GB`);
      continue;
    }
    if (floors > 0 && used + floors > (cap[j] as number) + MEM_EPS) {
      found.push(`GPU ${j} leaves ${(cap[j] as number) - used} GB free but its models' KV floors need ${floors} GB`);
    }
    let full = 0;
    while (full < k && kvpr(sums[(2 + full) * g + j] as number, (cap[j] as number) - used) < Infinity) full++;
    if (full === k) continue;
    const where = k > 1 ? ` in scenario ${full} (${JSON.stringify(inst.scenarioIds[full])})` : "";
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
