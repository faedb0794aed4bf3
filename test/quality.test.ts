import { describe, expect, it } from "vitest";
import { loadSuite } from "../bench/adrs50.js";
import { fleet } from "../bench/generate.js";
import { ENGINES, expectValid, solver } from "./support.js";

const suite = loadSuite(new URL("../bench/data/adrs50.json", import.meta.url));
const atOptimum = (value: number, optimum: number) => Math.abs(value / optimum - 1) <= 1e-9;

describe("the bundled ADRS benchmark", () => {
  for (const engine of ENGINES) {
    it(`heuristic mode (${engine}): mean max KVPR <= 0.039600 and at least 49 of 50 at their optimum`, async () => {
      const s = await solver();
      let sum = 0;
      let hits = 0;
      for (const c of suite) {
        const sol = s.solve(c.problem, { engine, exact: false, timeLimitMs: 60_000 });
        expectValid(c.problem, sol);
        sum += sol.maxKvpr;
        if (atOptimum(sol.maxKvpr, c.optimum)) hits++;
      }
      expect(sum / suite.length).toBeLessThanOrEqual(0.0396);
      expect(hits).toBeGreaterThanOrEqual(49);
    });

    it(`heuristic mode (${engine}): its brief search proves all 50, each at the published optimum`, async () => {
      const s = await solver();
      for (const c of suite) {
        const sol = s.solve(c.problem, { engine, exact: false, timeLimitMs: 60_000 });
        expect(sol.optimal, c.name).toBe(true);
        expect(atOptimum(sol.maxKvpr, c.optimum), c.name).toBe(true);
      }
    });

    it(`exact mode (${engine}): all 50 proven optimal`, async () => {
      const s = await solver();
      for (const c of suite) {
        const sol = s.solve(c.problem, { engine, exact: true, timeLimitMs: 60_000 });
        expect(sol.optimal, c.name).toBe(true);
        expect(atOptimum(sol.maxKvpr, c.optimum), c.name).toBe(true);
        expect(sol.gap).toBe(0);
      }
    });
  }
});

describe("fleet scale", () => {
  it("1,000 GPUs × 5,000 models, ~70% memory: within 0.3% of the lower bound, both engines alike", async () => {
    const s = await solver();
    const problem = fleet(1000, 5000, 1);
    const wasm = s.solve(problem, { timeLimitMs: 60_000 });
    expectValid(problem, wasm);
    expect(wasm.gap).toBeLessThanOrEqual(0.003);
    const ts = s.solve(problem, { engine: "ts", timeLimitMs: 60_000 });
    expect(ts.assignment).toEqual(wasm.assignment);
  });

  it("4,096 GPUs × 20,480 models: within 0.3% of the lower bound", async () => {
    const s = await solver();
    const problem = fleet(4096, 20480, 2);
    const sol = s.solve(problem, { timeLimitMs: 60_000 });
    expectValid(problem, sol);
    expect(sol.gap).toBeLessThanOrEqual(0.003);
  });
});
