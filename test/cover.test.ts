// Specification: the linear relaxation of bin packing over whole GPU loads
// (column generation) is a lower bound on the GPUs a target needs — never
// above what enumeration finds, so when it exceeds the GPUs there are, no
// placement reaches the target — and it proves optima that counting by
// weight classes cannot.
import { describe, expect, it } from "vitest";
import { createRandom, EXACT_FAMILIES, int } from "../bench/generate.js";
import { coverBound } from "../dist/bounds/cover-lp.js";
import { knapsack } from "../dist/bounds/knapsack.js";
import { validateProblem } from "../dist/input/validate.js";
import type { Model, Problem } from "../dist/index.js";
import { coverBins } from "../dist/search/cover-proof.js";
import { bruteForceOptimum, milpFeasible, solver } from "./support.js";

/** Every subset of up to 14 items, by bitmask. */
function* subsets(n: number): Generator<number[]> {
  for (let mask = 0; mask < 1 << n; mask++) yield Array.from({ length: n }, (_, i) => i).filter((i) => (mask >> i) & 1);
}

/** The fewest bins of capacity B that hold the weights, by trying every assignment to at most n bins. */
function fewestBins(weights: number[], B: number): number {
  for (let bins = 1; bins <= weights.length; bins++) {
    const load = new Array<number>(bins).fill(0);
    const place = (i: number): boolean =>
      i === weights.length ||
      load.some((l, b) => {
        if (l + weights[i]! > B || (b > 0 && load[b - 1] === 0)) return false;
        load[b]! += weights[i]!;
        const done = place(i + 1);
        load[b]! -= weights[i]!;
        return done;
      });
    if (place(0)) return bins;
  }
  return weights.length;
}

describe("the cover bound", () => {
  it("knapsack: the most value within the capacity, as enumeration finds it", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = createRandom(seed);
      const n = int(r, 1, 12);
      const weights = Float64Array.from({ length: n }, () => 1 + 9 * r());
      const values = Float64Array.from({ length: n }, () => (r() < 0.2 ? 0 : r()));
      const capacity = 5 + 20 * r();
      let best = 0;
      for (const s of subsets(n)) {
        if (s.reduce((a, i) => a + weights[i]!, 0) <= capacity)
          best = Math.max(
            best,
            s.reduce((a, i) => a + values[i]!, 0),
          );
      }
      const found = knapsack(weights, values, capacity, 1e6)!;
      expect(found.value).toBeCloseTo(best, 12);
      expect(found.items.reduce((a, i) => a + weights[i]!, 0)).toBeLessThanOrEqual(capacity);
    }
  });

  it("never exceeds the fewest bins enumeration finds, and is never below the weight over the capacity", () => {
    let aboveVolume = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const r = createRandom(seed);
      const weights = Array.from({ length: int(r, 2, 8) }, () => 1 + 9 * r());
      const B = 10 + 6 * r();
      const w = Float64Array.from(weights);
      const bound = coverBound(weights.length, (duals) => knapsack(w, duals, B * (1 + 1e-14), 1e6), Infinity, 400);
      const volume = weights.reduce((a, b) => a + b, 0) / B;
      expect(bound, `seed ${seed}`).toBeLessThanOrEqual(fewestBins(weights, B) + 1e-9);
      expect(bound).toBeGreaterThanOrEqual(volume * (1 - 1e-9));
      if (bound > volume * 1.01) aboveVolume++;
    }
    // It sees more than volume: loads that no bin holds together.
    expect(aboveVolume).toBeGreaterThan(30);
  });

  it("at the optimum itself, on tiny pools with memory-only models and full GPUs, never needs more GPUs than there are", async () => {
    let tested = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = createRandom(seed);
      const g = int(r, 2, 4);
      // Memory 85–100% full, a third of the models without demand: GPUs that hold only those may be filled exactly.
      const models: Model[] = Array.from({ length: int(r, 3, 7) }, () => ({
        sizeGB: int(r, 5, 30),
        reqRate: r() < 0.33 ? 0 : int(r, 1, 9),
        slo: int(r, 5, 9),
      }));
      const problem: Problem = { gpus: g, models };
      const optimum = bruteForceOptimum(problem);
      if (!Number.isFinite(optimum) || optimum === 0) continue;
      tested++;
      expect(coverBins(validateProblem(problem), optimum), `seed ${seed}`).toBeLessThanOrEqual(g);
    }
    expect(tested).toBeGreaterThan(100);
    // Two memory-only models that overfill a GPU by less than MEM_EPS may share it, and here must.
    const overfull: Problem = {
      gpus: 3,
      models: [
        { sizeGB: 40 + 4e-10, reqRate: 0, slo: 1 },
        { sizeGB: 40 + 4e-10, reqRate: 0, slo: 1 },
        { sizeGB: 60, reqRate: 6, slo: 1 },
        { sizeGB: 60, reqRate: 6, slo: 1 },
      ],
    };
    expect(bruteForceOptimum(overfull)).toBeCloseTo(0.3, 12);
    expect(coverBins(validateProblem(overfull), 0.3)).toBeLessThanOrEqual(3);
  });

  it("proves the optimum of 29 models on 12 GPUs that the search needs 16 million nodes for, and HiGHS agrees", async () => {
    const s = await solver();
    const problem = EXACT_FAMILIES["ADRS-like"](1);
    const sol = s.solve(problem, { exact: true, timeLimitMs: 10_000 });
    expect(sol.optimal).toBe(true);
    expect(sol.stats.proved).toBe(false);
    expect(await milpFeasible(problem, sol.maxKvpr * (1 + 1e-9))).toBe(true);
    expect(await milpFeasible(problem, sol.maxKvpr * (1 - 1e-6))).toBe(false);
  }, 120_000);
});
