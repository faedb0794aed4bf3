// Specification: one solver serves thousands of solves of mixed sizes without
// growing — its WebAssembly memory stays at the bound README documents once the
// largest instance has been seen, and the JS heap stays flat — while instances
// larger than any before grow the memory safely, and no solution shares a
// buffer with it.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { FAMILIES, fleet } from "../bench/generate.js";
import { LARGEST, memoryBound, mixed, mixedOptions } from "../bench/mix.js";
import { createSolver, PlacementError, type Problem, type Solution, type Solver } from "../dist/index.js";
import { workspaceBytes } from "../dist/engine/workspace.js";
import { deepFreeze, expectConfirmed } from "./support.js";

const SOLVES = 3000;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Solves the mix from `from` to `to`, checking after every solve that the memory has not moved. */
function serve(s: Solver, from: number, to: number, memory: number): void {
  for (let k = from; k < to; k++) {
    try {
      s.solve(deepFreeze(mixed(k)), mixedOptions(k));
    } catch (e) {
      if (!(e instanceof PlacementError)) throw e;
    }
    if (s.memoryBytes() !== memory) throw new Error(`solve ${k} moved the WebAssembly memory from ${memory} to ${s.memoryBytes()} bytes`);
  }
}

describe("a long-lived solver", () => {
  it(`keeps its WebAssembly memory at the documented bound and its heap flat over ${SOLVES} mixed solves`, async () => {
    const s = await createSolver();
    s.solve(fleet(LARGEST.gpus, LARGEST.models, 1), { timeLimitMs: 20 });
    const memory = s.memoryBytes();
    expect(memory).toBeLessThanOrEqual(memoryBound(LARGEST.models, LARGEST.gpus));

    serve(s, 0, SOLVES / 3, memory);
    const before = heapAfterGc();
    serve(s, SOLVES / 3, SOLVES, memory);
    const growth = heapAfterGc() - before;
    // A leak of 512 bytes a solve would show as 1 MB; the noise is a few tens of KB.
    expect(growth).toBeLessThan(1 << 20);
  });

  it("grows its memory for an instance larger than any before, and solves smaller ones after it as a fresh solver does", async () => {
    const s = await createSolver();
    const sequence: Problem[] = [
      FAMILIES.adrsLike(3),
      fleet(400, 2000, 2),
      FAMILIES.mixedGpus(4),
      fleet(4096, 20480, 2),
      FAMILIES.pinned(5),
      fleet(40, 200, 6),
    ];
    let memory = s.memoryBytes();
    let largest = { models: 0, gpus: 0 };
    for (const problem of sequence) {
      const sol = s.solve(problem, { timeLimitMs: 60_000 });
      const n = problem.models.length;
      const g = typeof problem.gpus === "number" ? problem.gpus : problem.gpus.length;
      const bigger = workspaceBytes(n, g) > workspaceBytes(largest.models, largest.gpus);
      if (bigger) largest = { models: n, gpus: g };
      // It grows exactly when the instance needs more than it has, and by no more than the bound.
      if (!bigger) expect(s.memoryBytes()).toBe(memory);
      expect(s.memoryBytes()).toBeLessThanOrEqual(memoryBound(largest.models, largest.gpus));
      memory = s.memoryBytes();
      expectConfirmed(problem, sol);
      const fresh = (await createSolver()).solve(problem, { timeLimitMs: 60_000 });
      expect(sol.assignment).toEqual(fresh.assignment);
    }
    expect(memory).toBeGreaterThan(memoryBound(2000, 400));
  });

  it("hands out solutions that later solves, even ones that grow the memory, leave as they were", async () => {
    const s = await createSolver();
    const kept: [Solution, Solution][] = [];
    for (const problem of [FAMILIES.manySmall(1), fleet(20, 100, 2)]) {
      for (const engine of ["wasm", "ts"] as const) {
        const sol = s.solve(problem, { engine });
        kept.push([sol, structuredClone(sol)]);
      }
    }
    s.solve(fleet(1000, 5000, 3), { timeLimitMs: 50 });
    s.solve(fleet(4096, 20480, 4), { timeLimitMs: 50, engine: "ts" });
    s.solve(FAMILIES.adrsLike(5));
    for (const [sol, copy] of kept) expect(sol).toEqual(copy);
  });
});
