// Checked twice: `npm run typecheck` compiles it (the type-level claims), vitest runs it (the values).
import { describe, expect, expectTypeOf, it } from "vitest";
import { createSolver, evaluate, planCapacity, type LowerBounds, type Model, type Problem } from "../dist/index.js";
import { createWorkerSolver } from "../dist/worker/index.js";

/** A problem as a configuration file would declare it: deeply readonly, literal types. */
const problem = {
  gpus: [{ id: "a", memGB: 80 }, { memGB: 40 }],
  models: [
    { id: "x", sizeGB: 10, reqRate: 2, slo: 1, group: "tp" },
    { id: "y", sizeGB: 10, reqRate: 1, slo: 1, group: "tp", pinnedGpu: 1 },
  ],
} as const;

describe("the types accept what kvplace accepts and describe what it returns", () => {
  it("an `as const` problem, readonly model lists and `as const` options are accepted", async () => {
    const s = await createSolver();
    const sol = s.solve(problem, { engine: "ts", exact: true } as const);
    expect(sol.assignment).toEqual([0, 1]);
    const models: readonly Model[] = problem.models;
    const readonlyProblem: Problem = { gpus: 2, models };
    expect(evaluate(readonlyProblem, sol.assignment).feasible).toBe(true);
    expect((await planCapacity({ models, targetKvpr: 1 })).gpus).toBe(2);
  });

  it("Solution.stats has the documented fields and types", async () => {
    const sol = (await createSolver()).solve(problem);
    expectTypeOf(sol.stats.engine).toEqualTypeOf<"wasm" | "ts">();
    expectTypeOf(sol.stats.ms).toEqualTypeOf<number>();
    expectTypeOf(sol.stats.nodes).toEqualTypeOf<number>();
    expectTypeOf(sol.stats.proved).toEqualTypeOf<boolean>();
    expectTypeOf(sol.stats.bounds).toEqualTypeOf<LowerBounds>();
    expect(Object.keys(sol.stats).sort()).toEqual(["bounds", "engine", "ms", "nodes", "proved"]);
    expect(Object.keys(sol.stats.bounds).sort()).toEqual(["best", "fluid", "packing", "perModel"]);
    expect(sol.stats.bounds.best).toBe(Math.max(sol.stats.bounds.perModel, sol.stats.bounds.fluid, sol.stats.bounds.packing));
  });

  it("a misspelt option is a compile-time error and, from untyped code, INVALID_OPTIONS naming the key", async () => {
    const s = await createSolver();
    // @ts-expect-error timelimitMs is not an option (timeLimitMs is)
    expect(() => s.solve(problem, { timelimitMs: 5 })).toThrowError(
      expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringMatching(/"timelimitMs".*"timeLimitMs"/) }),
    );
    const worker = await createWorkerSolver();
    try {
      // @ts-expect-error a signal must be an AbortSignal
      await expect(worker.solve(problem, { signal: "stop" })).rejects.toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringMatching(/signal/) });
    } finally {
      worker.terminate();
    }
  });
});
