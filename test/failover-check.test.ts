// Failover answers checked from the problem alone: every re-placement a report claims is recomputed, and on
// tiny instances the answers meet the survivable optimum that enumerating every placement and re-placement finds.
import { describe, expect, it } from "vitest";
import { diurnal } from "../bench/generate.js";
import { smallTopology, topologyPool } from "../bench/topology.js";
import { evaluate, evaluateFailover, PlacementError, type Problem, type Solution } from "../dist/index.js";
import { attempt, ENGINES, solver } from "./support.js";
import { constraintBreaks, failoverBreaks, KVPR_TOL, lossDomains, maxKvprOf, readTopology, reportBreaks } from "./topology-check.js";
import { bestReplacement, survivableOptimum } from "./topology-oracle.js";

type Level = "gpu" | "node";

/** What is wrong with a failover answer: a broken constraint, a max KVPR not the recomputed one, a report that does not hold up loss by loss, a loss not survived. */
function survivalBreaks(problem: Problem, sol: Solution, level: Level, cap: number | undefined): string[] {
  const t = readTopology(problem);
  const found = constraintBreaks(t, sol.assignment);
  const value = maxKvprOf(t, sol.assignment);
  if (!(Math.abs(sol.maxKvpr - value) <= KVPR_TOL * value)) found.push(`reports maxKvpr ${sol.maxKvpr}, recomputed ${value}`);
  const losses = sol.failover ?? [];
  if (losses.length !== lossDomains(t, level).length) found.push(`reports ${losses.length} losses of ${lossDomains(t, level).length}`);
  found.push(...failoverBreaks(t, sol.assignment, losses, level, cap));
  for (const loss of losses) if (!loss.survives) found.push(`the loss of ${loss.lost} is not survived`);
  return found;
}

/** Tiny instances: enumeration over every placement and every re-placement of each loss stays within a second. */
const TINY = { models: 6, gpus: 6 };

describe("failover on generated pools", () => {
  it("every answer survives every loss, the reports hold up when recomputed, and both engines agree", async () => {
    const s = await solver();
    const options = { exact: false, timeLimitMs: 60_000 } as const;
    // Replicas narrower than the nodes: a lost GPU leaves its shard another GPU of the node.
    const cases: { seed: number; level: Level }[] = [
      { seed: 4, level: "gpu" },
      { seed: 5, level: "gpu" },
      { seed: 4, level: "node" },
      { seed: 6, level: "node" },
    ];
    let answered = 0;
    for (const { seed, level } of cases) {
      const problem = topologyPool(seed, { nodes: 8, maxShards: 4 });
      const name = `pool seed ${seed}, failover ${level}`;
      const [wasm, ts] = ENGINES.map((engine) => attempt(() => s.solve(problem, { engine, failover: level, ...options })));
      if (wasm instanceof PlacementError) {
        expect(wasm.code, name).toBe("FAILOVER_INFEASIBLE");
        expect((ts as PlacementError).code, name).toBe(wasm.code);
        continue;
      }
      answered++;
      expect((ts as Solution).assignment, name).toEqual(wasm.assignment);
      expect((ts as Solution).failover, name).toEqual(wasm.failover);
      expect(survivalBreaks(problem, wasm, level, undefined), name).toEqual([]);
      const report = evaluateFailover(problem, wasm.assignment, { failover: level });
      expect(reportBreaks(readTopology(problem), wasm.assignment, report), name).toEqual([]);
      expect(evaluate(problem, wasm.assignment, { failover: level }).failover, name).toEqual(report);
      // Capped at the worst loss this answer reaches: it is within reach, so answer or not, nothing claimed may break it.
      const cap = report.worstKvpr;
      const capped = attempt(() => s.solve(problem, { failover: level, failoverKvpr: cap, ...options }));
      if (capped instanceof PlacementError) expect(capped.code, `${name} capped`).toBe("FAILOVER_INFEASIBLE");
      else expect(survivalBreaks(problem, capped, level, cap), `${name} capped`).toEqual([]);
    }
    expect(answered).toBeGreaterThanOrEqual(3);
  }, 60_000);
});

describe("failover on tiny instances against enumeration", () => {
  it("answers survive and reach the survivable optimum when they claim it; FAILOVER_INFEASIBLE proofs hold", async () => {
    const s = await solver();
    const tally = { instances: 0, answered: 0, optimalClaims: 0, aboveOptimum: 0, provedInfeasible: 0, missed: 0, trulyInfeasible: 0 };
    // Every wrong answer, named, so that one run lists them all.
    const wrong: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const tiny = smallTopology(seed, { maxModels: TINY.models });
      if (tiny.models.length > TINY.models || (tiny.gpus as unknown[]).length > TINY.gpus) continue;
      // One instance in four with 2–4 demand scenarios: losses are judged at the worst of them.
      const problem = seed % 4 === 2 ? diurnal(tiny, 2 + (seed % 3), seed) : tiny;
      for (const level of ["gpu", "node"] as const) {
        // One instance in three with a cap on the KVPR after a loss: 1.5 times the plain optimum.
        const plain = survivableOptimum(problem, level);
        const cap = seed % 3 === 0 && plain.optimum < Infinity ? 1.5 * plain.optimum : undefined;
        const { optimum } = cap === undefined ? plain : survivableOptimum(problem, level, cap);
        const name = `tiny seed ${seed}, failover ${level}${cap === undefined ? "" : `, failoverKvpr ${cap}`}`;
        const limits = { exact: true, maxNodes: 50_000, timeLimitMs: 60_000, failover: level, ...(cap === undefined ? {} : { failoverKvpr: cap }) } as const;
        const [wasm, ts] = ENGINES.map((engine) => attempt(() => s.solve(problem, { engine, ...limits })));
        tally.instances++;
        if (optimum === Infinity) tally.trulyInfeasible++;
        if (wasm instanceof PlacementError) {
          expect((ts as PlacementError).code, name).toBe(wasm.code);
          // A problem with no placement at all is refused before failover is asked: INFEASIBLE, or the
          // contradiction validation proves (GROUP_INFEASIBLE, COLOCATE_INFEASIBLE).
          const proofs = ["INFEASIBLE", "GROUP_INFEASIBLE", "COLOCATE_INFEASIBLE"];
          expect(["FAILOVER_INFEASIBLE", ...proofs], name).toContain(wasm.code);
          if (proofs.includes(wasm.code) || wasm.message.startsWith("no placement survives")) {
            // A proof: no survivable placement may exist.
            if (optimum < Infinity) wrong.push(`${name}: ${wasm.code} "${wasm.message}", but a placement of max KVPR ${optimum} survives`);
            tally.provedInfeasible++;
          } else if (optimum < Infinity) tally.missed++;
          continue;
        }
        tally.answered++;
        expect((ts as Solution).assignment, name).toEqual(wasm.assignment);
        for (const why of survivalBreaks(problem, wasm, level, cap)) wrong.push(`${name}: ${why}`);
        if (wasm.maxKvpr < optimum * (1 - KVPR_TOL)) wrong.push(`${name}: max KVPR ${wasm.maxKvpr} below the survivable optimum ${optimum}`);
        if (wasm.maxKvpr > optimum * (1 + KVPR_TOL)) tally.aboveOptimum++;
        if (wasm.optimal) {
          tally.optimalClaims++;
          if (!(Math.abs(wasm.maxKvpr - optimum) <= KVPR_TOL * optimum)) wrong.push(`${name}: ${wasm.maxKvpr} claimed optimal, survivable optimum ${optimum}`);
        }
      }
    }
    console.log(`tiny failover: ${JSON.stringify(tally)}\n${wrong.join("\n")}`);
    expect(wrong).toEqual([]);
    expect(tally.answered).toBeGreaterThanOrEqual(20);
    expect(tally.optimalClaims).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("a report's re-placement is never better than the best one, and says survives whenever one exists", async () => {
    const s = await solver();
    const tally = { losses: 0, survivable: 0, reportedSurvives: 0, misses: 0 };
    const wrong: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const problem = smallTopology(seed, { maxModels: TINY.models });
      if (problem.models.length > TINY.models || (problem.gpus as unknown[]).length > TINY.gpus) continue;
      const t = readTopology(problem);
      // The plain optimum: a placement made without failover in mind, so some losses have no re-placement.
      const sol = attempt(() => s.solve(problem, { exact: true, maxNodes: 50_000, timeLimitMs: 60_000 }));
      if (sol instanceof PlacementError) continue;
      for (const level of ["gpu", "node"] as const) {
        const report = evaluateFailover(problem, sol.assignment, { failover: level });
        const name = `tiny seed ${seed}, report ${level}`;
        for (const why of reportBreaks(t, sol.assignment, report)) wrong.push(`${name}: ${why}`);
        for (const loss of report.losses) {
          const best = bestReplacement(t, sol.assignment, new Set(loss.gpus));
          tally.losses++;
          if (best < Infinity) tally.survivable++;
          if (loss.survives) tally.reportedSurvives++;
          if (best < Infinity && !loss.survives) tally.misses++;
          // Survival claimed where none exists is caught by reportBreaks; a value below the best would be a miscount.
          if (loss.survives && loss.maxKvpr < best * (1 - KVPR_TOL))
            wrong.push(`${name}, loss of ${loss.lost}: ${loss.maxKvpr} below the best re-placement ${best}`);
        }
      }
    }
    console.log(`tiny failover reports: ${JSON.stringify(tally)}\n${wrong.join("\n")}`);
    expect(wrong).toEqual([]);
    expect(tally.losses).toBeGreaterThanOrEqual(50);
  }, 120_000);
});

describe("failover wrong answers found by the checks (minimal reproducers)", () => {
  const model = (sizeGB: number) => ({ sizeGB, reqRate: 1, slo: 1 });

  it("a lost model goes to a surviving GPU when one GPU survives", async () => {
    // Two 24 GB GPUs, 5 GB each: after a loss both fit the survivor at KVPR 2/14.
    const problem: Problem = { gpus: 2, gpuMemGB: 24, models: [model(5), model(5)] };
    const t = readTopology(problem);
    expect(reportBreaks(t, [0, 1], evaluateFailover(problem, [0, 1], { failover: "gpu" }))).toEqual([]);
    const s = await solver();
    for (const engine of ENGINES) expect(survivalBreaks(problem, s.solve(problem, { engine, failover: "gpu" }), "gpu", undefined), engine).toEqual([]);
  });

  it("a loss whose lost models fill a surviving GPU that carries demand is not survived", async () => {
    // 11 + 13 GB on a 24 GB GPU leaves no KV cache: infinite KVPR, no re-placement at all.
    const problem: Problem = { gpus: 3, gpuMemGB: 24, models: [model(11), model(13), model(13)] };
    const t = readTopology(problem);
    expect(reportBreaks(t, [0, 1, 2], evaluateFailover(problem, [0, 1, 2], { failover: "gpu" }))).toEqual([]);
    // Every placement leaves some loss without a finite re-placement: enumeration proves it.
    expect(survivableOptimum(problem, "gpu").optimum).toBe(Infinity);
    const s = await solver();
    for (const engine of ENGINES) {
      const answer = attempt(() => s.solve(problem, { engine, failover: "gpu" }));
      expect(answer instanceof PlacementError ? answer.code : survivalBreaks(problem, answer, "gpu", undefined), engine).toBe("FAILOVER_INFEASIBLE");
    }
  });
});
