import { describe, expect, it } from "vitest";
import { adrsLike, fleet } from "../bench/generate.js";
import { evaluate, expandReplicas, lowerBound, PlacementError, planCapacity, type Model, type Problem, type Solution } from "../dist/index.js";
import { ENGINES, expectValid, solver } from "./support.js";

/** Applies a move plan step by step from the current placement, asserting memory at every step. */
function replay(problem: Problem, sol: Solution): void {
  const caps = typeof problem.gpus === "number" ? new Array<number>(problem.gpus).fill(problem.gpuMemGB ?? 80) : problem.gpus.map((g) => g.memGB);
  const used = caps.map(() => 0);
  problem.models.forEach((m) => m.currentGpu !== undefined && (used[m.currentGpu]! += m.sizeGB));
  const parked: number[] = [];
  for (const step of sol.moves) {
    const m = problem.models[step.model]!;
    expect(step.from).toBe(m.currentGpu);
    expect(step.to).toBe(sol.assignment[step.model]);
    used[step.from]! -= m.sizeGB;
    if (step.staged) parked.push(step.model);
    else {
      used[step.to]! += m.sizeGB;
      expect(used[step.to]!).toBeLessThanOrEqual(caps[step.to]! + 1e-9);
    }
  }
  for (const i of parked) used[sol.assignment[i]!]! += problem.models[i]!.sizeGB;
  used.forEach((u, j) => expect(u).toBeLessThanOrEqual(caps[j]! + 1e-9));
  const moved = problem.models.filter((m, i) => m.currentGpu !== undefined && m.currentGpu !== sol.assignment[i]).length;
  expect(sol.moves).toHaveLength(moved);
}

/** The problem as it drifts: rates change by up to ±`drift`, models stay where `previous` put them. */
function drifted(problem: Problem, previous: number[], drift: number, seed: number): Problem {
  let x = seed;
  const r = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296;
  return { ...problem, models: problem.models.map((m, i) => ({ ...m, reqRate: (m.reqRate ?? 0) * (1 - drift + 2 * drift * r()), currentGpu: previous[i]! })) };
}

describe("re-placement with a migration budget", () => {
  for (const engine of ENGINES) {
    it(`maxMoves bounds the models that leave their GPU, and more moves never hurt (${engine})`, async () => {
      const s = await solver();
      for (let seed = 1; seed <= 15; seed++) {
        const base = fleet(12, 48, seed);
        const before = s.solve(base, { engine, exact: false });
        const problem = drifted(base, before.assignment, 0.6, seed);
        const stay = evaluate(problem, before.assignment).maxKvpr;
        let last = stay;
        for (const k of [0, 1, 2, 4, 8]) {
          const sol = s.solve(problem, { engine, maxMoves: k, exact: false });
          expectValid(problem, sol);
          expect(sol.moves.length).toBeLessThanOrEqual(k);
          expect(sol.maxKvpr).toBeLessThanOrEqual(last * (1 + 1e-12));
          replay(problem, sol);
          last = sol.maxKvpr;
        }
        expect(s.solve(problem, { engine, maxMoves: 0, exact: false }).moves).toEqual([]);
      }
    });
  }

  it("both engines agree under a budget", async () => {
    const s = await solver();
    const base = fleet(10, 40, 3);
    const problem = drifted(base, s.solve(base, { exact: false }).assignment, 0.5, 3);
    const [wasm, ts] = ENGINES.map((engine) => s.solve(problem, { engine, maxMoves: 3, maxNodes: 2000 }));
    expect(ts!.assignment).toEqual(wasm!.assignment);
  });

  it("without a budget, no model moves unless moving it lowers the max KVPR", async () => {
    const s = await solver();
    const base = adrsLike(5);
    const first = s.solve(base);
    // Already optimal where it stands: nothing should move.
    const same = { ...base, models: base.models.map((m, i) => ({ ...m, currentGpu: first.assignment[i]! })) };
    const again = s.solve(same);
    expect(again.maxKvpr).toBe(first.maxKvpr);
    expect(again.moves).toEqual([]);
  });

  it("every moved model is needed: sending any single one back raises the max KVPR or breaks memory", async () => {
    const s = await solver();
    for (let seed = 1; seed <= 10; seed++) {
      const base = fleet(8, 32, seed);
      const problem = drifted(base, s.solve(base, { exact: false }).assignment, 0.7, seed);
      const sol = s.solve(problem, { exact: false });
      for (const { model, from } of sol.moves) {
        const back = [...sol.assignment];
        back[model] = from;
        const ev = evaluate(problem, back);
        expect(!ev.feasible || ev.maxKvpr > sol.maxKvpr).toBe(true);
      }
    }
  });

  it("a swap cycle that no order can do in place is marked staged", async () => {
    const s = await solver();
    // Two full GPUs whose big models must trade places.
    const problem: Problem = {
      gpus: 2,
      models: [
        { id: "a", sizeGB: 60, reqRate: 0, slo: 1, currentGpu: 0, pinnedGpu: 1 },
        { id: "b", sizeGB: 60, reqRate: 0, slo: 1, currentGpu: 1, pinnedGpu: 0 },
      ],
    };
    const sol = s.solve(problem);
    expect(sol.moves).toHaveLength(2);
    expect(sol.moves[0]!.staged).toBe(true);
    expect(sol.moves[1]!.staged).toBeUndefined();
    replay(problem, sol);
  });

  it("a budget too small to fix an overfull placement is INFEASIBLE, with the budget in the message", async () => {
    const s = await solver();
    const problem: Problem = {
      gpus: 2,
      models: [
        { sizeGB: 50, reqRate: 1, slo: 1, currentGpu: 0 },
        { sizeGB: 40, reqRate: 1, slo: 1, currentGpu: 0 },
      ],
    };
    expect(() => s.solve(problem, { maxMoves: 0 })).toThrowError(expect.objectContaining({ code: "INFEASIBLE", message: expect.stringMatching(/at most 0/) }));
    const fixed = s.solve(problem, { maxMoves: 1 });
    expect(fixed.moves).toHaveLength(1);
  });

  it("a warm start from the previous solution reaches as good a placement", async () => {
    const s = await solver();
    const base = fleet(100, 500, 9);
    const cold = s.solve(base, { exact: false });
    const problem = drifted(base, cold.assignment, 0.1, 9);
    const warm = s.solve(problem, { warmStart: true, exact: false });
    const coldAgain = s.solve({ ...problem, models: problem.models.map(({ currentGpu: _, ...m }) => m) }, { exact: false });
    expectValid(problem, warm);
    expect(warm.maxKvpr).toBeLessThanOrEqual(coldAgain.maxKvpr * 1.003);
  });
});

describe("spread groups", () => {
  const shards = (id: string, count: number, m: Omit<Model, "group">): Model[] =>
    Array.from({ length: count }, (_, k) => ({ ...m, id: `${id}-${k}`, group: id }));

  for (const engine of ENGINES) {
    it(`models of one group land on distinct GPUs, heuristic and exact (${engine})`, async () => {
      const s = await solver();
      for (let seed = 1; seed <= 20; seed++) {
        const p = adrsLike(seed);
        const g = p.gpus as number;
        const models = [
          ...p.models,
          ...shards("tp", Math.min(4, g), { sizeGB: 12, reqRate: 8, slo: 5 }),
          ...shards("rep", 2, { sizeGB: 9, reqRate: 4, slo: 6 }),
        ];
        const problem = { ...p, models };
        for (const exact of [false, true]) {
          const sol = s.solve(problem, { engine, exact, maxNodes: 50_000 });
          expectValid(problem, sol);
          for (const group of ["tp", "rep"]) {
            const where = models.flatMap((m, i) => (m.group === group ? [sol.assignment[i]] : []));
            expect(new Set(where).size, `${group} seed ${seed}`).toBe(where.length);
          }
        }
      }
    });
  }

  it("a group larger than the pool, or two members pinned together, is GROUP_INFEASIBLE", async () => {
    const s = await solver();
    const three = shards("x", 3, { sizeGB: 1, reqRate: 1, slo: 1 });
    expect(() => s.solve({ gpus: 2, models: three })).toThrow(PlacementError);
    expect(() => s.solve({ gpus: 2, models: three })).toThrowError(expect.objectContaining({ code: "GROUP_INFEASIBLE", model: 2 }));
    const pinned = shards("y", 2, { sizeGB: 1, reqRate: 1, slo: 1, pinnedGpu: 1 });
    expect(() => s.solve({ gpus: 2, models: pinned })).toThrowError(expect.objectContaining({ code: "GROUP_INFEASIBLE", gpu: 1 }));
  });

  it("the exact optimum with groups matches enumeration", async () => {
    const s = await solver();
    const problem: Problem = {
      gpus: 3,
      models: [
        ...shards("g", 3, { sizeGB: 20, reqRate: 6, slo: 5 }),
        { sizeGB: 30, reqRate: 2, slo: 6 },
        { sizeGB: 10, reqRate: 9, slo: 5 },
        { sizeGB: 25, reqRate: 1, slo: 9 },
      ],
    };
    let best = Infinity;
    const n = problem.models.length;
    for (let code = 0; code < 3 ** n; code++) {
      const a = Array.from({ length: n }, (_, i) => Math.floor(code / 3 ** i) % 3);
      if (new Set(a.slice(0, 3)).size < 3) continue;
      const ev = evaluate(problem, a);
      if (ev.feasible) best = Math.min(best, ev.maxKvpr);
    }
    for (const engine of ENGINES) {
      const sol = s.solve(problem, { engine, exact: true });
      expect(sol.optimal).toBe(true);
      expect(sol.maxKvpr).toBeCloseTo(best, 12);
    }
  });
});

describe("replicas of hot models", () => {
  it("expandReplicas splits the rate across copies in one spread group", () => {
    const models: Model[] = [
      { id: "hot", sizeGB: 10, reqRate: 90, slo: 5 },
      { id: "cold", sizeGB: 10, reqRate: 1, slo: 5 },
    ];
    const out = expandReplicas(models, { id: "hot", replicas: 3 });
    expect(out.map((m) => m.id)).toEqual(["hot#0", "hot#1", "hot#2", "cold"]);
    expect(out.slice(0, 3).map((m) => [m.reqRate, m.group, m.sizeGB])).toEqual([
      [30, "hot", 10],
      [30, "hot", 10],
      [30, "hot", 10],
    ]);
    expect(models[0]!.reqRate).toBe(90);
    expect(() => expandReplicas(models, { id: "nope", replicas: 2 })).toThrow(PlacementError);
    expect(() => expandReplicas(models, { id: "hot", replicas: 0 })).toThrow(PlacementError);
  });

  it("expandReplicas refuses two specs for one id, and a copy's id another model already has, naming it", () => {
    const models: Model[] = [
      { id: "hot", sizeGB: 10, reqRate: 90, slo: 5 },
      { id: "cold", sizeGB: 10, reqRate: 1, slo: 5 },
      { id: "hot#1", sizeGB: 10, reqRate: 1, slo: 5 },
    ];
    const twice = () =>
      expandReplicas(models, [
        { id: "hot", replicas: 2 },
        { id: "hot", replicas: 3 },
      ]);
    expect(twice).toThrow(expect.objectContaining({ code: "DUPLICATE_ID", model: 0, message: 'two replica specs name the model "hot": give one' }));
    const clash = () => expandReplicas(models, { id: "hot", replicas: 2 });
    expect(clash).toThrow(
      expect.objectContaining({ code: "DUPLICATE_ID", model: 2, message: 'replicating "hot" makes the id "hot#1", which model 2 already has' }),
    );
    // Replicating the model that holds the id frees it: its copies are hot#1#0 and hot#1#1.
    expect(
      expandReplicas(models, [
        { id: "hot", replicas: 2 },
        { id: "hot#1", replicas: 2 },
      ]).map((m) => m.id),
    ).toEqual(["hot#0", "hot#1", "cold", "hot#1#0", "hot#1#1"]);
  });

  it("replicating the one model that pins the maximum lowers it", async () => {
    const s = await solver();
    const models: Model[] = [{ id: "hot", sizeGB: 20, reqRate: 120, slo: 2 }, ...fleet(8, 24, 4).models.map((m, i) => ({ ...m, id: `m${i}` }))];
    const single = s.solve({ gpus: 8, models });
    const spread = s.solve({ gpus: 8, models: expandReplicas(models, { id: "hot", replicas: 4 }) });
    expect(single.maxKvpr).toBeCloseTo(60 / 60, 9);
    expect(spread.maxKvpr).toBeLessThan(single.maxKvpr * 0.7);
  });
});

describe("capacity planning", () => {
  it("finds the fewest GPUs that meet a target, and proves fewer cannot", async () => {
    const s = await solver();
    const { models } = fleet(20, 100, 6);
    for (const targetKvpr of [0.05, 0.1, 0.2]) {
      const plan = await planCapacity({ models, gpuMemGB: 80, targetKvpr });
      expect(plan.solution.maxKvpr).toBeLessThanOrEqual(targetKvpr);
      expect(plan.solution.gpus).toHaveLength(plan.gpus);
      expect(plan.lowerBound).toBeLessThanOrEqual(plan.gpus);
      if (plan.lowerBound > 1) {
        let below: number;
        try {
          below = lowerBound({ gpus: plan.lowerBound - 1, gpuMemGB: 80, models });
        } catch {
          below = Infinity; // too little memory at all
        }
        expect(below).toBeGreaterThan(targetKvpr);
      }
      if (plan.gpus > 1) expect(s.solve({ gpus: plan.gpus - 1, models }, { exact: false }).maxKvpr).toBeGreaterThan(targetKvpr);
    }
  });

  it("plans 5,000 models of 1 GB: the counts tried stop at the GPUs kvplace accepts, not one GPU per model", async () => {
    const models: Model[] = Array.from({ length: 5000 }, (_, i) => ({ sizeGB: 1, reqRate: 1 + (i % 7), slo: 5 }));
    const plan = await planCapacity({ models, gpuMemGB: 80, targetKvpr: 1 });
    expect(plan.solution.maxKvpr).toBeLessThanOrEqual(1);
    expect(plan.solution.gpus).toHaveLength(plan.gpus);
    expect(plan.lowerBound).toBeLessThanOrEqual(plan.gpus);
    expect(lowerBound({ gpus: plan.lowerBound - 1, gpuMemGB: 80, models })).toBeGreaterThan(1);
  });

  it("a gpu with an id names the pool's GPUs after it", async () => {
    const models: Model[] = [
      { sizeGB: 50, reqRate: 1, slo: 1 },
      { sizeGB: 50, reqRate: 1, slo: 1 },
    ];
    const plan = await planCapacity({ models, gpu: { id: "h100", memGB: 80 }, targetKvpr: 1 });
    expect(plan.solution.gpus.map((g) => g.id)).toEqual(["h100-0", "h100-1"]);
    await expect(planCapacity({ models, gpu: "h100" as never, targetKvpr: 1 })).rejects.toMatchObject({ code: "INVALID_GPU" });
  });

  it("a target below what one model alone reaches is TARGET_UNREACHABLE", async () => {
    const models: Model[] = [{ sizeGB: 40, reqRate: 40, slo: 1 }];
    await expect(planCapacity({ models, targetKvpr: 0.5 })).rejects.toMatchObject({ code: "TARGET_UNREACHABLE" });
    expect((await planCapacity({ models, targetKvpr: 1, gpu: { memGB: 80 } })).gpus).toBe(1);
  });
});

describe("capacity planning with pins", () => {
  it("a model pinned to GPU 3 makes at least 4 GPUs, and current GPUs do not matter", async () => {
    const models: Model[] = [
      { sizeGB: 10, reqRate: 1, slo: 5, pinnedGpu: 3, currentGpu: 3 },
      { sizeGB: 10, reqRate: 1, slo: 5, currentGpu: 7 },
    ];
    const plan = await planCapacity({ models, targetKvpr: 1 });
    expect(plan.lowerBound).toBe(4);
    expect(plan.gpus).toBe(4);
    expect(plan.solution.assignment[0]).toBe(3);
  });

  it("TARGET_UNREACHABLE names the model that alone exceeds the target", async () => {
    await expect(
      planCapacity({
        models: [
          { sizeGB: 1, reqRate: 1, slo: 1 },
          { sizeGB: 40, reqRate: 40, slo: 1 },
        ],
        targetKvpr: 0.5,
      }),
    ).rejects.toMatchObject({
      code: "TARGET_UNREACHABLE",
      model: 1,
    });
  });
});
