import { describe, expect, it } from "vitest";
import { evaluate, parseModelsCsv, PlacementError, type Model, type Problem, type Solution } from "../dist/index.js";
import { drifted, fleet } from "../bench/generate.js";
import { attempt, bruteForceOptimum, ENGINES, expectValid, solver } from "./support.js";

/** The README's models.csv: two shards of one group that run together on GPU 0 today. */
const README_MODELS = parseModelsCsv(`id,sizeGB,reqRate,slo,currentGpu,pinnedGpu,group
llama-70b-tp0,35,8,5,0,,llama-70b
llama-70b-tp1,35,8,5,0,,llama-70b
mistral-7b,14,4,8,1,,
qwen-14b,28,6,6,1,,
gemma-9b,18,5,7,2,,
phi-3,8,2,9,2,,
embedder,2,0,1,,,
`);

const movedModels = (problem: Problem, assignment: number[]) => problem.models.filter((m, i) => m.currentGpu !== undefined && m.currentGpu !== assignment[i]);
const moved = (problem: Problem, assignment: number[]) => movedModels(problem, assignment).length;
/** What the moves cost, summed here from the problem alone: each moved model's moveCost, else its size. */
const movedCost = (problem: Problem, assignment: number[]) => movedModels(problem, assignment).reduce((sum, m) => sum + (m.moveCost ?? m.sizeGB), 0);

/** Within both budgets by an account kept in this test, and by evaluate's. */
function expectWithinBoth(problem: Problem, sol: Solution, maxMoves: number, maxMoveCost: number): void {
  expectWithin(problem, sol, maxMoves);
  expect(evaluate(problem, sol.assignment, { maxMoves, maxMoveCost }).violations).toEqual([]);
  expect(movedCost(problem, sol.assignment)).toBeLessThanOrEqual(maxMoveCost * (1 + 1e-9));
  expect(sol.moveCost).toBeCloseTo(movedCost(problem, sol.assignment), 9);
}

/** A placement within every constraint and the budget, by evaluate's independent account. */
function expectWithin(problem: Problem, sol: Solution, maxMoves: number): void {
  expectValid(problem, sol);
  expect(evaluate(problem, sol.assignment, { maxMoves }).violations).toEqual([]);
  expect(sol.moves).toHaveLength(moved(problem, sol.assignment));
  expect(sol.moves.length).toBeLessThanOrEqual(maxMoves);
}

/** Small instances with everything that constrains a re-placement: pins, groups, mixed memory, current GPUs. */
function randomInstance(seed: number): { problem: Problem; maxMoves: number } {
  let x = seed;
  const r = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const g = int(2, 3);
  const gpus = Array.from({ length: g }, () => ({ memGB: [40, 60, 80][int(0, 2)]! }));
  const models = Array.from({ length: int(3, 6) }, (): Model => {
    const m: Model = { sizeGB: int(5, 40), reqRate: int(0, 10), slo: int(1, 10) };
    if (r() < 0.8) m.currentGpu = int(0, g - 1);
    if (r() < 0.2) m.pinnedGpu = int(0, g - 1);
    if (r() < 0.4) m.group = ["a", "b"][int(0, 1)]!;
    return m;
  });
  return { problem: { gpus, models }, maxMoves: int(0, 3) };
}

/** The same instances with move costs (some given, some the size) and a cost budget, sometimes with a count budget too. */
function randomCostInstance(seed: number): { problem: Problem; maxMoves: number; maxMoveCost: number } {
  const { problem } = randomInstance(seed);
  let x = seed * 7919;
  const r = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296;
  const models = problem.models.map((m) => (r() < 0.6 ? { ...m, moveCost: Math.floor(r() * 30) } : m));
  const maxMoveCost = Math.floor(r() * 60);
  const maxMoves = r() < 0.3 ? Math.floor(r() * 3) : Infinity;
  return { problem: { ...problem, models }, maxMoves, maxMoveCost };
}

describe("a move-cost budget is never exceeded, alone or with a count budget", () => {
  for (const engine of ENGINES) {
    it(`every answer on 400 random small instances agrees with enumeration over every placement (${engine})`, async () => {
      const s = await solver();
      const seen = { optimal: 0, refused: 0, bound: 0 };
      for (let seed = 1; seed <= 400; seed++) {
        const { problem, maxMoves, maxMoveCost } = randomCostInstance(seed);
        const optimum = bruteForceOptimum(problem, maxMoves, maxMoveCost);
        const result = attempt(() => s.solve(problem, { engine, maxMoves, maxMoveCost }));
        const where = `seed ${seed}, maxMoves ${maxMoves}, maxMoveCost ${maxMoveCost}`;
        if (result instanceof PlacementError) {
          expect(optimum, `${where}: ${result.code} ${result.message}`).toBe(Infinity);
          seen.refused++;
          continue;
        }
        expect(optimum, `${where}: answered although no placement exists`).toBeLessThan(Infinity);
        expectWithinBoth(problem, result, maxMoves, maxMoveCost);
        expect(result.maxKvpr, where).toBeGreaterThanOrEqual(optimum * (1 - 1e-12));
        if (optimum > bruteForceOptimum(problem, maxMoves)) seen.bound++;
        if (result.optimal) {
          expect(result.maxKvpr / optimum - 1, where).toBeLessThan(1e-12);
          seen.optimal++;
        }
      }
      // Both outcomes occur, and the cost budget is what binds on many instances.
      expect(seen.optimal).toBeGreaterThan(200);
      expect(seen.refused).toBeGreaterThan(20);
      expect(seen.bound).toBeGreaterThan(50);
    });
  }

  it("a pinned model off its current GPU pays its move cost: a budget below it is refused, naming the model", async () => {
    const s = await solver();
    const problem: Problem = {
      gpus: 2,
      models: [
        { id: "pinned", sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 0, pinnedGpu: 1, moveCost: 7 },
        { id: "free", sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 0 },
      ],
    };
    for (const engine of ENGINES) {
      expect(() => s.solve(problem, { engine, maxMoveCost: 6.5 })).toThrowError(
        expect.objectContaining({ code: "INFEASIBLE", model: 0, message: expect.stringMatching(/maxMoveCost 6.5 cannot pay for the moves costing 7/) }),
      );
      const sol = s.solve(problem, { engine, maxMoveCost: 7 });
      expectWithinBoth(problem, sol, Infinity, 7);
      expect(sol.moves).toEqual([{ model: 0, from: 0, to: 1 }]);
    }
  });

  it("holds under a time limit that cuts the search short, with a count budget too, and both engines agree", async () => {
    const s = await solver();
    const base = fleet(50, 250, 4);
    const problem = drifted(base, s.solve(base, { exact: false }).assignment, 0.3, 4);
    const answers = ENGINES.map((engine) => s.solve(problem, { engine, maxMoveCost: 40, maxMoves: 5, timeLimitMs: 5 }));
    for (const sol of answers) expectWithinBoth(problem, sol, 5, 40);
    const untimed = ENGINES.map((engine) => s.solve(problem, { engine, maxMoveCost: 40, exact: false, timeLimitMs: 60_000 }));
    for (const sol of untimed) expectWithinBoth(problem, sol, Infinity, 40);
    expect(untimed[1]!.assignment).toEqual(untimed[0]!.assignment);
  });

  it("a cost budget prefers several cheap moves to one dear one", async () => {
    const s = await solver();
    // GPU 0 is overloaded; moving the 40 GB model relieves it most, two 8 GB models relieve it within 16.
    const problem: Problem = {
      gpus: 2,
      models: [
        { sizeGB: 40, reqRate: 8, slo: 1, currentGpu: 0 },
        { sizeGB: 8, reqRate: 6, slo: 1, currentGpu: 0 },
        { sizeGB: 8, reqRate: 6, slo: 1, currentGpu: 0 },
        { sizeGB: 8, reqRate: 1, slo: 1, currentGpu: 1 },
      ],
    };
    for (const engine of ENGINES) {
      const sol = s.solve(problem, { engine, maxMoveCost: 16 });
      expectWithinBoth(problem, sol, Infinity, 16);
      expect(sol.maxKvpr / bruteForceOptimum(problem, Infinity, 16) - 1).toBeLessThan(1e-12);
      expect(sol.moves.map((m) => m.model).sort()).toEqual([1, 2]);
    }
  });
});

describe("a move budget is never exceeded and never breaks a group or a pin", () => {
  for (const engine of ENGINES) {
    it(`every answer on 400 random small instances agrees with enumeration over every placement (${engine})`, async () => {
      const s = await solver();
      const seen = { optimal: 0, refused: 0 };
      for (let seed = 1; seed <= 400; seed++) {
        const { problem, maxMoves } = randomInstance(seed);
        const optimum = bruteForceOptimum(problem, maxMoves);
        const result = attempt(() => s.solve(problem, { engine, maxMoves }));
        const where = `seed ${seed}, maxMoves ${maxMoves}`;
        if (result instanceof PlacementError) {
          expect(optimum, `${where}: ${result.code} ${result.message}`).toBe(Infinity);
          seen.refused++;
          continue;
        }
        expect(optimum, `${where}: answered although no placement exists`).toBeLessThan(Infinity);
        expectWithin(problem, result, maxMoves);
        expect(result.maxKvpr, where).toBeGreaterThanOrEqual(optimum * (1 - 1e-12));
        if (result.optimal) {
          expect(result.maxKvpr / optimum - 1, where).toBeLessThan(1e-12);
          seen.optimal++;
        }
      }
      // The sample exercises both outcomes, so neither branch above is vacuous.
      expect(seen.optimal).toBeGreaterThan(200);
      expect(seen.refused).toBeGreaterThan(20);
    });
  }

  it("the README's models.csv under maxMoves 0: refused, naming the shards that must part", async () => {
    const s = await solver();
    const problem = { gpus: 3, models: README_MODELS };
    for (const engine of ENGINES) {
      const error = attempt(() => s.solve(problem, { engine, maxMoves: 0 }));
      expect(error).toBeInstanceOf(PlacementError);
      expect(error).toMatchObject({ code: "INFEASIBLE", model: 0 });
      expect((error as PlacementError).message).toMatch(/maxMoves 0 cannot pay for the move that pins and spread groups force/);
      expect((error as PlacementError).message).toMatch(/model 0 \("llama-70b-tp0"\), model 1 \("llama-70b-tp1"\) of group "llama-70b" share GPU 0/);
      const one = s.solve(problem, { engine, maxMoves: 1 });
      expectWithin(problem, one, 1);
      expect(one.assignment[0]).not.toBe(one.assignment[1]);
    }
  });

  it("a model pinned off its current GPU counts as a move: maxMoves 0 is refused, 1 pays for it", async () => {
    const s = await solver();
    const problem: Problem = {
      gpus: 2,
      models: [
        { id: "pinned", sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 0, pinnedGpu: 1 },
        { id: "free", sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 0 },
      ],
    };
    for (const engine of ENGINES) {
      expect(() => s.solve(problem, { engine, maxMoves: 0 })).toThrowError(
        expect.objectContaining({ code: "INFEASIBLE", model: 0, message: expect.stringMatching(/model 0 \("pinned"\) is pinned to GPU 1 but runs on GPU 0/) }),
      );
      const sol = s.solve(problem, { engine, maxMoves: 1 });
      expectWithin(problem, sol, 1);
      expect(sol.moves).toEqual([{ model: 0, from: 0, to: 1 }]);
    }
  });

  it("members of a group beside a member pinned to their GPU must all move", async () => {
    const s = await solver();
    const models: Model[] = [
      { sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 1, pinnedGpu: 0, group: "tp" },
      { sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 0, group: "tp" },
      { sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 0 },
    ];
    const problem: Problem = { gpus: 3, models };
    expect(() => s.solve(problem, { maxMoves: 1 })).toThrowError(expect.objectContaining({ code: "INFEASIBLE", message: expect.stringMatching(/2 moves/) }));
    expectWithin(problem, s.solve(problem, { maxMoves: 2 }), 2);
  });

  it("a warm start from a placement that breaks a group returns one that keeps it", async () => {
    const s = await solver();
    // Both models of group "a" run on GPU 1, and without the group the best placement would keep them together.
    const problem: Problem = {
      gpus: 2,
      models: [
        { sizeGB: 22, reqRate: 6, slo: 10, currentGpu: 1, group: "a" },
        { sizeGB: 29, reqRate: 9, slo: 1, currentGpu: 1, group: "b" },
        { sizeGB: 24, reqRate: 8, slo: 6, currentGpu: 1, group: "a" },
        { sizeGB: 12, reqRate: 8, slo: 8, currentGpu: 1 },
      ],
    };
    for (const engine of ENGINES) {
      const sol = s.solve(problem, { engine, warmStart: true });
      expect(sol.assignment[0]).not.toBe(sol.assignment[2]);
      expectWithin(problem, sol, Infinity);
      expect(sol.maxKvpr / bruteForceOptimum(problem) - 1).toBeLessThan(1e-12);
    }
  });
});
