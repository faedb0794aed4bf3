// Demand scenarios: one placement judged by its worst max KVPR over all of them.
import { describe, expect, it } from "vitest";
import { adrsLike, bursty, diurnal, fleet, mixedGpus, SCENARIO_FAMILIES } from "../bench/generate.js";
import { evaluate, lowerBound, PlacementError, type Problem, type Scenario } from "../dist/index.js";
import { bruteForceOptimum, demandsOf, ENGINES, expectConfirmed, expectValid, milpFeasible, solver } from "./support.js";

/** The problem with its models' own rates as the only scenario. */
const asOneScenario = (p: Problem): Problem => ({ ...p, scenarios: [{ id: "only", reqRate: p.models.map((m) => m.reqRate!) }] });

/** A few models on a few GPUs, with `k` scenarios: small enough to enumerate. */
function tiny(seed: number, k: number): Problem {
  const p = diurnal(adrsLike(seed), k, seed);
  const models = p.models.slice(0, 7);
  return { gpus: 3, models, scenarios: p.scenarios!.map((s) => ({ ...s, reqRate: s.reqRate.slice(0, 7) })) };
}

describe("demand scenarios", () => {
  it("a single scenario of the models' own rates gives the plain problem's answer", async () => {
    const s = await solver();
    for (const generate of [adrsLike, mixedGpus]) {
      for (let seed = 1; seed <= 6; seed++) {
        const p = generate(seed);
        for (const engine of ENGINES) {
          const plain = s.solve(p, { engine });
          const one = s.solve(asOneScenario(p), { engine });
          expect(one.assignment).toEqual(plain.assignment);
          expect(one.maxKvpr).toBe(plain.maxKvpr);
          expect(one.lowerBound).toBe(plain.lowerBound);
          expect(one.scenarios).toEqual([{ ...plain.scenarios[0], id: "only" }]);
        }
      }
    }
  });

  it("reports the worst scenario as maxKvpr, each scenario's figures, and both engines agree", async () => {
    const s = await solver();
    // A node limit, not the clock, ends the exact search: then both engines must return the same.
    const limits = { maxNodes: 20_000, timeLimitMs: 60_000 };
    for (const [name, generate] of Object.entries(SCENARIO_FAMILIES)) {
      for (let seed = 1; seed <= 8; seed++) {
        const p = generate(seed);
        const wasm = s.solve(p, { engine: "wasm", ...limits });
        expectValid(p, wasm);
        expectConfirmed(p, wasm);
        expect(wasm.scenarios.map((r) => r.id)).toEqual(p.scenarios!.map((r) => r.id));
        for (const r of wasm.scenarios) expect(r.kvpr[r.bottleneck]).toBe(r.maxKvpr);
        expect(s.solve(p, { engine: "ts", ...limits }).assignment, `${name} seed ${seed}`).toEqual(wasm.assignment);
        expect(evaluate(p, wasm.assignment).scenarios).toEqual(wasm.scenarios);
      }
    }
  });

  it("the exact search proves the optimum found by enumerating every assignment", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 12; seed++) {
      const p = tiny(seed, 1 + (seed % 4));
      const optimum = bruteForceOptimum(p);
      for (const engine of ENGINES) {
        const sol = s.solve(p, { engine, exact: true, timeLimitMs: 30_000 });
        expect(sol.optimal, `seed ${seed}`).toBe(true);
        expect(Math.abs(sol.maxKvpr / optimum - 1), `seed ${seed}`).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it("proven optima hold up against a MILP over every scenario's constraint (HiGHS)", async () => {
    const s = await solver();
    let checked = 0;
    for (const [name, generate] of Object.entries(SCENARIO_FAMILIES)) {
      for (let seed = 1, taken = 0; taken < 2 && seed < 30; seed++) {
        const p = generate(seed);
        if (p.models.length > 12) continue;
        const sol = s.solve(p, { exact: true, timeLimitMs: 2_000 });
        if (!sol.optimal) continue;
        expect(await milpFeasible(p, sol.maxKvpr * (1 + 1e-9)), `${name} seed ${seed}`).toBe(true);
        expect(await milpFeasible(p, sol.maxKvpr * (1 - 1e-6)), `${name} seed ${seed}`).toBe(false);
        taken++;
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  }, 600_000);

  it("the robust optimum is no worse, over all scenarios, than any single scenario's optimum", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 6; seed++) {
      const p = tiny(seed, 4);
      const robust = s.solve(p, { exact: true });
      expect(robust.optimal).toBe(true);
      for (const one of p.scenarios!) {
        const single = s.solve({ ...p, scenarios: [one] }, { exact: true });
        expect(robust.maxKvpr).toBeLessThanOrEqual(evaluate(p, single.assignment).maxKvpr);
        // And the worst case is at least each scenario's own optimum.
        expect(robust.maxKvpr).toBeGreaterThanOrEqual(single.maxKvpr * (1 - 1e-12));
      }
    }
  });

  it("lower bounds are the largest single-scenario bounds", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const p = bursty(fleet(6, 30, seed), 5, seed);
      const each = p.scenarios!.map((one) => lowerBound({ ...p, scenarios: [one] }));
      expect(lowerBound(p)).toBe(Math.max(...each));
    }
  });

  it("composes with pins, groups, a move budget and warm start", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 6; seed++) {
      const p = SCENARIO_FAMILIES["bursty pinned"](seed);
      const grouped: Problem = { ...p, models: p.models.map((m, i) => (i % 4 === 1 && m.pinnedGpu === undefined ? { ...m, group: "pair" } : m)) };
      const first = s.solve(grouped);
      expectValid(grouped, first);
      // A day later: new scenarios (in place of the old), models where they are, at most 2 may move.
      const later = {
        ...diurnal(grouped, 4, seed + 100),
        models: grouped.models.map((m, i) => ({ ...m, currentGpu: first.assignment[i]! })),
      };
      for (const engine of ENGINES) {
        const moved = s.solve(later, { engine, maxMoves: 2 });
        expect(evaluate(later, moved.assignment, { maxMoves: 2 }).violations).toEqual([]);
        expect(moved.moves.length).toBeLessThanOrEqual(2);
        const warm = s.solve(later, { engine, warmStart: true });
        expectValid(later, warm);
        expect(warm.maxKvpr).toBeLessThanOrEqual(evaluate(later, first.assignment).maxKvpr);
      }
    }
  });

  it("composes with move costs: a cost budget, minGain and the move frontier all judge the worst scenario", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 4; seed++) {
      const p = diurnal(fleet(6, 24, seed), 5, seed);
      const first = s.solve(p, { exact: false });
      // Later: new scenarios, every model where it runs, moves costing a third of a GB per GB plus a fixed part.
      const later: Problem = {
        ...diurnal(p, 4, seed + 100),
        models: p.models.map((m, i) => ({ ...m, currentGpu: first.assignment[i]!, moveCost: 1 + m.sizeGB / 3 })),
      };
      const kept = evaluate(later, first.assignment);
      const totalCost = later.models.reduce((sum, m) => sum + m.moveCost!, 0);
      for (const engine of ENGINES) {
        const budget = totalCost / 5;
        const within = s.solve(later, { engine, exact: false, maxMoveCost: budget });
        expect(evaluate(later, within.assignment, { maxMoveCost: budget }).violations).toEqual([]);
        expect(within.moveCost).toBeLessThanOrEqual(budget);
        expect(within.maxKvpr).toBe(evaluate(later, within.assignment).maxKvpr);
        expect(within.maxKvpr).toBeLessThanOrEqual(kept.maxKvpr);
        // A gain no placement reaches keeps the current one, whose max KVPR is its worst over the scenarios.
        const unmoved = s.solve(later, { engine, exact: false, minGain: 0.999 });
        expect(unmoved.gainCheck).toMatchObject({ moved: false, currentMaxKvpr: kept.maxKvpr });
        expect(unmoved.assignment).toEqual(first.assignment);
        expect(unmoved.scenarios).toEqual(kept.scenarios);
      }
      const frontier = s.moveFrontier(later, { by: "cost", exact: false, budgets: [0, totalCost / 8, totalCost / 4, totalCost / 2] });
      let previous = Infinity;
      for (const point of frontier.points) {
        expect(evaluate(later, point.assignment, { maxMoveCost: point.budget }).violations).toEqual([]);
        expect(point.maxKvpr).toBe(evaluate(later, point.assignment).maxKvpr);
        expect(point.maxKvpr).toBeLessThanOrEqual(previous);
        previous = point.maxKvpr;
      }
      expect(frontier.points[0]!.maxKvpr).toBe(kept.maxKvpr);
    }
  });

  it("planCapacity finds a pool that meets the target in every scenario", async () => {
    const s = await solver();
    const p = diurnal(fleet(8, 40, 3), 6, 3);
    const target = 1.2 * lowerBound(p);
    const plan = s.planCapacity({ models: p.models, scenarios: p.scenarios!, targetKvpr: target });
    expect(plan.solution.scenarios).toHaveLength(6);
    for (const r of plan.solution.scenarios) expect(r.maxKvpr).toBeLessThanOrEqual(target);
    expect(plan.lowerBound).toBeLessThanOrEqual(plan.gpus);
  });

  it("evaluate names the scenario in which a full GPU carries demand", () => {
    const p: Problem = {
      gpus: [{ memGB: 40 }, { memGB: 80 }],
      models: [
        { id: "a", sizeGB: 20, slo: 1 },
        { id: "b", sizeGB: 20, slo: 1 },
      ],
      scenarios: [
        { id: "night", reqRate: [0, 0] },
        { id: "peak", reqRate: [0, 3] },
      ],
    };
    const ev = evaluate(p, [0, 0]);
    expect(ev.feasible).toBe(false);
    expect(ev.violations).toEqual(['GPU 0 is full while it carries demand in scenario 1 ("peak") (infinite KVPR)']);
    expect(ev.scenarios.map((r) => r.maxKvpr)).toEqual([0, Infinity]);
  });

  it("uses a scenario's own SLOs where it gives them", async () => {
    const s = await solver();
    const p: Problem = {
      gpus: 2,
      models: [
        { sizeGB: 10, slo: 1 },
        { sizeGB: 10, slo: 2 },
      ],
      scenarios: [{ reqRate: [4, 4], slo: [2, 4] }],
    };
    expect(demandsOf(p)).toEqual([[2, 1]]);
    expect(s.solve(p).maxKvpr).toBe(2 / 70);
  });
});

describe("bad scenarios are refused with the scenario and the model named", () => {
  const base = (scenarios: unknown): Problem => ({
    gpus: 2,
    models: [
      { id: "x", sizeGB: 10, slo: 1 },
      { sizeGB: 10, slo: 1 },
    ],
    scenarios: scenarios as Scenario[],
  });
  const refusal = (p: Problem): PlacementError => {
    try {
      lowerBound(p);
    } catch (e) {
      if (e instanceof PlacementError) return e;
      throw e;
    }
    throw new Error("accepted");
  };
  const cases: [string, unknown, string, number | undefined, number | undefined, RegExp][] = [
    ["an empty list", [], "INVALID_SCENARIO", undefined, undefined, /empty list/],
    ["not a list", { reqRate: [1, 1] }, "INVALID_SCENARIO", undefined, undefined, /must be a list/],
    [
      "a short reqRate",
      [{ reqRate: [1, 1] }, { id: "peak", reqRate: [1] }],
      "INVALID_SCENARIO",
      1,
      undefined,
      /scenario 1 \("peak"\): reqRate has 1 entries but there are 2 models/,
    ],
    ["a long slo", [{ reqRate: [1, 1], slo: [1, 1, 1] }], "INVALID_SCENARIO", 0, undefined, /slo has 3 entries/],
    ["a negative rate", [{ reqRate: [-1, 1] }], "INVALID_SCENARIO", 0, 0, /scenario 0, model 0 \("x"\): reqRate must be a finite number >= 0, got -1/],
    ["a NaN rate", [{ reqRate: [1, Number.NaN] }], "INVALID_SCENARIO", 0, 1, /model 1: reqRate .* got NaN/],
    ["an infinite rate", [{ reqRate: [1, 1] }, { reqRate: [Infinity, 1] }], "INVALID_SCENARIO", 1, 0, /got Infinity/],
    ["a rate as a string", [{ reqRate: ["1", 1] }], "INVALID_SCENARIO", 0, 0, /the string "1"/],
    ["a zero SLO", [{ reqRate: [1, 1], slo: [1, 0] }], "INVALID_SCENARIO", 0, 1, /slo must be a finite number > 0/],
    [
      "a repeated id",
      [
        { id: "a", reqRate: [1, 1] },
        { id: "a", reqRate: [1, 1] },
      ],
      "DUPLICATE_ID",
      1,
      undefined,
      /repeats the id "a"/,
    ],
    ["too many", Array.from({ length: 1025 }, () => ({ reqRate: [1, 1] })), "TOO_LARGE", undefined, undefined, /1025 scenarios is more than the 1024/],
  ];
  for (const [what, scenarios, code, scenario, model, message] of cases) {
    it(what, () => {
      const e = refusal(base(scenarios));
      expect(e.code).toBe(code);
      expect(e.scenario).toBe(scenario);
      expect(e.model).toBe(model);
      expect(e.message).toMatch(message);
    });
  }

  it("too many scenarios for the models and GPUs", () => {
    const p: Problem = {
      gpus: 4096,
      models: Array.from({ length: 20_480 }, () => ({ sizeGB: 1, slo: 1 })),
      scenarios: Array.from({ length: 26 }, () => ({ reqRate: [] })),
    };
    const e = refusal(p);
    expect(e.code).toBe("TOO_LARGE");
    expect(e.message).toBe("26 scenarios of 20480 models on 4096 GPUs is too many: at most 25 scenarios for 20480 models on 4096 GPUs");
  });

  it("a week of hours is accepted", () => {
    const p = diurnal(fleet(4, 20, 1), 168, 1);
    expect(lowerBound(p)).toBeGreaterThan(0);
  });

  it("a model's reqRate is not used, nor needed, when scenarios are given", async () => {
    const s = await solver();
    const withRates = {
      gpus: 2,
      models: [
        { sizeGB: 10, reqRate: 1e9, slo: 1 },
        { sizeGB: 10, reqRate: -5, slo: 1 },
      ],
      scenarios: [{ reqRate: [1, 2] }],
    };
    const without = base([{ reqRate: [1, 2] }]);
    expect(s.solve(withRates).maxKvpr).toBe(s.solve(without).maxKvpr);
  });
});
