// Shared by the tests: a solver for both engines and a recomputation of what a solution claims.
import { expect } from "vitest";
import { createSolver, evaluate, type Problem, type Solution, type Solver } from "../dist/index.js";

export const ENGINES = ["wasm", "ts"] as const;

let shared: Promise<Solver> | undefined;
export const solver = (): Promise<Solver> => (shared ??= createSolver());

/** Checks a solution against the problem from scratch: every claim it makes must be recomputable. */
export function expectValid(problem: Problem, sol: Solution): void {
  const n = problem.models.length;
  expect(sol.assignment).toHaveLength(n);
  const ev = evaluate(problem, sol.assignment);
  expect(ev.violations).toEqual([]);
  expect(ev.feasible).toBe(true);
  expect(sol.maxKvpr).toBe(ev.maxKvpr);
  expect(sol.gpus).toEqual(ev.gpus);
  expect(Number.isFinite(sol.maxKvpr)).toBe(true);
  expect(sol.lowerBound).toBeLessThanOrEqual(sol.maxKvpr);
  expect(sol.gpus[sol.bottleneck]?.kvpr).toBe(sol.maxKvpr);
  const seen = sol.gpus.flatMap((g) => g.models).sort((a, b) => a - b);
  expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
  problem.models.forEach((m, i) => {
    if (m.pinnedGpu !== undefined) expect(sol.assignment[i]).toBe(m.pinnedGpu);
  });
  for (const g of sol.gpus) {
    let used = 0;
    let demand = 0;
    for (const i of g.models) {
      const m = problem.models[i]!;
      used += m.sizeGB;
      demand += m.reqRate / m.slo;
    }
    expect(g.usedGB).toBeCloseTo(used, 9);
    expect(g.demand).toBeCloseTo(demand, 9);
    expect(g.usedGB).toBeLessThanOrEqual(g.memGB + 1e-9);
    expect(g.kvpr).toBe(demand > 0 ? g.demand / (g.memGB - g.usedGB) : 0);
  }
}

/**
 * Independent oracle: the least max KVPR over every assignment, by exhaustive
 * depth-first enumeration (memory pruning only). Infinity when none is finite.
 */
export function bruteForceOptimum(problem: Problem): number {
  const caps = typeof problem.gpus === "number" ? new Array<number>(problem.gpus).fill(problem.gpuMemGB ?? 80) : problem.gpus.map((g) => g.memGB);
  const models = problem.models;
  const used = caps.map(() => 0);
  const demand = caps.map(() => 0);
  let best = Infinity;
  const visit = (i: number): void => {
    if (i === models.length) {
      let worst = 0;
      caps.forEach((c, j) => {
        const d = demand[j]!;
        const free = c - used[j]!;
        worst = Math.max(worst, d <= 0 ? 0 : free <= 1e-9 ? Infinity : d / free);
      });
      best = Math.min(best, worst);
      return;
    }
    const m = models[i]!;
    caps.forEach((c, j) => {
      if (m.pinnedGpu !== undefined && m.pinnedGpu !== j) return;
      if (used[j]! + m.sizeGB > c + 1e-9) return;
      used[j]! += m.sizeGB;
      demand[j]! += m.reqRate / m.slo;
      visit(i + 1);
      used[j]! -= m.sizeGB;
      demand[j]! -= m.reqRate / m.slo;
    });
  };
  visit(0);
  return best;
}
