import { describe, expect, it } from "vitest";
import { evaluate, PlacementError, type FrontierPoint, type Model, type MoveFrontier, type Problem } from "../dist/index.js";
import { drifted, fleet } from "../bench/generate.js";
import { bruteForceOptimum, ENGINES, solver } from "./support.js";

/** Small re-placements: current GPUs for most models, some pins and groups, move costs unlike the sizes. */
function randomInstance(seed: number): Problem {
  let x = seed;
  const r = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const g = int(2, 3);
  const gpus = Array.from({ length: g }, () => ({ memGB: [40, 60, 80][int(0, 2)]! }));
  const models = Array.from({ length: int(3, 6) }, (): Model => {
    const m: Model = { sizeGB: int(5, 30), reqRate: int(0, 10), slo: int(1, 10), currentGpu: int(0, g - 1) };
    if (r() < 0.15) m.pinnedGpu = int(0, g - 1);
    if (r() < 0.3) m.group = ["a", "b"][int(0, 1)]!;
    if (r() < 0.5) m.moveCost = int(0, 40);
    return m;
  });
  return { gpus, models };
}

/** The moves and their cost, counted here from the problem alone. */
function movesOf(problem: Problem, assignment: number[]): { count: number; cost: number } {
  let count = 0;
  let cost = 0;
  problem.models.forEach((m, i) => {
    if (m.currentGpu === undefined || m.currentGpu === assignment[i]) return;
    count++;
    cost += m.moveCost ?? m.sizeGB;
  });
  return { count, cost };
}

/** Every point valid and within its budget by an independent account, values never rising, bounds below values. */
function expectSound(problem: Problem, frontier: MoveFrontier): void {
  let last = Infinity;
  for (const p of frontier.points) {
    const ev = evaluate(problem, p.assignment);
    expect(ev.violations).toEqual([]);
    expect(p.maxKvpr).toBe(ev.maxKvpr);
    const { count, cost } = movesOf(problem, p.assignment);
    expect(p.moves).toHaveLength(count);
    expect(p.moveCost).toBeCloseTo(cost, 9);
    if (frontier.by === "moves") expect(count).toBeLessThanOrEqual(p.budget);
    else expect(cost).toBeLessThanOrEqual(p.budget * (1 + 1e-9));
    expect(p.maxKvpr).toBeLessThanOrEqual(last);
    expect(p.lowerBound).toBeLessThanOrEqual(p.maxKvpr);
    last = p.maxKvpr;
  }
}

/** What a call gave: its value, or the PlacementError it threw. */
function attempt<T>(run: () => T): T | PlacementError {
  try {
    return run();
  } catch (e) {
    if (e instanceof PlacementError) return e;
    throw e;
  }
}

describe("the move frontier", () => {
  for (const by of ["moves", "cost"] as const) {
    it(`by ${by}: on 150 random small instances every point is within its budget, never rising, and proven points are the enumerated optimum`, async () => {
      const s = await solver();
      const seen = { proven: 0, points: 0, lower: 0 };
      for (let seed = 1; seed <= 150; seed++) {
        const problem = randomInstance(seed);
        const budgets = by === "moves" ? [0, 1, 2, 3, 4] : [0, 10, 20, 35, 60];
        const frontier = attempt(() => s.moveFrontier(problem, { by, budgets }));
        const where = `seed ${seed}`;
        if (frontier instanceof PlacementError) {
          // Refused only when no placement exists at the tightest budget.
          const optimum = by === "moves" ? bruteForceOptimum(problem, 0) : bruteForceOptimum(problem, Infinity, 0);
          expect(optimum, `${where}: ${frontier.message}`).toBe(Infinity);
          continue;
        }
        expectSound(problem, frontier);
        expect(frontier.points.map((p) => p.budget)).toEqual(budgets);
        for (const p of frontier.points) {
          const optimum = by === "moves" ? bruteForceOptimum(problem, p.budget) : bruteForceOptimum(problem, Infinity, p.budget);
          expect(p.maxKvpr, `${where}, budget ${p.budget}`).toBeGreaterThanOrEqual(optimum * (1 - 1e-12));
          expect(p.lowerBound, `${where}, budget ${p.budget}`).toBeLessThanOrEqual(optimum * (1 + 1e-12));
          seen.points++;
          if (p.optimal) {
            expect(p.maxKvpr / optimum - 1, `${where}, budget ${p.budget}`).toBeLessThan(1e-12);
            seen.proven++;
          }
          if (p.maxKvpr > frontier.points.at(-1)!.maxKvpr) seen.lower++;
        }
      }
      // Most points are proven, and tight budgets do cost pressure on many instances.
      expect(seen.proven).toBeGreaterThan(seen.points * 0.8);
      expect(seen.lower).toBeGreaterThan(50);
    });
  }

  it("both engines give the same frontier", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 30; seed++) {
      const problem = randomInstance(seed);
      const [wasm, ts] = ENGINES.map((engine) => attempt(() => s.moveFrontier(problem, { engine, maxNodes: 5000 })));
      if (wasm instanceof PlacementError) {
        expect(ts).toBeInstanceOf(PlacementError);
        continue;
      }
      const strip = (f: MoveFrontier) => f.points.map(({ budget, maxKvpr, assignment, optimal }: FrontierPoint) => ({ budget, maxKvpr, assignment, optimal }));
      expect(strip(ts as MoveFrontier)).toEqual(strip(wasm));
    }
  });

  it("by default runs from the forced moves to the moves of the answer without a budget, and ends at its max KVPR", async () => {
    const s = await solver();
    const problem: Problem = {
      gpus: 3,
      models: [
        { sizeGB: 10, reqRate: 9, slo: 1, currentGpu: 0, group: "tp" },
        { sizeGB: 10, reqRate: 9, slo: 1, currentGpu: 0, group: "tp" },
        { sizeGB: 20, reqRate: 8, slo: 1, currentGpu: 0 },
        { sizeGB: 12, reqRate: 2, slo: 1, currentGpu: 1 },
        { sizeGB: 12, reqRate: 1, slo: 1, currentGpu: 2 },
      ],
    };
    for (const engine of ENGINES) {
      const frontier = s.moveFrontier(problem, { engine });
      expectSound(problem, frontier);
      // The two shards of "tp" share GPU 0: one move is forced.
      expect(frontier.points[0]!.budget).toBe(1);
      const free = frontier.unbudgeted!;
      expect(frontier.points.map((p) => p.budget)).toEqual(Array.from({ length: free.moves }, (_, k) => k + 1));
      expect(frontier.points.at(-1)!.maxKvpr).toBeLessThanOrEqual(free.maxKvpr);
      const byCost = s.moveFrontier(problem, { engine, by: "cost" });
      expectSound(problem, byCost);
      expect(byCost.points).toHaveLength(17);
      expect(byCost.points[0]!.budget).toBe(10);
      expect(byCost.points.at(-1)!.budget).toBeCloseTo(free.moveCost, 9);
    }
  });

  it("at every budget where a solve proves its optimum, the frontier reaches it; it never does worse than the budget before", async () => {
    const s = await solver();
    let compared = 0;
    for (let seed = 200; seed < 300; seed++) {
      const problem = randomInstance(seed);
      const frontier = attempt(() => s.moveFrontier(problem, { budgets: [0, 1, 2, 3] }));
      if (frontier instanceof PlacementError) continue;
      for (const p of frontier.points) {
        const sol = s.solve(problem, { maxMoves: p.budget });
        if (!sol.optimal) continue;
        expect(p.maxKvpr / sol.maxKvpr - 1, `seed ${seed}, budget ${p.budget}`).toBeLessThan(1e-12);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it("on fleets small enough for a solve's whole search per point, never does worse than a solve at any budget", async () => {
    const s = await solver();
    let lower = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const base = fleet(8, 32, seed);
      const problem = drifted(base, s.solve(base, { exact: false }).assignment, 0.3, seed);
      const budgets = Array.from({ length: 13 }, (_, k) => k);
      const frontier = s.moveFrontier(problem, { budgets, exact: false });
      expectSound(problem, frontier);
      for (const p of frontier.points) {
        const alone = s.solve(problem, { maxMoves: p.budget, exact: false }).maxKvpr;
        expect(p.maxKvpr, `seed ${seed}, budget ${p.budget}`).toBeLessThanOrEqual(alone);
        if (p.maxKvpr < alone) lower++;
      }
    }
    // Starting over from the previous point pays: many points beat the solve at their budget.
    expect(lower).toBeGreaterThan(10);
  });

  it("refuses options that contradict it, naming them", async () => {
    const s = await solver();
    const problem = randomInstance(3);
    const refused = (options: object, message: RegExp) =>
      expect(() => s.moveFrontier(problem, options)).toThrowError(
        expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringMatching(message) }),
      );
    refused({ maxMoves: 2 }, /maxMoves is what a frontier by moves sweeps/);
    refused({ by: "cost", maxMoveCost: 2 }, /maxMoveCost is what a frontier by cost sweeps/);
    refused({ minGain: 0.1 }, /minGain does not apply to a frontier/);
    refused({ by: "gpus" }, /by must be "moves" or "cost"/);
    refused({ budgets: [1.5] }, /every budget must be a whole number >= 0, got 1.5/);
    refused({ budgets: [] }, /budgets must be a non-empty list/);
  });
});

describe("minGain", () => {
  /** Instances whose current placement is complete and valid, so the placement to keep is plainly `currentGpu`. */
  function settled(seed: number): Problem {
    const problem = randomInstance(seed);
    return { ...problem, models: problem.models.map(({ pinnedGpu: _, group: __, ...m }) => m) };
  }

  for (const engine of ENGINES) {
    it(`answers are the current placement, or lower its max KVPR by at least minGain (${engine})`, async () => {
      const s = await solver();
      const seen = { kept: 0, moved: 0 };
      for (let seed = 1; seed <= 200; seed++) {
        const problem = settled(seed);
        const current = problem.models.map((m) => m.currentGpu!);
        const before = attempt(() => evaluate(problem, current));
        if (before instanceof PlacementError || !before.feasible) continue;
        const minGain = [0, 0.05, 0.2, 0.5][seed % 4]!;
        const maxMoves = seed % 3 === 0 ? 1 : undefined;
        const sol = s.solve(problem, { engine, minGain, ...(maxMoves === undefined ? {} : { maxMoves }) });
        const check = sol.gainCheck!;
        expect(check.currentMaxKvpr).toBe(before.maxKvpr);
        if (check.moved) {
          expect(sol.maxKvpr).toBeLessThanOrEqual(before.maxKvpr * (1 - minGain));
          expect(sol.maxKvpr).toBeLessThan(before.maxKvpr);
          seen.moved++;
        } else {
          expect(sol.assignment).toEqual(current);
          expect(sol.moves).toEqual([]);
          expect(check.bestMaxKvpr).toBeGreaterThan(before.maxKvpr * (1 - minGain) * (1 - 1e-12));
          seen.kept++;
        }
        expect(check.gain).toBeCloseTo(1 - check.bestMaxKvpr / before.maxKvpr, 12);
      }
      expect(seen.kept).toBeGreaterThan(20);
      expect(seen.moved).toBeGreaterThan(20);
    });
  }

  it("without any current placement there is nothing to keep: the answer moves and says so", async () => {
    const s = await solver();
    const sol = s.solve({ gpus: 2, models: [{ sizeGB: 10, reqRate: 1, slo: 1 }] }, { minGain: 0.5 });
    expect(sol.gainCheck).toEqual({ minGain: 0.5, moved: true, currentMaxKvpr: null, bestMaxKvpr: sol.maxKvpr, gain: null });
  });

  it("is refused outside [0, 1)", async () => {
    const s = await solver();
    for (const minGain of [-0.1, 1, Number.NaN, "0.1"]) {
      expect(() => s.solve({ gpus: 1, models: [] }, { minGain } as never)).toThrowError(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    }
  });
});
