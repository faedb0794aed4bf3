// Exact oracles for topology instances, from the Problem alone: exhaustive enumeration (with failover
// survivability) for the tiniest, and a HiGHS MILP for the small ones.
import type { Problem } from "../dist/index.js";
import { loadHighs } from "./support.js";
import { clashes, domainOf, lossDomains, maxKvprOf, readTopology, type Topology } from "./topology-check.js";

/** Memory tolerance of the enumeration (GB), as in the checker. */
const MEM_TOL = 1e-9;

/**
 * Depth-first over the models in `order`, each tried on every GPU of `targets`
 * that keeps its pin (unless `unpinned`), memory with floors, its spread groups
 * and its colocated set against the models already placed (`where[k] >= 0`),
 * calling `leaf` with every complete assignment; `leaf` returns true to stop.
 */
function enumerate(
  t: Topology,
  where: number[],
  order: readonly number[],
  targets: readonly number[],
  unpinned: ReadonlySet<number>,
  leaf: () => boolean,
): void {
  const need = where.map(() => 0);
  const taken = t.usable.map(() => 0);
  for (let i = 0; i < t.n; i++) {
    need[i] = (t.size[i] as number) + (t.floor[i] as number);
    if ((where[i] as number) >= 0) taken[where[i] as number] = (taken[where[i] as number] as number) + (need[i] as number);
  }
  const fits = (i: number, j: number): boolean => {
    const p = t.pin[i];
    if (p !== undefined && p !== j && !unpinned.has(i)) return false;
    if ((taken[j] as number) + (need[i] as number) > (t.usable[j] as number) + MEM_TOL) return false;
    for (const k of t.groupsOf[i] as number[]) {
      const { level, members } = t.groups[k] as Topology["groups"][number];
      for (const o of members) if (o !== i && (where[o] as number) >= 0 && clashes(t, level, i, j, o, where[o] as number)) return false;
    }
    const key = t.colocateOf[i];
    if (key !== undefined) {
      for (let o = 0; o < t.n; o++)
        if (o !== i && t.colocateOf[o] === key && (where[o] as number) >= 0 && t.node[where[o] as number] !== t.node[j]) return false;
    }
    return true;
  };
  let stop = false;
  const visit = (d: number): void => {
    if (d === order.length) {
      stop = leaf();
      return;
    }
    const i = order[d] as number;
    for (const j of targets) {
      if (stop) return;
      if (!fits(i, j)) continue;
      where[i] = j;
      taken[j] = (taken[j] as number) + (need[i] as number);
      visit(d + 1);
      taken[j] = (taken[j] as number) - (need[i] as number);
      where[i] = -1;
    }
  };
  visit(0);
}

const all = (count: number) => Array.from({ length: count }, (_, i) => i);

/** Every assignment that keeps every constraint, with its max KVPR (Infinity ones left out). */
export function feasibleAssignments(problem: Problem): { assignment: number[]; kvpr: number }[] {
  const t = readTopology(problem);
  const where = new Array<number>(t.n).fill(-1);
  const found: { assignment: number[]; kvpr: number }[] = [];
  enumerate(t, where, all(t.n), all(t.g), new Set(), () => {
    const kvpr = maxKvprOf(t, where);
    if (kvpr < Infinity) found.push({ assignment: [...where], kvpr });
    return false;
  });
  return found;
}

/** The least max KVPR over every assignment that keeps every constraint (Infinity: none). */
export function bruteForceTopology(problem: Problem): number {
  return feasibleAssignments(problem).reduce((best, a) => Math.min(best, a.kvpr), Infinity);
}

/**
 * The least max KVPR over the survivors after losing `lost`, over every
 * re-placement of the lost models on surviving GPUs (every other model
 * staying put) that keeps every constraint; Infinity when there is none.
 * Stops at the first re-placement at or below `enough`.
 */
export function bestReplacement(t: Topology, assignment: readonly number[], lost: ReadonlySet<number>, enough = -1): number {
  const where = [...assignment];
  const moving: number[] = [];
  for (let i = 0; i < t.n; i++) {
    if (!lost.has(assignment[i] as number)) continue;
    moving.push(i);
    where[i] = -1;
  }
  const survivors = all(t.g).filter((j) => !lost.has(j));
  let best = Infinity;
  enumerate(t, where, moving, survivors, new Set(moving), () => {
    best = Math.min(best, maxKvprOf(t, where, lost));
    return best <= enough;
  });
  return best;
}

/** Whether the assignment survives every loss of the level: each has a re-placement of max KVPR at most `cap` (finite without one). */
export function survivesEveryLoss(t: Topology, assignment: readonly number[], level: "gpu" | "node", cap = Infinity): boolean {
  const enough = cap < Infinity ? cap * (1 + 1e-12) : Number.MAX_VALUE;
  return lossDomains(t, level).every((gpus) => bestReplacement(t, assignment, new Set(gpus), enough) <= enough);
}

/** The least max KVPR (no failure) over the assignments that survive every loss of the level (Infinity: none), and the feasible count. */
export function survivableOptimum(problem: Problem, level: "gpu" | "node", cap = Infinity): { optimum: number; feasible: number } {
  const t = readTopology(problem);
  const candidates = feasibleAssignments(problem).sort((a, b) => a.kvpr - b.kvpr);
  const first = candidates.find((c) => survivesEveryLoss(t, c.assignment, level, cap));
  return { optimum: first?.kvpr ?? Infinity, feasible: candidates.length };
}

/**
 * Whether some assignment keeps every GPU at KVPR ≤ T, as a 0-1 program for
 * HiGHS: one GPU per model, pins; per GPU, weights and floors within memGB −
 * reserveGB and the linear KVPR rows D ≤ T(C − S) per scenario; a "gpu"
 * spread at most one member per GPU; a node or zone spread at most one unit
 * per domain (a colocated unit by one member, since its set shares a node);
 * a colocated set on the one node its choice binaries pick.
 */
export async function milpTopologyFeasible(problem: Problem, T: number): Promise<boolean> {
  const t = readTopology(problem);
  const x = (i: number, j: number) => `x_${i}_${j}`;
  const rows: string[] = [];
  const binaries: string[] = [];
  for (let i = 0; i < t.n; i++) {
    rows.push(
      ` one_${i}: ${all(t.g)
        .map((j) => x(i, j))
        .join(" + ")} = 1`,
    );
    const p = t.pin[i];
    if (p !== undefined) rows.push(` pin_${i}: ${x(i, p)} = 1`);
    for (let j = 0; j < t.g; j++) binaries.push(x(i, j));
  }
  for (let j = 0; j < t.g; j++) {
    rows.push(
      ` mem_${j}: ${all(t.n)
        .map((i) => `${(t.size[i] as number) + (t.floor[i] as number)} ${x(i, j)}`)
        .join(" + ")} <= ${t.usable[j]}`,
    );
    t.demands.forEach((demand, s) => {
      const w = all(t.n).map((i) => `${(demand[i] as number) + T * (t.size[i] as number)} ${x(i, j)}`);
      rows.push(` kv_${j}_${s}: ${w.join(" + ")} <= ${T * (t.usable[j] as number)}`);
    });
  }
  t.groups.forEach(({ level, members }, k) => {
    // One member stands for each unit: a colocated set's members share a node, so a domain.
    const units = new Map<string, number>();
    for (const i of members) {
      const unit = level === "gpu" ? `model ${i}` : (t.colocateOf[i] ?? `model ${i}`);
      if (!units.has(unit)) units.set(unit, i);
    }
    const byDomain = new Map<string, number[]>();
    for (let j = 0; j < t.g; j++) {
      const d = domainOf(t, level, j);
      byDomain.set(d, [...(byDomain.get(d) ?? []), j]);
    }
    let d = 0;
    for (const gpus of byDomain.values()) {
      const terms = [...units.values()].flatMap((i) => gpus.map((j) => x(i, j)));
      rows.push(` spread_${k}_${d++}: ${terms.join(" + ")} <= 1`);
    }
  });
  const nodes = [...new Set(t.node)];
  t.colocated.forEach(({ members }, c) => {
    const z = (v: number) => `z_${c}_${v}`;
    rows.push(` node_${c}: ${nodes.map((_, v) => z(v)).join(" + ")} = 1`);
    nodes.forEach((name, v) => {
      binaries.push(z(v));
      const gpus = all(t.g).filter((j) => t.node[j] === name);
      for (const i of members) rows.push(` colo_${c}_${i}_${v}: ${gpus.map((j) => x(i, j)).join(" + ")} - ${z(v)} <= 0`);
    });
  });
  const lp = `Minimize\n obj: 0 ${binaries[0]}\nSubject To\n${rows.join("\n")}\nBinaries\n ${binaries.join(" ")}\nEnd\n`;
  const tol = { output_flag: false, mip_feasibility_tolerance: 1e-10, primal_feasibility_tolerance: 1e-10, time_limit: 60 };
  const { Status } = (await loadHighs()).solve(lp, tol);
  if (Status !== "Optimal" && Status !== "Infeasible") throw new Error(`HiGHS ended with ${Status}`);
  return Status === "Optimal";
}
