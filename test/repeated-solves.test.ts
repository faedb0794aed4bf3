import { describe, expect, it } from "vitest";
import { createSolver, type Problem, type Solution } from "../dist/index.js";
import { adrsLike, createRandom, diurnal, FAMILIES, int, memoryTight, mixedGpus, pinned } from "../bench/generate.js";
import { ENGINES } from "./support.js";

/** An ADRS-like problem whose GPUs are listed with reserves, nodes and zones, some models grouped or colocated, and running. */
function dressed(seed: number): Problem {
  const base = adrsLike(seed);
  const r = createRandom(seed ^ 0xa4e4a);
  const g = base.gpus as number;
  const gpus = Array.from({ length: g }, (_, j) => ({ id: `gpu-${j}`, memGB: 80, reserveGB: int(r, 0, 4), node: `n${j >> 1}`, zone: `z${j >> 2}` }));
  const models = base.models.map((m, i) => ({
    ...m,
    currentGpu: int(r, 0, g - 1),
    ...(i < 2 ? { group: "replicas" } : {}),
    ...(i >= 2 && i < 4 ? { colocate: "shards" } : {}),
    ...(i === 4 ? { minKvGB: 2 } : {}),
  }));
  return { gpus, models, spread: { replicas: "node" } };
}

/** Problems of many shapes and features, larger ones first, so that later ones reuse what earlier ones left. */
const PROBLEMS: Problem[] = [
  dressed(3),
  memoryTight(2),
  ...Object.values(FAMILIES).map((family) => family(5)),
  diurnal(adrsLike(4), 6, 4),
  pinned(8),
  dressed(9),
  mixedGpus(6),
  adrsLike(11),
];

/** A solution with what differs from run to run (the time it took) left out. */
const stable = (sol: Solution) => ({ ...sol, stats: { ...sol.stats, ms: 0 } });

describe("a solver that solves again and again", () => {
  it.each(ENGINES)("answers each problem as a fresh solver does, whatever it solved before (%s)", async (engine) => {
    const reused = await createSolver();
    const order = [...PROBLEMS, ...PROBLEMS.slice().reverse()];
    for (const problem of order) {
      const fresh = await createSolver();
      const options = { engine, timeLimitMs: 60_000, maxNodes: 5_000 };
      expect(stable(reused.solve(problem, options))).toEqual(stable(fresh.solve(problem, options)));
    }
  });

  it.each(ENGINES)("answers as a fresh solver does after refusing problems midway through validating them (%s)", async (engine) => {
    const reused = await createSolver();
    const options = { engine, timeLimitMs: 60_000, maxNodes: 5_000 };
    for (const problem of PROBLEMS) {
      // Refused at the last model, GPU or scenario: every array before it was written for a problem that never ran.
      const broken = [
        { ...problem, models: [...problem.models.slice(0, -1), { sizeGB: -1, reqRate: 1, slo: 1 }] },
        { ...problem, models: problem.models.map((m, i) => ({ ...m, id: i === problem.models.length - 1 ? "m0" : `m${i}` })) },
        { ...problem, gpus: Array.from({ length: 3 }, (_, j) => ({ memGB: j === 2 ? 0 : 80 })) },
      ];
      for (const bad of broken) expect(() => reused.solve(bad as Problem, options)).toThrow();
      expect(stable(reused.solve(problem, options))).toEqual(stable((await createSolver()).solve(problem, options)));
    }
  });

  it.each(ENGINES)("returns solutions that its later solves leave as they were (%s)", async (engine) => {
    const s = await createSolver();
    const kept = PROBLEMS.map((problem) => {
      const sol = s.solve(problem, { engine, timeLimitMs: 60_000, maxNodes: 5_000 });
      return { sol, copy: structuredClone(sol) };
    });
    for (const { sol, copy } of kept) expect(sol).toEqual(copy);
  });
});
