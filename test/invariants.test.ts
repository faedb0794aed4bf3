import { describe, expect, it } from "vitest";
import { FAMILIES, fleet } from "../bench/generate.js";
import { PlacementError, type Problem, type Solution } from "../dist/index.js";
import { bruteForceOptimum, expectValid, milpFeasible, solver } from "./support.js";

const PER_FAMILY = 180;
const families = Object.entries(FAMILIES);

describe("every solution is a valid placement, identical in both engines", () => {
  for (const [name, generate] of families) {
    it(`${name}: ${PER_FAMILY} generated instances`, async () => {
      const s = await solver();
      for (let seed = 1; seed <= PER_FAMILY; seed++) {
        const problem = generate(seed);
        const run = (engine: "wasm" | "ts") => {
          try {
            return s.solve(problem, { engine, timeLimitMs: 60_000, maxNodes: 20_000 });
          } catch (e) {
            return e as PlacementError;
          }
        };
        const wasm = run("wasm");
        const ts = run("ts");
        if (wasm instanceof PlacementError) {
          // Only a proven impossibility may be reported, and the oracle must agree.
          expect(wasm.code, `${name} seed ${seed}`).toBe("INFEASIBLE");
          expect(ts).toEqual(wasm);
          if (problem.models.length <= 10) expect(bruteForceOptimum(problem)).toBe(Infinity);
          else expect(await milpFeasible(problem, 1e9)).toBe(false);
          continue;
        }
        expectValid(problem, wasm);
        expect(ts, `${name} seed ${seed}`).not.toBeInstanceOf(PlacementError);
        expect((ts as Solution).assignment, `${name} seed ${seed}`).toEqual(wasm.assignment);
        expect((ts as Solution).maxKvpr).toBe(wasm.maxKvpr);
        expect((ts as Solution).lowerBound).toBe(wasm.lowerBound);
      }
    });
  }

  it("fleets of a few hundred models, in both engines alike", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 20; seed++) {
      const problem = fleet(20 + seed, 100 + 10 * seed, seed, 0.5 + 0.02 * seed);
      const wasm = s.solve(problem, { engine: "wasm", timeLimitMs: 60_000 });
      const ts = s.solve(problem, { engine: "ts", timeLimitMs: 60_000 });
      expectValid(problem, wasm);
      expect(ts.assignment).toEqual(wasm.assignment);
    }
  });
});

describe("corner cases", () => {
  it("no models: every GPU empty, max KVPR 0, proven", async () => {
    const s = await solver();
    const sol = s.solve({ gpus: 3, models: [] });
    expect(sol.assignment).toEqual([]);
    expect(sol.maxKvpr).toBe(0);
    expect(sol.optimal).toBe(true);
    expect(sol.gap).toBe(0);
    expect(sol.gpus.map((g) => g.models)).toEqual([[], [], []]);
  });

  it("only memory-only models: max KVPR 0, and a model may fill a GPU exactly", async () => {
    const s = await solver();
    const problem = {
      gpus: 2,
      models: [
        { sizeGB: 80, reqRate: 0, slo: 1 },
        { sizeGB: 30, reqRate: 0, slo: 1 },
      ],
    };
    const sol = s.solve(problem);
    expectValid(problem, sol);
    expect(sol.maxKvpr).toBe(0);
    expect(sol.optimal).toBe(true);
  });

  it("a GPU filled exactly is only ever chosen without demand", async () => {
    const s = await solver();
    // 40 + 40 fills a GPU; with demand that is infinite, so the 40s must be split.
    const problem = {
      gpus: 2,
      models: [
        { sizeGB: 40, reqRate: 1, slo: 1 },
        { sizeGB: 40, reqRate: 1, slo: 1 },
        { sizeGB: 10, reqRate: 0, slo: 1 },
      ],
    };
    const sol = s.solve(problem);
    expectValid(problem, sol);
    expect(sol.assignment[0]).not.toBe(sol.assignment[1]);
  });

  it("pins are honoured even when they make the bottleneck", async () => {
    const s = await solver();
    const problem: Problem = {
      gpus: 3,
      models: [
        { sizeGB: 30, reqRate: 9, slo: 1, pinnedGpu: 2 },
        { sizeGB: 30, reqRate: 9, slo: 1, pinnedGpu: 2 },
        { sizeGB: 10, reqRate: 1, slo: 1 },
        { sizeGB: 10, reqRate: 1, slo: 1 },
      ],
    };
    for (const engine of ["wasm", "ts"] as const) {
      const sol = s.solve(problem, { engine });
      expectValid(problem, sol);
      expect(sol.bottleneck).toBe(2);
      expect(sol.maxKvpr).toBeCloseTo(18 / 20, 12);
      expect(sol.optimal).toBe(true);
    }
  });

  it("a zero-demand model is moved off a memory-tight bottleneck", async () => {
    const s = await solver();
    // Best: the 30 GB memory-only model shares a GPU with the light model, not the heavy one.
    const problem = {
      gpus: 2,
      models: [
        { sizeGB: 20, reqRate: 8, slo: 1 },
        { sizeGB: 20, reqRate: 1, slo: 1 },
        { sizeGB: 30, reqRate: 0, slo: 1 },
      ],
    };
    const sol = s.solve(problem);
    expect(sol.assignment[2]).toBe(sol.assignment[1]);
    expect(sol.maxKvpr).toBeCloseTo(8 / 60, 12);
  });
});
