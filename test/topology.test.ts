// Topology answers checked from the problem alone: every constraint of every answer on generated pools, both
// engines alike, and every optimum claimed on small instances against enumeration and a HiGHS MILP.
import { describe, expect, it } from "vitest";
import { createRandom, diurnal } from "../bench/generate.js";
import { smallTopology, topologyPool } from "../bench/topology.js";
import { evaluate, PlacementError, type Problem, type Solution } from "../dist/index.js";
import { attempt, ENGINES, solver } from "./support.js";
import { constraintBreaks, KVPR_TOL, maxKvprOf, movePlanBreaks, readTopology } from "./topology-check.js";
import { bruteForceTopology, feasibleAssignments, milpTopologyFeasible } from "./topology-oracle.js";

/** The answer keeps every constraint and its max KVPR is the recomputed one. */
function expectChecked(problem: Problem, sol: Solution, name: string): void {
  const t = readTopology(problem);
  expect(constraintBreaks(t, sol.assignment), name).toEqual([]);
  const value = maxKvprOf(t, sol.assignment);
  expect(Math.abs(sol.maxKvpr - value), `${name}: reported ${sol.maxKvpr}, recomputed ${value}`).toBeLessThanOrEqual(KVPR_TOL * value);
  sol.gpus.forEach((gpu, j) => {
    expect(gpu.memGB - gpu.reserveGB, `${name} GPU ${j}`).toBe(t.usable[j]);
    // Named as given, a GPU without a node by its id, a node without a zone by its name.
    const node = t.nodeName[j] ?? gpu.id;
    expect([gpu.node, gpu.zone], `${name} GPU ${j}`).toEqual([node, t.zoneName[j] ?? node]);
  });
  expect(evaluate(problem, sol.assignment).violations, name).toEqual([]);
}

/** Enumeration stays within a second for this many models and GPUs. */
const ENUMERABLE = { models: 8, gpus: 6 };

describe("generated topology pools", () => {
  it("every answer keeps every constraint, and both engines return the same assignment", async () => {
    const s = await solver();
    // The heuristic alone, with a clock it never reaches: both engines then run the same steps.
    const options = { exact: false, timeLimitMs: 60_000 } as const;
    const shapes = [
      { seed: 1, nodes: 8 },
      { seed: 2, nodes: 8 },
      { seed: 3, nodes: 12 },
    ];
    for (const { seed, nodes } of shapes) {
      const problem = topologyPool(seed, { nodes });
      const name = `pool seed ${seed} (${nodes} nodes)`;
      const [wasm, ts] = ENGINES.map((engine) => s.solve(problem, { engine, ...options }));
      expectChecked(problem, wasm as Solution, name);
      expect((ts as Solution).assignment, name).toEqual((wasm as Solution).assignment);
    }
  });

  it("the generator covers the shapes of the issue: shards, replicas over nodes and zones, floors, reserves", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const problem = topologyPool(seed);
      const t = readTopology(problem);
      const nodes = new Set(t.node).size;
      const zones = new Set(t.zone).size;
      expect(nodes).toBeGreaterThanOrEqual(8);
      expect(nodes).toBeLessThanOrEqual(64);
      expect(zones).toBeGreaterThanOrEqual(2);
      expect(zones).toBeLessThanOrEqual(4);
      for (const { members } of t.colocated) {
        expect(members.length).toBeGreaterThanOrEqual(2);
        expect(members.length).toBeLessThanOrEqual(8);
      }
      expect(t.groups.some((g) => g.level === "gpu")).toBe(true);
      expect(t.groups.some((g) => g.level === "node" || g.level === "zone")).toBe(true);
      expect(t.floor.some((f) => f > 0)).toBe(true);
      expect(topologyPool(seed)).toEqual(problem);
    }
  });
});

describe("evaluate and the checker agree on any assignment", () => {
  it("feasible exactly when the checker finds nothing broken, at the same max KVPR", () => {
    let feasible = 0;
    let broken = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const problem = smallTopology(seed);
      const t = readTopology(problem);
      const r = createRandom(seed);
      for (let draw = 0; draw < 50; draw++) {
        const assignment = Array.from({ length: t.n }, () => Math.floor(r() * t.g));
        const name = `small seed ${seed}, [${assignment}]`;
        const found = constraintBreaks(t, assignment);
        const ev = evaluate(problem, assignment);
        expect(ev.feasible, `${name}: ${found.join("; ")} / ${ev.violations.join("; ")}`).toBe(found.length === 0);
        if (found.length === 0) {
          feasible++;
          const value = maxKvprOf(t, assignment);
          expect(Math.abs(ev.maxKvpr - value), name).toBeLessThanOrEqual(KVPR_TOL * value);
        } else broken++;
      }
    }
    // Both sides of the agreement are exercised.
    expect(feasible).toBeGreaterThanOrEqual(50);
    expect(broken).toBeGreaterThanOrEqual(50);
  });
});

describe("small topology instances: optima against exact oracles", () => {
  it("every optimum claimed equals enumeration's (tiniest) and passes the MILP; both engines agree", async () => {
    const s = await solver();
    // binding: instances whose optimum the topology raises above that of the same models without groups or colocation.
    const tally = { instances: 0, infeasible: 0, optimal: 0, enumerated: 0, milp: 0, binding: 0 };
    // Seeds past 40 with 2–4 demand scenarios: the worst over them is what is minimized.
    for (let seed = 1; seed <= 60; seed++) {
      const problem = seed > 40 ? diurnal(smallTopology(seed), 2 + (seed % 3), seed) : smallTopology(seed);
      const t = readTopology(problem);
      const name = `small seed ${seed}${seed > 40 ? " with scenarios" : ""}`;
      // A node limit, not the clock, ends the exact search, so both engines run the same steps.
      const [wasm, ts] = ENGINES.map((engine) => {
        const outcome = attempt(() => s.solve(problem, { engine, exact: true, maxNodes: 200_000, timeLimitMs: 60_000 }));
        return outcome instanceof PlacementError ? outcome.code : outcome;
      });
      tally.instances++;
      const enumerable = t.n <= ENUMERABLE.models && t.g <= ENUMERABLE.gpus;
      const optimum = enumerable ? bruteForceTopology(problem) : undefined;
      if (typeof wasm === "string") {
        expect(ts, name).toBe(wasm);
        expect(wasm, name).toBe("INFEASIBLE");
        tally.infeasible++;
        if (optimum !== undefined) expect(optimum, name).toBe(Infinity);
        // Memory alone, at any pressure: HiGHS finds no assignment either.
        expect(await milpTopologyFeasible(problem, 1e9), name).toBe(false);
        continue;
      }
      expect((ts as Solution).assignment, name).toEqual(wasm.assignment);
      expectChecked(problem, wasm, name);
      if (optimum !== undefined) {
        tally.enumerated++;
        const loose = bruteForceTopology({ ...problem, models: problem.models.map(({ group, colocate, ...m }) => m), spread: {} });
        if (optimum > loose * (1 + KVPR_TOL)) {
          tally.binding++;
          // The MILP's topology rows bite too: the optimum without topology is out of its reach.
          expect(await milpTopologyFeasible(problem, loose * (1 + 1e-9)), `${name}: MILP at the optimum without topology`).toBe(false);
        }
        expect(wasm.maxKvpr, name).toBeGreaterThanOrEqual(optimum * (1 - KVPR_TOL));
      }
      // No assignment goes below the lower bound (a hair below it, for HiGHS's tolerance).
      if (wasm.lowerBound > 0) expect(await milpTopologyFeasible(problem, wasm.lowerBound * (1 - 1e-6)), `${name} bound`).toBe(false);
      if (!wasm.optimal) continue;
      tally.optimal++;
      if (optimum !== undefined) expect(Math.abs(wasm.maxKvpr - optimum), `${name}: ${wasm.maxKvpr} vs ${optimum}`).toBeLessThanOrEqual(KVPR_TOL * optimum);
      expect(await milpTopologyFeasible(problem, wasm.maxKvpr * (1 + 1e-9)), name).toBe(true);
      tally.milp++;
    }
    console.log(`small topology: ${JSON.stringify(tally)}`);
    expect(tally.optimal).toBeGreaterThanOrEqual(20);
    expect(tally.enumerated).toBeGreaterThanOrEqual(10);
    expect(tally.binding).toBeGreaterThanOrEqual(5);
  }, 120_000);
});

describe("move plans keep every step within memory and spread", () => {
  it("from a random valid placement of a tiny instance to the optimum, with and without a move budget", async () => {
    const s = await solver();
    const tally = { plans: 0, moves: 0, staged: 0, optimalClaims: 0 };
    for (let seed = 1; seed <= 60; seed++) {
      const tiny = smallTopology(seed, { maxModels: 6 });
      const valid = feasibleAssignments(tiny);
      if (valid.length === 0) continue;
      const current = (valid[Math.floor(createRandom(seed)() * valid.length)] as { assignment: number[] }).assignment;
      const problem = { ...tiny, models: tiny.models.map((m, i) => ({ ...m, currentGpu: current[i] as number })) };
      const t = readTopology(problem);
      for (const budget of [{}, { maxMoves: 2 }, { maxMoveCost: 15 }] as const) {
        const name = `tiny seed ${seed} from [${current}] ${JSON.stringify(budget)}`;
        const [wasm, ts] = ENGINES.map((engine) => s.solve(problem, { engine, exact: true, maxNodes: 50_000, timeLimitMs: 60_000, ...budget }));
        expect((ts as Solution).assignment, name).toEqual((wasm as Solution).assignment);
        const sol = wasm as Solution;
        expect(constraintBreaks(t, sol.assignment), name).toEqual([]);
        expect(movePlanBreaks(t, current, sol.assignment, sol.moves), name).toEqual([]);
        // The optimum within the budget, by enumeration: what moves counts is every model off its current GPU.
        const off = (a: readonly number[]) => a.filter((j, i) => j !== current[i]);
        const cost = (a: readonly number[]) => a.reduce((sum, j, i) => sum + (j === current[i] ? 0 : problem.models[i]!.sizeGB), 0);
        const within = valid.filter(
          (v) =>
            off(v.assignment).length <= ("maxMoves" in budget ? budget.maxMoves : Infinity) &&
            cost(v.assignment) <= ("maxMoveCost" in budget ? budget.maxMoveCost : Infinity) + 1e-9,
        );
        const optimum = Math.min(...within.map((v) => v.kvpr));
        expect(sol.maxKvpr, name).toBeGreaterThanOrEqual(optimum * (1 - 1e-9));
        if (sol.optimal) {
          expect(sol.maxKvpr, name).toBeLessThanOrEqual(optimum * (1 + 1e-9));
          tally.optimalClaims++;
        }
        tally.plans++;
        tally.moves += sol.moves.length;
        tally.staged += sol.moves.filter((m) => m.staged).length;
      }
    }
    console.log(`tiny move plans: ${JSON.stringify(tally)}`);
    expect(tally.moves).toBeGreaterThanOrEqual(50);
  });

  it("on a pool whose demand drifted, re-planned within a move budget", async () => {
    const s = await solver();
    for (const seed of [2, 5]) {
      const pool = topologyPool(seed, { nodes: 8 });
      const before = s.solve(pool, { exact: false, timeLimitMs: 60_000 }).assignment;
      const r = createRandom(seed);
      const drifted = { ...pool, models: pool.models.map((m, i) => ({ ...m, reqRate: (m.reqRate as number) * (0.5 + r()), currentGpu: before[i] as number })) };
      const t = readTopology(drifted);
      const sol = s.solve(drifted, { exact: false, maxMoves: 40, timeLimitMs: 60_000 });
      const name = `pool seed ${seed}, drifted`;
      expect(constraintBreaks(t, sol.assignment), name).toEqual([]);
      expect(sol.moves.length, name).toBeGreaterThan(0);
      expect(movePlanBreaks(t, before, sol.assignment, sol.moves), name).toEqual([]);
    }
  });
});
