// Reference placements to compare kvplace against; deliberately simple.
import type { Problem } from "../types.js";

const capacities = (p: Problem): number[] => (typeof p.gpus === "number" ? new Array<number>(p.gpus).fill(p.gpuMemGB ?? 80) : p.gpus.map((g) => g.memGB));

/** Model i on GPU i mod g, whatever the memory. */
export function roundRobin(p: Problem): number[] {
  const g = capacities(p).length;
  return p.models.map((_, i) => i % g);
}

/** Descending demand, each on the GPU whose KVPR after it is lowest (ties: more free memory). */
export function greedy(p: Problem): number[] {
  const caps = capacities(p);
  const used = caps.map(() => 0);
  const demand = caps.map(() => 0);
  const assignment = new Array<number>(p.models.length).fill(0);
  const byDemand = p.models.map((m, i) => ({ i, d: (m.reqRate ?? 0) / m.slo, s: m.sizeGB })).sort((a, b) => b.d - a.d || a.i - b.i);
  for (const { i, d, s } of byDemand) {
    let best = -1;
    let bestK = Infinity;
    let bestFree = -Infinity;
    caps.forEach((c, j) => {
      const free = c - used[j]! - s;
      if (free < 0) return;
      const k = demand[j]! + d <= 0 ? 0 : free <= 0 ? Infinity : (demand[j]! + d) / free;
      if (best < 0 || k < bestK || (k === bestK && free > bestFree)) [best, bestK, bestFree] = [j, k, free];
    });
    assignment[i] = Math.max(best, 0);
    used[assignment[i]!]! += s;
    demand[assignment[i]!]! += d;
  }
  return assignment;
}
