// Specification: the construction packs at several targets, orderings and
// policies and polishes what each pack reaches with the local search — once
// per placement: packs that reach a placement polished before (most of them
// on memory-tight pools) add nothing and cost no local search.
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../bench/generate.js";
import { lowerBounds } from "../dist/bounds/lower-bounds.js";
import type { Kernels } from "../dist/engine/kernels.js";
import { createTsKernels } from "../dist/engine/ts/index.js";
import { loadInstance } from "../dist/engine/workspace.js";
import { validateProblem } from "../dist/input/validate.js";
import { construct } from "../dist/search/construct.js";
import { Incumbent } from "../dist/search/incumbent.js";

/** A construction of `packs` packs on a fresh TS engine that records each pack's placement and counts the local searches. */
function constructCounting(problem: Parameters<typeof validateProblem>[0], packs: number) {
  const inst = validateProblem(problem);
  const base = createTsKernels();
  const ws = base.workspace(inst.n, inst.g, inst.k, inst.m);
  loadInstance(ws, inst);
  const bounds = lowerBounds(inst, base);
  const reached: string[] = [];
  let searches = 0;
  const kernels: Kernels = {
    ...base,
    pack(T, ordering, policy) {
      const value = base.pack(T, ordering, policy);
      if (value >= 0) reached.push(ws.assign.join(","));
      return value;
    },
    improve(maxSteps, maxMoved, maxCost) {
      searches++;
      return base.improve(maxSteps, maxMoved, maxCost);
    },
  };
  const inc = new Incumbent(kernels, ws, inst, bounds.best, Infinity, Infinity, Infinity, (_value, bound) => bound);
  construct(inc, packs);
  return { reached, searches, value: inc.value };
}

describe("the construction", () => {
  it("polishes each placement its packs reach once, however often the packs reach it", () => {
    let repeats = 0;
    for (const family of [FAMILIES.memoryTight, FAMILIES.zeroDemand, FAMILIES.mixedGpus, FAMILIES.adrsLike]) {
      for (let seed = 1; seed <= 6; seed++) {
        let run: ReturnType<typeof constructCounting>;
        try {
          // Fewer packs than orderings × policies: no greedy, so every local search follows a pack.
          run = constructCounting(family(seed), 8);
        } catch {
          continue; // an instance the bounds prove infeasible
        }
        const distinct = new Set(run.reached).size;
        repeats += run.reached.length - distinct;
        expect(run.searches).toBe(distinct);
        expect(Number.isFinite(run.value)).toBe(true);
      }
    }
    // The families do repeat placements: the test would pass vacuously otherwise.
    expect(repeats).toBeGreaterThan(10);
  });
});
