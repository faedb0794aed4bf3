// Shared by the tests: a solver for both engines and a recomputation of what a solution claims.
import { expect } from "vitest";
import { createSolver, evaluate, PlacementError, type Problem, type Solution, type SolveOptions, type Solver } from "../dist/index.js";

export const ENGINES = ["wasm", "ts"] as const;

let shared: Promise<Solver> | undefined;
export const solver = (): Promise<Solver> => (shared ??= createSolver());

/** What a solve gave: a solution, or the PlacementError it threw (anything else is thrown on). */
export function attempt(run: () => Solution): Solution | PlacementError {
  try {
    return run();
  } catch (e) {
    if (e instanceof PlacementError) return e;
    throw e;
  }
}

/** The PlacementError solving `problem` with `options` (malformed ones too) throws on each engine; a solve that returns fails the test. */
export async function refusals(problem: unknown, options: object = {}): Promise<PlacementError[]> {
  const s = await solver();
  return ENGINES.map((engine) => {
    const outcome = attempt(() => s.solve(problem as Problem, { engine, ...options } as SolveOptions));
    expect(outcome, engine).toBeInstanceOf(PlacementError);
    return outcome as PlacementError;
  });
}

/** Demand per scenario and model, from the problem's own fields (one scenario without `scenarios`). */
export function demandsOf(problem: Problem): number[][] {
  const models = problem.models;
  // null, as JSON sends an absent field, is no scenarios.
  if (problem.scenarios === undefined || problem.scenarios === null) return [models.map((m) => m.reqRate! / m.slo)];
  return problem.scenarios.map((s) => models.map((m, i) => s.reqRate[i]! / (s.slo?.[i] ?? m.slo)));
}

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
    if (m.pinnedGpu != null) expect(sol.assignment[i]).toBe(m.pinnedGpu);
  });
  const demands = demandsOf(problem);
  expect(sol.scenarios).toHaveLength(demands.length);
  for (const g of sol.gpus) {
    let used = 0;
    for (const i of g.models) used += problem.models[i]!.sizeGB;
    // The worst scenario's demand: KVPR grows with demand at a fixed free memory.
    let demand = 0;
    for (const scenario of demands)
      demand = Math.max(
        demand,
        g.models.reduce((sum, i) => sum + scenario[i]!, 0),
      );
    expect(g.usedGB).toBeCloseTo(used, 9);
    expect(g.demand).toBeCloseTo(demand, 9);
    expect(g.usedGB).toBeLessThanOrEqual(g.memGB + 1e-9);
    expect(g.kvpr).toBe(demand > 0 ? g.demand / (g.memGB - g.usedGB) : 0);
    for (const report of sol.scenarios) expect(report.kvpr[g.index]).toBeLessThanOrEqual(g.kvpr);
  }
  expect(Math.max(...sol.scenarios.map((s) => s.maxKvpr))).toBe(sol.maxKvpr);
}

/**
 * Independent oracle: the least max KVPR over every assignment that keeps pins
 * and spread groups and leaves at most `maxMoves` models off their currentGpu
 * (a pinned one included), their `moveCost`s (default `sizeGB`) adding up to at
 * most `maxMoveCost`, by exhaustive depth-first enumeration. Infinity
 * when none is finite.
 */
export function bruteForceOptimum(problem: Problem, maxMoves = Infinity, maxMoveCost = Infinity): number {
  const caps = typeof problem.gpus === "number" ? new Array<number>(problem.gpus).fill(problem.gpuMemGB ?? 80) : problem.gpus.map((g) => g.memGB);
  const models = problem.models;
  const demands = demandsOf(problem);
  const where = new Array<number>(models.length).fill(-1);
  const used = caps.map(() => 0);
  let best = Infinity;
  // Sums are recomputed at each leaf: running sums would drift and turn an empty 0 into 1e-17.
  const leaf = (): number => {
    let worst = 0;
    caps.forEach((c, j) => {
      let s = 0;
      models.forEach((m, i) => {
        if (where[i] === j) s += m.sizeGB;
      });
      for (const demand of demands) {
        let d = 0;
        models.forEach((_, i) => {
          if (where[i] === j) d += demand[i]!;
        });
        worst = Math.max(worst, d <= 0 ? 0 : c - s <= 1e-9 ? Infinity : d / (c - s));
      }
    });
    return worst;
  };
  const visit = (i: number, moved: number, cost: number): void => {
    if (i === models.length) {
      best = Math.min(best, leaf());
      return;
    }
    const m = models[i]!;
    caps.forEach((c, j) => {
      if (m.pinnedGpu != null && m.pinnedGpu !== j) return;
      if (used[j]! + m.sizeGB > c + 1e-9) return;
      if (m.group != null && models.some((o, k) => k < i && o.group === m.group && where[k] === j)) return;
      const move = m.currentGpu != null && m.currentGpu !== j ? 1 : 0;
      const paid = cost + move * (m.moveCost ?? m.sizeGB);
      if (moved + move > maxMoves || paid > maxMoveCost * (1 + 1e-9)) return;
      used[j]! += m.sizeGB;
      where[i] = j;
      visit(i + 1, moved + move, paid);
      used[j]! -= m.sizeGB;
    });
  };
  visit(0, 0, 0);
  return best;
}

type Highs = { solve(lp: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number } };
let highs: Promise<Highs> | undefined;

/** HiGHS (a dev dependency), loaded once. */
export async function loadHighs(): Promise<Highs> {
  const { default: load } = (await import("highs")) as unknown as { default: () => Promise<Highs> };
  return (highs ??= load());
}

/**
 * Independent oracle for larger instances: whether some assignment keeps every
 * GPU at KVPR ≤ T, as a 0-1 program solved by HiGHS (MILP), with the fixed-T
 * linearization Σ (d + T·s)·x ≤ T·C per GPU and scenario (a vector bin packing
 * with demand scenarios) next to memory and one-GPU rows.
 */
export async function milpFeasible(problem: Problem, T: number): Promise<boolean> {
  const solver = await loadHighs();
  const caps = typeof problem.gpus === "number" ? new Array<number>(problem.gpus).fill(problem.gpuMemGB ?? 80) : problem.gpus.map((g) => g.memGB);
  const x = (i: number, j: number) => `x_${i}_${j}`;
  const rows: string[] = [];
  problem.models.forEach((m, i) => {
    rows.push(` one_${i}: ${caps.map((_, j) => x(i, j)).join(" + ")} = 1`);
    if (m.pinnedGpu !== undefined) rows.push(` pin_${i}: ${x(i, m.pinnedGpu)} = 1`);
  });
  const demands = demandsOf(problem);
  caps.forEach((c, j) => {
    rows.push(` mem_${j}: ${problem.models.map((m, i) => `${m.sizeGB} ${x(i, j)}`).join(" + ")} <= ${c}`);
    demands.forEach((demand, k) => {
      const w = problem.models.map((m, i) => `${demand[i]! + T * m.sizeGB} ${x(i, j)}`);
      rows.push(` kv_${j}_${k}: ${w.join(" + ")} <= ${T * c}`);
    });
  });
  // Identical GPUs without pins are interchangeable: model i may use only GPUs 0..i.
  const uniform = caps.every((c) => c === caps[0]) && problem.models.every((m) => m.pinnedGpu === undefined);
  if (uniform) problem.models.forEach((_, i) => caps.forEach((_, j) => j > i && rows.push(` sym_${i}_${j}: ${x(i, j)} = 0`)));
  const vars = problem.models.flatMap((_, i) => caps.map((_, j) => x(i, j)));
  const lp = `Minimize\n obj: 0 ${vars[0]}\nSubject To\n${rows.join("\n")}\nBinaries\n ${vars.join(" ")}\nEnd\n`;
  const tol = { output_flag: false, mip_feasibility_tolerance: 1e-10, primal_feasibility_tolerance: 1e-10, time_limit: 60 };
  const { Status } = solver.solve(lp, tol);
  if (Status !== "Optimal" && Status !== "Infeasible") throw new Error(`HiGHS ended with ${Status}`);
  return Status === "Optimal";
}

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
  const loads = demandsOf(problem).map((demand) => ({ demand, load: caps.map(() => 0) }));
  const members = caps.map((): number[] => []);
  sol.assignment.forEach((j, i) => {
    expect(Number.isInteger(j) && j >= 0 && j < caps.length).toBe(true);
    const m = models[i]!;
    // === rather than toBe: a pin of -0 is GPU 0.
    // JSON null reads as absent, as validation reads it.
    if (m.pinnedGpu != null) expect(j === m.pinnedGpu, `model ${i} stays on its pinned GPU`).toBe(true);
    used[j]! += m.sizeGB;
    for (const { demand, load } of loads) load[j]! += demand[i]!;
    members[j]!.push(i);
  });
  let max = 0;
  caps.forEach((c, j) => {
    const gpu = sol.gpus[j]!;
    expect(gpu.usedGB).toBe(used[j]);
    expect(gpu.models).toEqual(members[j]);
    expect(used[j]!).toBeLessThanOrEqual(c + 1e-9);
    const free = c - used[j]!;
    // The GPU's worst scenario, the first of equal ones.
    let worst = -1;
    let demand = 0;
    loads.forEach(({ load }, k) => {
      const d = load[j]!;
      if (d > 0) expect(free).toBeGreaterThan(1e-9);
      const kvpr = d > 0 ? d / free : 0;
      expect(sol.scenarios[k]!.kvpr[j]).toBe(kvpr);
      if (kvpr > worst) [worst, demand] = [kvpr, d];
    });
    expect(gpu.demand).toBe(demand);
    expect(gpu.kvpr).toBe(worst);
    max = Math.max(max, worst);
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
