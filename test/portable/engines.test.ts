// Portable: in Chromium, kvplace.wasm comes over fetch (main entry) or from base64 (inline entry).
import { describe, expect, it } from "vitest";
import { casesOf, type AdrsSuite } from "../../dist/cli/adrs-suite.js";
import adrs50 from "../../bench/data/adrs50.json" with { type: "json" };
import { FAMILIES, SCENARIO_FAMILIES } from "../../bench/generate.js";
import * as inline from "../../dist/inline.js";
import { createSolver, evaluate, lowerBound, PlacementError, type Solution, type Solver } from "../../dist/index.js";
import { ENGINES, expectValid } from "../support.js";

const suite = casesOf(adrs50 as AdrsSuite);
const PER_FAMILY = 40;

async function solvers(): Promise<[string, Solver][]> {
  return [
    ["kvplace", await createSolver()],
    ["kvplace/inline", await inline.createSolver()],
  ];
}

describe("both engines, from both entries", () => {
  it("prove the published optimum of all 50 ADRS cases with identical placements", async () => {
    const all = await solvers();
    for (const c of suite) {
      const reference = all[0]![1].solve(c.problem, { exact: true, timeLimitMs: 60_000 });
      expectValid(c.problem, reference);
      expect(Math.abs(reference.maxKvpr / c.optimum - 1), c.name).toBeLessThanOrEqual(1e-9);
      expect(reference.optimal, c.name).toBe(true);
      for (const [entry, s] of all) {
        for (const engine of ENGINES) {
          const sol = s.solve(c.problem, { engine, exact: true, timeLimitMs: 60_000 });
          expect(sol.assignment, `${c.name} ${entry} ${engine}`).toEqual(reference.assignment);
          expect(sol.stats.engine).toBe(engine);
        }
      }
      expect(lowerBound(c.problem)).toBeLessThanOrEqual(reference.maxKvpr);
    }
  });

  it(`agree on ${PER_FAMILY} generated instances of every family, demand scenarios too, and evaluate confirms each`, async () => {
    const [[, s]] = (await solvers()) as [[string, Solver]];
    for (const [name, generate] of Object.entries({ ...FAMILIES, ...SCENARIO_FAMILIES })) {
      for (let seed = 1; seed <= PER_FAMILY; seed++) {
        const problem = generate(seed);
        const run = (engine: "wasm" | "ts"): Solution | PlacementError => {
          try {
            return s.solve(problem, { engine, maxNodes: 20_000, timeLimitMs: 60_000 });
          } catch (e) {
            return e as PlacementError;
          }
        };
        const wasm = run("wasm");
        const ts = run("ts");
        if (wasm instanceof PlacementError) {
          expect(wasm.code, `${name} seed ${seed}`).toBe("INFEASIBLE");
          expect(ts).toEqual(wasm);
          continue;
        }
        expectValid(problem, wasm);
        expect((ts as Solution).assignment, `${name} seed ${seed}`).toEqual(wasm.assignment);
        expect(evaluate(problem, (ts as Solution).assignment).maxKvpr).toBe(wasm.maxKvpr);
      }
    }
  });
});
