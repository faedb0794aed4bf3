import type { Instance } from "../input/instance.js";
import { modelLabel } from "../input/label.js";
import { withinCost } from "../engine/ts/kernels/budget.js";
import { kvpr, MEM_EPS } from "../kvpr.js";

/**
 * Every constraint an assignment breaks, recomputed from the instance alone:
 * memory (and a full GPU left with demand in any scenario), pins, spread groups
 * and, when budgets are given, the models that end off their current GPU and
 * their move cost — a pinned model among them, since it moves like any other. Empty when the assignment is a
 * valid answer. The solver's incumbent passes through this before it is kept,
 * so no kernel's placement reaches the caller unchecked.
 */
export function violations(inst: Instance, assignment: ArrayLike<number>, maxMoves = Infinity, maxMoveCost = Infinity): string[] {
  const { n, g, size, cap, pin, current, group, moveCost } = inst;
  const found: string[] = [];
  const label = (i: number) => modelLabel(i, inst.modelIds[i]);
  const used = new Float64Array(g);
  const members = new Map<number, number[]>();
  let moved = 0;
  let cost = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i] as number;
    used[j] = (used[j] as number) + (size[i] as number);
    const p = pin[i] as number;
    if (p >= 0 && p !== j) found.push(`${label(i)} is pinned to GPU ${p} but placed on GPU ${j}`);
    const c = current[i] as number;
    if (c >= 0 && c !== j) {
      moved++;
      cost += moveCost[i] as number;
    }
    const k = group[i] as number;
    if (k >= 0) {
      const key = k * g + j;
      const list = members.get(key);
      if (list === undefined) members.set(key, [i]);
      else list.push(i);
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
    const full = loads.findIndex((load) => kvpr(load[j] as number, (cap[j] as number) - (used[j] as number)) === Infinity);
    if (full < 0) continue;
    const where = inst.k > 1 ? ` in scenario ${full} (${JSON.stringify(inst.scenarioIds[full])})` : "";
    found.push(`GPU ${j} is full while it carries demand${where} (infinite KVPR)`);
  }
  for (const [key, list] of members) {
    if (list.length < 2) continue;
    const names = list.map(label);
    const all = `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
    found.push(`${all} of group ${JSON.stringify(inst.groupNames[Math.floor(key / g)])} share GPU ${key % g}`);
  }
  if (moved > maxMoves) {
    const models = moved === 1 ? "1 model ends off its current GPU" : `${moved} models end off their current GPU`;
    found.push(`${models}, more than maxMoves ${maxMoves}`);
  }
  if (!withinCost(cost, maxMoveCost)) found.push(`the models that end off their current GPU cost ${cost} to move, more than maxMoveCost ${maxMoveCost}`);
  return found;
}
