import { describe, expect, it } from "vitest";
import { bursty, diurnal, poolRequest } from "../bench/generate.js";
import { evaluate, planPool, type GpuType, type Model, type PoolPlan, type PoolRequest } from "../dist/index.js";
import { createWorkerSolver } from "../dist/worker/index.js";
import { loadHighs, solver } from "./support.js";

/**
 * Checks a plan from scratch: GPU ids name a type of the request and number
 * its GPUs from 0, the counts are those GPUs, the stock is respected, the cost
 * is what the GPUs beyond those owned cost, and every GPU's KVPR, recomputed
 * from the assignment, is within memory and at or below the target (in every
 * demand scenario, when the request has them).
 */
function expectMeetsTarget(request: PoolRequest, plan: PoolPlan): void {
  const types = new Map(request.gpuTypes.map((t) => [t.name, t]));
  const seen = new Map<string, number>();
  for (const gpu of plan.solution.gpus) {
    const hash = gpu.id.lastIndexOf("#");
    const type = types.get(gpu.id.slice(0, hash)) as GpuType;
    expect(type, gpu.id).toBeDefined();
    const k = Number(gpu.id.slice(hash + 1));
    expect(k, `${gpu.id} numbered in order`).toBe(seen.get(type.name) ?? 0);
    seen.set(type.name, k + 1);
    expect(gpu.memGB).toBe(type.memGB);
  }
  let cost = 0;
  for (const t of request.gpuTypes) {
    const count = plan.counts[t.name] as number;
    expect(count, t.name).toBe(seen.get(t.name) ?? 0);
    const owned = t.owned ?? 0;
    expect(count).toBeGreaterThanOrEqual(owned);
    expect(count - owned).toBeLessThanOrEqual(t.available ?? Infinity);
    cost += t.cost * (count - owned);
  }
  expect(plan.cost).toBeCloseTo(cost, 9);
  const used = plan.solution.gpus.map(() => 0);
  expect(plan.solution.assignment).toHaveLength(request.models.length);
  request.models.forEach((m, i) => (used[plan.solution.assignment[i] as number]! += m.sizeGB));
  for (const rates of ratesOf(request)) {
    const demand = plan.solution.gpus.map(() => 0);
    request.models.forEach((m, i) => (demand[plan.solution.assignment[i] as number]! += rates[i]! / m.slo));
    plan.solution.gpus.forEach((gpu, j) => {
      const free = gpu.memGB - used[j]!;
      expect(free, gpu.id).toBeGreaterThanOrEqual(0);
      if (demand[j]! > 0) expect(demand[j]! / free, gpu.id).toBeLessThanOrEqual(request.targetKvpr);
    });
  }
  expect(plan.lowerBound).toBeLessThanOrEqual(plan.cost);
  expect(plan.optimal).toBe(plan.lowerBound === plan.cost);
}

/** Each demand scenario's request rates, or the models' own when there are none. */
const ratesOf = (request: PoolRequest): readonly (readonly number[])[] => request.scenarios?.map((s) => s.reqRate) ?? [request.models.map((m) => m.reqRate!)];

/**
 * The cheapest pool by HiGHS: a MILP over which GPUs of each type to have
 * (as many copies as models, owned copies free) and where each model goes,
 * with Σ d + T·Σ s ≤ T·C in every demand scenario and Σ s ≤ C on every GPU in use.
 */
async function cheapestByMilp(request: PoolRequest): Promise<number> {
  const { models, gpuTypes, targetKvpr: T } = request;
  const gpus = gpuTypes.flatMap((t) => {
    const copies = Math.min(models.length, (t.owned ?? 0) + (t.available ?? Infinity));
    return Array.from({ length: copies }, (_, k) => ({ memGB: t.memGB, cost: k < (t.owned ?? 0) ? 0 : t.cost, type: t.name }));
  });
  const x = (i: number, j: number) => `x_${i}_${j}`;
  const rows: string[] = [];
  models.forEach((_, i) => rows.push(` one_${i}: ${gpus.map((_, j) => x(i, j)).join(" + ")} = 1`));
  gpus.forEach((g, j) => {
    ratesOf(request).forEach((rates, k) =>
      rows.push(` kv_${k}_${j}: ${models.map((m, i) => `${rates[i]! / m.slo + T * m.sizeGB} ${x(i, j)}`).join(" + ")} - ${T * g.memGB} y_${j} <= 0`),
    );
    rows.push(` mem_${j}: ${models.map((m, i) => `${m.sizeGB} ${x(i, j)}`).join(" + ")} - ${g.memGB} y_${j} <= 0`);
    // Copies of a type are used in order: the same pools, far fewer branches.
    if (j > 0 && gpus[j - 1]!.type === g.type) rows.push(` order_${j}: y_${j - 1} - y_${j} >= 0`);
  });
  const groups = new Map<string, number[]>();
  // The pool requests here name one group per model.
  models.forEach((m, i) => typeof m.group === "string" && groups.set(m.group, [...(groups.get(m.group) ?? []), i]));
  [...groups.values()].forEach((members, k) => gpus.forEach((_, j) => rows.push(` group_${k}_${j}: ${members.map((i) => x(i, j)).join(" + ")} <= 1`)));
  const vars = [...models.flatMap((_, i) => gpus.map((_, j) => x(i, j))), ...gpus.map((_, j) => `y_${j}`)];
  const objective = gpus.map((g, j) => `${g.cost} y_${j}`).join(" + ");
  const lp = `Minimize\n obj: ${objective}\nSubject To\n${rows.join("\n")}\nBinaries\n ${vars.join(" ")}\nEnd\n`;
  const result = (await loadHighs()).solve(lp, {
    output_flag: false,
    mip_feasibility_tolerance: 1e-10,
    primal_feasibility_tolerance: 1e-10,
    mip_rel_gap: 0,
    time_limit: 60,
  });
  if (result.Status !== "Optimal") throw new Error(`HiGHS ended with ${result.Status}`);
  return result.ObjectiveValue;
}

/** Small requests: 6–12 models, 2–3 types, some with GPUs owned or a limited stock. */
function smallRequests(): PoolRequest[] {
  const requests: PoolRequest[] = [];
  for (let seed = 1; seed <= 14; seed++) {
    const request = poolRequest(seed, 6 + (seed % 7), 2 + (seed % 2));
    if (seed % 3 === 1) request.gpuTypes[0]!.owned = 1;
    if (seed % 3 === 2) request.gpuTypes[request.gpuTypes.length - 1]!.available = 2;
    requests.push(request);
  }
  return requests;
}

describe("planPool: the cheapest pool for a target", () => {
  it("proves the optimum on small requests, and HiGHS finds the same cost", async () => {
    const s = await solver();
    for (const request of smallRequests()) {
      const plan = s.planPool(request, { timeLimitMs: 5_000 });
      expectMeetsTarget(request, plan);
      const name = JSON.stringify(request.gpuTypes.map((t) => t.name));
      expect(plan.optimal, name).toBe(true);
      const optimum = await cheapestByMilp(request);
      expect(plan.cost, name).toBeCloseTo(optimum, 6);
      // With next to no time the bound comes from the covers and the fragmentation bound alone: still below the optimum.
      const hurried = s.planPool(request, { timeLimitMs: 1, exact: false });
      expectMeetsTarget(request, hurried);
      expect(hurried.lowerBound, name).toBeLessThanOrEqual(optimum + 1e-9);
    }
  }, 120_000);

  it("comes within 5% of its lower bound on 300 to 2,000 models and 4–5 types", async () => {
    const s = await solver();
    for (const [seed, n, types] of [
      [21, 300, 4],
      [22, 1000, 5],
      [23, 2000, 4],
    ] as const) {
      const request = poolRequest(seed, n, types);
      const plan = s.planPool(request, { timeLimitMs: 1_000 });
      expectMeetsTarget(request, plan);
      expect(plan.cost / plan.lowerBound, `${n} models`).toBeLessThanOrEqual(1.05);
    }
  }, 120_000);

  it("uses the GPUs owned before buying any, and costs nothing when they suffice", async () => {
    const s = await solver();
    const request = poolRequest(5, 40, 3);
    const bought = s.planPool(request, { timeLimitMs: 500 });
    const largest = request.gpuTypes[request.gpuTypes.length - 1]!;
    const owning = { ...request, gpuTypes: request.gpuTypes.map((t) => (t === largest ? { ...t, owned: 4 } : t)) };
    const plan = s.planPool(owning, { timeLimitMs: 500 });
    expectMeetsTarget(owning, plan);
    expect(plan.counts[largest.name]).toBeGreaterThanOrEqual(4);
    expect(plan.cost).toBeLessThanOrEqual(bought.cost);
    // Within a type the GPUs owned (numbered first) carry models before any bought one does.
    for (const t of owning.gpuTypes) {
      const gpus = plan.solution.gpus.filter((g) => g.id.startsWith(`${t.name}#`));
      const firstEmpty = gpus.findIndex((g) => g.models.length === 0);
      if (firstEmpty >= 0) expect(gpus.slice(firstEmpty).every((g) => g.models.length === 0)).toBe(true);
    }
    const plenty = { ...request, gpuTypes: request.gpuTypes.map((t) => (t === largest ? { ...t, owned: 40 } : t)) };
    const free = s.planPool(plenty, { timeLimitMs: 500 });
    expect(free.cost).toBe(0);
    expect(free.optimal).toBe(true);
    expect(free.counts[largest.name]).toBe(40);
  });

  it("never buys more than the stock, and a limited stock never beats the bound without a limit", async () => {
    const s = await solver();
    const request = poolRequest(7, 120, 4);
    const open = s.planPool(request, { timeLimitMs: 500 });
    const [busiest] = request.gpuTypes.filter((t) => open.counts[t.name]! > 1).sort((a, b) => open.counts[b.name]! - open.counts[a.name]!);
    const limit = Math.floor(open.counts[busiest!.name]! / 2);
    const limited = { ...request, gpuTypes: request.gpuTypes.map((t) => (t === busiest ? { ...t, available: limit } : t)) };
    const plan = s.planPool(limited, { timeLimitMs: 500 });
    expectMeetsTarget(limited, plan);
    expect(plan.counts[busiest!.name]).toBeLessThanOrEqual(limit);
    // A pool within the stock is a pool without a limit too: it cannot beat that proven bound.
    expect(plan.cost).toBeGreaterThanOrEqual(open.lowerBound);
  });

  it("keeps a spread group on distinct GPUs, and buys enough GPUs for it", async () => {
    const s = await solver();
    const models: Model[] = [0, 1, 2, 3].map((k) => ({ id: `shard${k}`, sizeGB: 2, reqRate: 0.1, slo: 1, group: "tp" }));
    const request = { models, gpuTypes: [{ name: "L4-24", memGB: 24, cost: 1 }], targetKvpr: 1 };
    const plan = s.planPool(request);
    expectMeetsTarget(request, plan);
    expect(plan.counts["L4-24"]).toBe(4);
    expect(new Set(plan.solution.assignment).size).toBe(4);
    expect(plan.optimal).toBe(true);
  });

  it("with no models, a pool is one GPU: an owned one, else the cheapest", async () => {
    const s = await solver();
    const gpuTypes: GpuType[] = [
      { name: "H100-80", memGB: 80, cost: 3.3 },
      { name: "L4-24", memGB: 24, cost: 0.8 },
    ];
    expect(s.planPool({ models: [], gpuTypes, targetKvpr: 0.1 })).toMatchObject({ counts: { "H100-80": 0, "L4-24": 1 }, cost: 0.8, optimal: true });
    const owning = [{ ...gpuTypes[0]!, owned: 1 }, gpuTypes[1]!];
    expect(s.planPool({ models: [], gpuTypes: owning, targetKvpr: 0.1 })).toMatchObject({ counts: { "H100-80": 1, "L4-24": 0 }, cost: 0, optimal: true });
  });

  it("ignores currentGpu: a new pool starts from nothing", async () => {
    const s = await solver();
    const request = poolRequest(3, 12, 3);
    const moved = { ...request, models: request.models.map((m, i) => ({ ...m, currentGpu: i % 3 })) };
    const plan = s.planPool(moved, { timeLimitMs: 2_000 });
    expect(plan.cost).toBe(s.planPool(request, { timeLimitMs: 2_000 }).cost);
    expect(plan.solution.moves).toEqual([]);
  });
});

/** Small requests with 2–3 demand scenarios: the hours of a day, or bursts of one cohort (at a target they can reach). */
function scenarioRequests(): PoolRequest[] {
  const requests: PoolRequest[] = [];
  for (let seed = 1; seed <= 6; seed++) {
    const request = poolRequest(seed, 6 + (seed % 4), 2 + (seed % 2));
    const k = 2 + (seed % 2);
    const problem = { gpus: 1, models: request.models };
    const { scenarios } = seed % 2 === 0 ? bursty(problem, k, seed) : diurnal(problem, k, seed);
    if (seed % 3 === 0) request.gpuTypes[0]!.owned = 1;
    requests.push({ ...request, scenarios: scenarios!, targetKvpr: seed % 2 === 0 ? 0.15 : 0.05 });
  }
  return requests;
}

describe("planPool with demand scenarios", () => {
  it("meets the target in every scenario, and HiGHS finds the same cost where the optimum is claimed", async () => {
    const s = await solver();
    const requests = scenarioRequests();
    let proven = 0;
    for (const request of requests) {
      const plan = s.planPool(request, { timeLimitMs: 5_000 });
      expectMeetsTarget(request, plan);
      const name = `${request.scenarios!.map((x) => x.id).join(",")} on ${request.gpuTypes.map((t) => t.name).join(",")}`;
      // The evaluator, on the pool as plain GPUs, agrees in every scenario.
      const gpus = plan.solution.gpus.map((g) => ({ id: g.id, memGB: g.memGB }));
      const evaluation = evaluate({ gpus, models: request.models, scenarios: request.scenarios! }, plan.solution.assignment);
      expect(evaluation.feasible, name).toBe(true);
      expect(evaluation.scenarios).toHaveLength(request.scenarios!.length);
      for (const scenario of evaluation.scenarios) expect(scenario.maxKvpr, `${name}: ${scenario.id}`).toBeLessThanOrEqual(request.targetKvpr);
      const optimum = await cheapestByMilp(request);
      expect(plan.lowerBound, name).toBeLessThanOrEqual(optimum + 1e-9);
      if (plan.optimal) {
        proven++;
        expect(plan.cost, name).toBeCloseTo(optimum, 6);
      }
      const hurried = s.planPool(request, { timeLimitMs: 1, exact: false });
      expectMeetsTarget(request, hurried);
      expect(hurried.lowerBound, name).toBeLessThanOrEqual(optimum + 1e-9);
    }
    // These small requests are all proven within the time limit.
    expect(proven).toBe(requests.length);
  }, 120_000);

  it("plans for one scenario of the models' own rates exactly as for no scenarios", async () => {
    const s = await solver();
    for (const seed of [2, 3]) {
      const request = poolRequest(seed, 10, 3);
      const alone = s.planPool(request, { timeLimitMs: 5_000 });
      const own = s.planPool({ ...request, scenarios: [{ id: "own", reqRate: request.models.map((m) => m.reqRate!) }] }, { timeLimitMs: 5_000 });
      expect([own.counts, own.cost, own.lowerBound, own.optimal, own.solution.assignment]).toEqual([
        alone.counts,
        alone.cost,
        alone.lowerBound,
        alone.optimal,
        alone.solution.assignment,
      ]);
      expect(own.solution.scenarios.map((x) => x.id)).toEqual(["own"]);
    }
  });

  it("buys for the busiest hour: a pool for the scenarios costs at least the pool for any one of them", async () => {
    const s = await solver();
    const request = scenarioRequests()[0]!;
    const plan = s.planPool(request, { timeLimitMs: 5_000 });
    for (const scenario of request.scenarios!) {
      const one = s.planPool({ ...request, scenarios: [scenario] }, { timeLimitMs: 5_000 });
      expect(plan.cost, scenario.id ?? "").toBeGreaterThanOrEqual(one.lowerBound);
    }
  });
});

describe("planPool errors", () => {
  const models: Model[] = [
    { id: "small", sizeGB: 4, reqRate: 1, slo: 5 },
    { id: "big", sizeGB: 60, reqRate: 9, slo: 5 },
  ];
  const gpuTypes: GpuType[] = [
    { name: "L4-24", memGB: 24, cost: 0.8 },
    { name: "H100-80", memGB: 80, cost: 3.3 },
  ];
  const plan = (request: Partial<PoolRequest>) => planPool({ models, gpuTypes, targetKvpr: 0.1, ...request } as PoolRequest);

  it("rejects an empty or contradictory list of types, naming the type", async () => {
    await expect(plan({ gpuTypes: [] })).rejects.toMatchObject({ code: "NO_GPUS" });
    await expect(plan({ gpuTypes: [gpuTypes[0]!, { ...gpuTypes[1]!, name: "L4-24" }] })).rejects.toMatchObject({ code: "DUPLICATE_ID", gpu: 1 });
    for (const bad of [{ memGB: 0 }, { memGB: NaN }, { cost: -1 }, { available: -1 }, { owned: 1.5 }, { name: "" }]) {
      await expect(plan({ gpuTypes: [gpuTypes[0]!, { ...gpuTypes[1]!, ...bad }] }), JSON.stringify(bad)).rejects.toMatchObject({ code: "INVALID_GPU", gpu: 1 });
    }
  });

  it("names the model that no type can bring to the target, with its best KVPR alone", async () => {
    const error = plan({ targetKvpr: 0.05 });
    await expect(error).rejects.toMatchObject({ code: "TARGET_UNREACHABLE", model: 1 });
    await expect(error).rejects.toThrow('model 1 ("big") has KVPR 0.09 alone on a GPU of 80 GB, above the target 0.05');
  });

  it("says when the stock is too small for any pool", async () => {
    const noBig = gpuTypes.map((t) => (t.name === "H100-80" ? { ...t, available: 0 } : t));
    await expect(plan({ gpuTypes: noBig })).rejects.toMatchObject({ code: "STOCK_TOO_SMALL", model: 1 });
    const many = Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, sizeGB: 50, reqRate: 1, slo: 5 }));
    await expect(plan({ models: many, gpuTypes: gpuTypes.map((t) => ({ ...t, available: 2 })) })).rejects.toMatchObject({ code: "STOCK_TOO_SMALL" });
  });

  it("refuses pins: a pool being planned has no GPU numbers", async () => {
    await expect(plan({ models: [models[0]!, { ...models[1]!, pinnedGpu: 0 }] })).rejects.toMatchObject({ code: "PIN_OUT_OF_RANGE", model: 1 });
  });

  it("names the model that no type can bring to the target in its busiest scenario", async () => {
    const scenarios = [
      { id: "quiet", reqRate: [1, 1] },
      { id: "peak", reqRate: [2, 18] },
    ];
    const error = plan({ scenarios });
    await expect(error).rejects.toMatchObject({ code: "TARGET_UNREACHABLE", model: 1 });
    await expect(error).rejects.toThrow('model 1 ("big") has KVPR 0.18 alone on a GPU of 80 GB, above the target 0.1');
  });

  it("names the scenario whose rates do not match the models", async () => {
    await expect(plan({ scenarios: [{ id: "short", reqRate: [1] }] })).rejects.toMatchObject({ code: "INVALID_SCENARIO", scenario: 0 });
  });

  it("rejects costs that sum past the largest double", async () => {
    await expect(plan({ gpuTypes: gpuTypes.map((t) => ({ ...t, cost: 1e308 })) })).rejects.toMatchObject({ code: "TOO_LARGE" });
  });

  it("rejects a target that is not a positive number", async () => {
    await expect(plan({ targetKvpr: 0 })).rejects.toMatchObject({ code: "INVALID_PROBLEM" });
  });
});

describe("planPool on every entry", () => {
  it("the shared solver, the TypeScript engine and the worker plan the same optimal pool", async () => {
    const request = poolRequest(2, 10, 3);
    const here = (await solver()).planPool(request, { timeLimitMs: 5_000 });
    expect(here.optimal).toBe(true);
    const shared = await planPool(request, { timeLimitMs: 5_000 });
    const ts = await planPool(request, { timeLimitMs: 5_000, engine: "ts" });
    const worker = await createWorkerSolver();
    try {
      const remote = await worker.planPool(request, { timeLimitMs: 5_000 });
      for (const other of [shared, ts, remote]) expect([other.counts, other.cost, other.optimal]).toEqual([here.counts, here.cost, true]);
      await expect(worker.planPool({ ...request, gpuTypes: [] })).rejects.toMatchObject({ code: "NO_GPUS" });
    } finally {
      worker.terminate();
    }
  });
});
