// Specification: below a target, a placement is a packing of transformed
// weights into what each GPU can take — bin packing, which the solver decides
// exactly by bin completion where the slack is narrow (near-perfect packings
// of many small models) and on two GPUs (a subset sum), proving optima the
// assignment tree would need far more nodes for; every such proof is the true
// optimum.
import { describe, expect, it } from "vitest";
import { createRandom, EXACT_FAMILIES, FAMILIES, int } from "../bench/generate.js";
import { packInto } from "../dist/bounds/partition.js";
import { evaluate, type Gpu, type Model, type PlacementError, type Problem, type Solution } from "../dist/index.js";
import { bruteForceOptimum, ENGINES, expectConfirmed, solver } from "./support.js";
import { feasibleAssignments } from "./topology-oracle.js";
import { coverBins } from "../dist/search/cover-proof.js";
import { validateProblem } from "../dist/input/validate.js";

/** Whether `weights` fit into bins of `rooms`, by trying every assignment. */
function fitsByEnumeration(weights: number[], rooms: number[]): boolean {
  const load = rooms.map(() => 0);
  const place = (i: number): boolean =>
    i === weights.length ||
    rooms.some((room, b) => {
      if (load[b]! + weights[i]! > room) return false;
      load[b]! += weights[i]!;
      const done = place(i + 1);
      load[b]! -= weights[i]!;
      return done;
    });
  return place(0);
}

describe("bin completion", () => {
  it("says a packing exists exactly when enumeration finds one, and the packing it gives fits", () => {
    const outcomes = { packed: 0, none: 0 };
    for (let seed = 1; seed <= 400; seed++) {
      const r = createRandom(seed);
      // Whole numbers now and then, so that exact fits (a bin filled to the last unit) are common.
      const whole = seed % 2 === 0;
      const weights = Array.from({ length: int(r, 1, 9) }, () => (whole ? int(r, 1, 12) : 0.5 + 11 * r()));
      const total = weights.reduce((a, b) => a + b, 0);
      const bins = int(r, 2, 4);
      const equal = seed % 3 !== 0;
      const shares = Array.from({ length: bins }, () => (equal ? 1 : 0.5 + r()));
      const tight = 0.97 + 0.06 * r();
      const rooms = shares.map((x) =>
        whole ? Math.round((x / shares.reduce((a, b) => a + b, 0)) * total * tight) : (x / shares.reduce((a, b) => a + b, 0)) * total * tight,
      );
      const expected = fitsByEnumeration(weights, rooms);
      const result = packInto(Float64Array.from(weights), Float64Array.from(rooms), 1e6);
      expect(result, `seed ${seed}`).not.toBe("unknown");
      expect(result !== "none", `seed ${seed}: ${JSON.stringify({ weights, rooms })}`).toBe(expected);
      if (typeof result === "object") {
        const load = rooms.map(() => 0);
        result.bins.forEach((b, i) => (load[b]! += weights[i]!));
        load.forEach((l, b) => expect(l).toBeLessThanOrEqual(rooms[b]! * (1 + 1e-12)));
        outcomes.packed++;
      } else outcomes.none++;
    }
    // Both answers are exercised.
    expect(Math.min(outcomes.packed, outcomes.none)).toBeGreaterThan(50);
  });
});

/** 8–12 models on two GPUs of 40–80 GB, now and then pinned, grouped, in two scenarios or without demand. */
function twoGpus(seed: number): Problem {
  const r = createRandom(seed);
  const gpus = [{ memGB: int(r, 40, 80) }, { memGB: int(r, 40, 80) }];
  const models: Model[] = [];
  for (let i = 0, n = int(r, 8, 12); i < n; i++) {
    const model: Model = { sizeGB: 1 + r() * 7, reqRate: r() < 0.1 ? 0 : r() * 9, slo: 1 + r() * 9 };
    if (r() < 0.1) model.pinnedGpu = int(r, 0, 1);
    // Two replicas at most: a group of three cannot spread over two GPUs.
    if (i < 2 && r() < 0.3) model.group = "replicas";
    models.push(model);
  }
  const problem: Problem = { gpus, models };
  if (seed % 4 === 0) problem.scenarios = [{ reqRate: models.map((m) => m.reqRate ?? 0) }, { reqRate: models.map((m) => (m.reqRate ?? 0) * r() * 2) }];
  return problem;
}

describe("placements proved by packing", () => {
  it("with the exact search held to one node, the optima it proves are the optima, by enumeration", async () => {
    const s = await solver();
    let proved = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const problem = twoGpus(seed);
      const optimum = bruteForceOptimum(problem);
      for (const engine of ENGINES) {
        const sol = s.solve(problem, { engine, exact: true, maxNodes: 1 });
        if (!sol.optimal) continue;
        proved++;
        expect(Math.abs(sol.maxKvpr - optimum), `seed ${seed} on ${engine}`).toBeLessThanOrEqual(1e-12 * optimum);
      }
    }
    // Not vacuous: the split test proves many on its own (not those with a model without demand, which it leaves alone).
    expect(proved).toBeGreaterThan(40);
  });

  it("with every other constraint at once (nodes, zones, reserves, floors, spread groups, colocated sets, pins, move budgets, scenarios), the optima proved with one search node are the constrained optima, by enumeration", async () => {
    const s = await solver();
    let proved = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const { problem, maxMoves } = constrained(seed);
      // The constrained optimum: every assignment that keeps every constraint, within the move budget.
      const within = feasibleAssignments(problem).filter(({ assignment }) => moves(problem, assignment) <= maxMoves);
      const optimum = within.reduce((best, a) => Math.min(best, a.kvpr), Infinity);
      // The cover bound is a relaxation of all of it: at the constrained optimum it never needs more GPUs than there are.
      if (Number.isFinite(optimum) && optimum > 0 && problem.models.every((m) => m.pinnedGpu === undefined)) {
        const alike = (problem.gpus as Gpu[]).every(
          (g) => g.memGB - (g.reserveGB ?? 0) === (problem.gpus as Gpu[])[0]!.memGB - ((problem.gpus as Gpu[])[0]!.reserveGB ?? 0),
        );
        if (alike) expect(coverBins(validateProblem(problem), optimum), `seed ${seed}`).toBeLessThanOrEqual(2);
      }
      for (const engine of ENGINES) {
        let sol: Solution;
        try {
          sol = s.solve(problem, { engine, exact: true, maxNodes: 1, maxMoves });
        } catch (e) {
          expect((e as PlacementError).code, `seed ${seed}`).toBe("INFEASIBLE");
          expect(optimum, `seed ${seed}`).toBe(Infinity);
          continue;
        }
        expect(evaluate(problem, sol.assignment, { maxMoves }).violations, `seed ${seed}`).toEqual([]);
        expect(sol.maxKvpr).toBeGreaterThanOrEqual(optimum * (1 - 1e-12));
        if (!sol.optimal) continue;
        proved++;
        expect(Math.abs(sol.maxKvpr - optimum), `seed ${seed} on ${engine}`).toBeLessThanOrEqual(1e-12 * optimum);
      }
    }
    // Not vacuous: bin completion proves most of them (without it, the one search node proves 70 of the 300 solves).
    expect(proved).toBeGreaterThan(150);
  });

  it("memory-tight pools of 3–8 GPUs, the exact search held to one node: the optima the bounds and the bin completion prove are the optima, by enumeration", async () => {
    const s = await solver();
    let proved = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const problem = FAMILIES.memoryTight(seed);
      if (problem.models.length > 9) continue;
      let sol: Solution;
      try {
        sol = s.solve(problem, { exact: true, maxNodes: 1 });
      } catch (e) {
        // Refused as impossible: enumeration must find no placement either.
        expect((e as PlacementError).code).toBe("INFEASIBLE");
        expect(bruteForceOptimum(problem)).toBe(Infinity);
        continue;
      }
      if (!sol.optimal) continue;
      proved++;
      expect(Math.abs(sol.maxKvpr - bruteForceOptimum(problem)), `seed ${seed}`).toBeLessThanOrEqual(1e-12 * sol.maxKvpr);
    }
    expect(proved).toBeGreaterThan(30);
  });

  it("many small models on 2–6 GPUs, near-perfect packings the assignment tree does not close in a second: all proved", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 20; seed++) {
      const problem = EXACT_FAMILIES["many small"](seed);
      // A generous limit: the proofs take 1–100 ms here, and the claim is about proving, not about the clock.
      const sol = s.solve(problem, { exact: true, timeLimitMs: 10_000 });
      expectConfirmed(problem, sol);
      expect(sol.optimal, `seed ${seed}`).toBe(true);
      // On two GPUs an exact-integer dynamic program confirms the optimum independently.
      if (problem.gpus === 2) expect(Math.abs(sol.maxKvpr - integerOptimum(problem))).toBeLessThanOrEqual(1e-12 * sol.maxKvpr);
    }
  });
});

/** Models that end off their current GPU. */
function moves(problem: Problem, assignment: readonly number[]): number {
  return problem.models.filter((m, i) => m.currentGpu != null && m.currentGpu !== assignment[i]).length;
}

/**
 * Two GPUs with everything a placement can be asked for: one node or two (in
 * one zone or two), reserved memory, KV floors, a replica group spread over
 * nodes or GPUs, a colocated pair, pins, current GPUs with a move budget, and
 * now and then two demand scenarios.
 */
function constrained(seed: number): { problem: Problem; maxMoves: number } {
  const r = createRandom(seed);
  const together = r() < 0.5;
  const reserve = r() < 0.3 ? int(r, 1, 4) : 0;
  const gpus: Gpu[] = [0, 1].map((j) => ({
    id: `g${j}`,
    memGB: 40,
    node: together ? "n0" : `n${j}`,
    zone: together || r() < 0.5 ? "z0" : `z${j}`,
    ...(reserve > 0 ? { reserveGB: reserve } : {}),
  }));
  const models: Model[] = Array.from({ length: int(r, 4, 8) }, (_, i) => {
    const model: Model = { id: `m${i}`, sizeGB: int(r, 2, 9), reqRate: int(r, 1, 9), slo: int(r, 1, 9) };
    if (r() < 0.2) model.minKvGB = int(r, 1, 4);
    if (r() < 0.4) model.currentGpu = int(r, 0, 1);
    if (r() < 0.1) model.pinnedGpu = int(r, 0, 1);
    return model;
  });
  if (r() < 0.4) [models[0]!.group, models[1]!.group] = ["rep", "rep"];
  if (together && r() < 0.4) [models[2]!.colocate, models[3]!.colocate] = ["tp", "tp"];
  const problem: Problem = { gpus, models, ...(r() < 0.5 ? { spread: { rep: together ? "gpu" : "node" } } : {}) };
  if (problem.spread !== undefined && models[0]!.group === undefined) delete problem.spread;
  if (r() < 0.25) problem.scenarios = [{ reqRate: models.map((m) => m.reqRate ?? 0) }, { reqRate: models.map(() => int(r, 0, 9)) }];
  return { problem, maxMoves: r() < 0.5 ? int(r, 0, 3) : Infinity };
}

/**
 * Independent oracle for two identical GPUs and whole-number sizes, rates and
 * SLOs: every (memory, demand) that a subset of the models can put on GPU 0,
 * in exact integers (demand in units of 1 / lcm of the SLOs), as one bitset of
 * demands per memory total; the optimum is the best of those splits.
 */
function integerOptimum(problem: Problem): number {
  const C = problem.gpuMemGB ?? 80;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const unit = problem.models.reduce((l, m) => (l * m.slo) / gcd(l, m.slo), 1);
  const sizes = problem.models.map((m) => m.sizeGB);
  const demands = problem.models.map((m) => (m.reqRate ?? 0) * (unit / m.slo));
  for (const x of [...sizes, ...demands]) expect(Number.isInteger(x)).toBe(true);
  const [S, D] = [sizes.reduce((a, b) => a + b, 0), demands.reduce((a, b) => a + b, 0)];
  const words = (D >> 5) + 1;
  const reach = Array.from({ length: S + 1 }, () => new Uint32Array(words));
  reach[0]![0] = 1;
  sizes.forEach((size, i) => {
    const d = demands[i]!;
    for (let m = S - size; m >= 0; m--) orShifted(reach[m + size]!, reach[m]!, d);
  });
  const kvpr = (d: number, m: number) => (d === 0 ? 0 : m >= C ? Infinity : d / unit / (C - m));
  let best = Infinity;
  for (let m = 0; m <= S; m++) {
    for (let d = 0; d <= D; d++) if ((reach[m]![d >> 5]! >>> (d & 31)) & 1) best = Math.min(best, Math.max(kvpr(d, m), kvpr(D - d, S - m)));
  }
  return best;
}

/** to |= from << shift, over bitsets of equal length. */
function orShifted(to: Uint32Array, from: Uint32Array, shift: number): void {
  const [words, bits] = [shift >> 5, shift & 31];
  for (let k = to.length - 1; k >= words; k--) {
    let x = from[k - words]! << bits;
    if (bits > 0 && k - words - 1 >= 0) x |= from[k - words - 1]! >>> (32 - bits);
    to[k]! |= x;
  }
}
