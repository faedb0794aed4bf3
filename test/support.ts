// Shared by the tests: a solver for both engines and a recomputation of what a solution claims.
import { readFileSync } from "node:fs";
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

/** The error codes the README's Errors table documents: the only codes kvplace may throw. */
export const DOCUMENTED_CODES: ReadonlySet<string> = (() => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const table = readme.slice(readme.indexOf("### Errors"), readme.indexOf("### Loading"));
  return new Set([...table.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|/gm)].flatMap((m) => m[1]!.split(", ").map((c) => c.slice(1, -1))));
})();

/** Freezes a value and everything in it, so that any write by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/**
 * Recomputes, from the raw problem and in the solver's own order of
 * operations, every figure a solution reports; they must match exactly, at any
 * magnitude. Also checks that the solution is plain data: nothing in it is a
 * view on a buffer that a later solve could overwrite.
 */
export function expectConfirmed(problem: Problem, sol: Solution): void {
  const models = problem.models;
  const caps = typeof problem.gpus === "number" ? new Array<number>(problem.gpus).fill(problem.gpuMemGB ?? 80) : problem.gpus.map((g) => g.memGB);
  expect(sol.assignment).toHaveLength(models.length);
  const used = caps.map(() => 0);
  const demand = caps.map(() => 0);
  const members = caps.map((): number[] => []);
  sol.assignment.forEach((j, i) => {
    expect(Number.isInteger(j) && j >= 0 && j < caps.length).toBe(true);
    const m = models[i]!;
    // === rather than toBe: a pin of -0 is GPU 0.
    if (m.pinnedGpu !== undefined) expect(j === m.pinnedGpu, `model ${i} stays on its pinned GPU`).toBe(true);
    used[j]! += m.sizeGB;
    demand[j]! += m.reqRate / m.slo;
    members[j]!.push(i);
  });
  let max = 0;
  caps.forEach((c, j) => {
    const gpu = sol.gpus[j]!;
    expect(gpu.usedGB).toBe(used[j]);
    expect(gpu.demand).toBe(demand[j]);
    expect(gpu.models).toEqual(members[j]);
    expect(used[j]!).toBeLessThanOrEqual(c + 1e-9);
    const free = c - used[j]!;
    if (demand[j]! > 0) expect(free).toBeGreaterThan(1e-9);
    const kvpr = demand[j]! > 0 ? demand[j]! / free : 0;
    expect(gpu.kvpr).toBe(kvpr);
    max = Math.max(max, kvpr);
  });
  expect(sol.gpus).toHaveLength(caps.length);
  expect(sol.maxKvpr).toBe(max);
  expect(Number.isFinite(sol.maxKvpr)).toBe(true);
  expect(sol.gpus[sol.bottleneck]!.kvpr).toBe(max);
  expect(sol.lowerBound).toBeLessThanOrEqual(sol.maxKvpr);
  expect(sol.gap).toBe(sol.lowerBound > 0 ? sol.maxKvpr / sol.lowerBound - 1 : sol.maxKvpr > 0 ? Infinity : 0);
  if (sol.optimal) expect(sol.lowerBound).toBe(sol.maxKvpr);
  const ev = evaluate(problem, Object.freeze([...sol.assignment]));
  expect(ev.violations).toEqual([]);
  expect(ev.feasible).toBe(true);
  expect(ev.maxKvpr).toBe(sol.maxKvpr);
  expect(ev.gpus).toEqual(sol.gpus);
  expectPlainData(sol);
}

function expectPlainData(value: unknown): void {
  if (typeof value !== "object" || value === null) return;
  expect(ArrayBuffer.isView(value) || value instanceof ArrayBuffer, "a solution holds no typed array or buffer").toBe(false);
  for (const v of Object.values(value)) expectPlainData(v);
}
