import { describe, expect, it } from "vitest";
import { loadSuite } from "../bench/adrs50.js";
import { EXACT_FAMILIES } from "../bench/generate.js";
import type { Problem } from "../dist/index.js";
import { milpFeasible, solver } from "./support.js";

const adrs = loadSuite(new URL("../bench/data/adrs50.json", import.meta.url));

/** Instances of 10 to 18 models (HiGHS needs seconds for some of these) the exact search proves quickly, checked against HiGHS. */
async function provedCases(): Promise<{ name: string; problem: Problem; optimum: number }[]> {
  const s = await solver();
  const cases = adrs.slice(0, 16).map((c) => ({ name: c.name, problem: c.problem, optimum: c.optimum }));
  for (const [family, generate] of Object.entries(EXACT_FAMILIES)) {
    if (family === "many small") continue;
    for (let seed = 1, taken = 0; taken < 4 && seed < 40; seed++) {
      const problem = generate(seed);
      if (problem.models.length < 10 || problem.models.length > 18) continue;
      const sol = s.solve(problem, { exact: true, timeLimitMs: 300 });
      if (sol.optimal) {
        cases.push({ name: `${family} seed ${seed}`, problem, optimum: sol.maxKvpr });
        taken++;
      }
    }
  }
  return cases;
}

describe("proven optima hold up against a MILP (HiGHS)", () => {
  it("feasible at the reported optimum, infeasible 1e-6 below it", async () => {
    const cases = await provedCases();
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const { name, problem, optimum } of cases) {
      expect(await milpFeasible(problem, optimum * (1 + 1e-9)), name).toBe(true);
      expect(await milpFeasible(problem, optimum * (1 - 1e-6)), name).toBe(false);
    }
  }, 600_000);
});
