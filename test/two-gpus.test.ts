// Specification: on two GPUs a placement below a target is a subset sum (the
// models that go to GPU 0), so the solver decides it exactly by meeting in
// the middle and proves the optimum where the exact search would need far
// more nodes — and every such proof is the true optimum.
import { describe, expect, it } from "vitest";
import { createRandom, EXACT_FAMILIES, int } from "../bench/generate.js";
import type { Model, Problem } from "../dist/index.js";
import { bruteForceOptimum, ENGINES, solver } from "./support.js";

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

describe("two GPUs", () => {
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

  it("many small models on two GPUs, which the exact search does not close in a second: proved, and a dynamic program over exact sums agrees", async () => {
    const s = await solver();
    const cases = Array.from({ length: 20 }, (_, k) => EXACT_FAMILIES["many small"](k + 1)).filter((p) => p.gpus === 2);
    expect(cases.length).toBeGreaterThanOrEqual(2);
    for (const problem of cases) {
      const sol = s.solve(problem, { exact: true, timeLimitMs: 1000 });
      expect(sol.optimal).toBe(true);
      expect(Math.abs(sol.maxKvpr - integerOptimum(problem))).toBeLessThanOrEqual(1e-12 * sol.maxKvpr);
    }
  });
});

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
