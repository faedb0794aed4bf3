import { describe, expect, it } from "vitest";
import type { Model, Problem, Solution } from "../dist/index.js";
import { ENGINES, solver } from "./support.js";

/** Three nodes of two GPUs; GPU 2j and 2j+1 are node j. */
const gpus = [0, 1, 2].flatMap((v) => [0, 1].map((k) => ({ id: `n${v}g${k}`, memGB: 80, node: `n${v}` })));
const node = (j: number) => Math.floor(j / 2);

/** Replays a move plan and asserts that no step that loads a model puts two replicas of `group` on one node. */
function replaySpread(problem: Problem, sol: Solution, group: string): void {
  const at = problem.models.map((m) => m.currentGpu ?? -1);
  const inGroup = problem.models.map((m) => m.group === group);
  for (const step of sol.moves) {
    at[step.model] = step.staged ? -1 : step.to;
    if (step.staged) continue;
    const nodes = at.filter((j, i) => inGroup[i] && j >= 0).map(node);
    expect(new Set(nodes).size).toBe(nodes.length);
  }
}

describe("the move plan under spread groups", () => {
  for (const engine of ENGINES) {
    it(`replicas that trade nodes never meet on one: one waits in a temporary slot (${engine})`, async () => {
      const s = await solver();
      const models: Model[] = [
        { id: "a", sizeGB: 10, reqRate: 1, slo: 1, group: "r", currentGpu: 0, pinnedGpu: 2 },
        { id: "b", sizeGB: 10, reqRate: 1, slo: 1, group: "r", currentGpu: 2, pinnedGpu: 0 },
        { id: "c", sizeGB: 10, reqRate: 1, slo: 1 },
      ];
      const problem: Problem = { gpus, models, spread: { r: "node" } };
      const sol = s.solve(problem, { engine });
      expect(sol.moves.map((m) => m.model).sort()).toEqual([0, 1]);
      expect(sol.moves.filter((m) => m.staged)).toHaveLength(1);
      replaySpread(problem, sol, "r");
    });

    it(`a replica moves into a node only after the other has left it (${engine})`, async () => {
      const s = await solver();
      // b leaves n1 for n2, a leaves n0 for n1: a must wait for b, whatever the input order says.
      const models: Model[] = [
        { id: "a", sizeGB: 10, reqRate: 1, slo: 1, group: "r", currentGpu: 0, pinnedGpu: 2 },
        { id: "b", sizeGB: 10, reqRate: 1, slo: 1, group: "r", currentGpu: 2, pinnedGpu: 4 },
      ];
      const problem: Problem = { gpus, models, spread: { r: "node" } };
      const sol = s.solve(problem, { engine });
      expect(sol.moves).toEqual([
        { model: 1, from: 2, to: 4 },
        { model: 0, from: 0, to: 2 },
      ]);
      replaySpread(problem, sol, "r");
    });
  }
});
