import { describe, expect, it } from "vitest";
import { Ordering, Policy } from "../dist/engine/kernels.js";
import { createTsKernels } from "../dist/engine/ts/index.js";
import { loadInstance } from "../dist/engine/workspace.js";
import { validateProblem } from "../dist/input/validate.js";
import type { Gpu, Model, Problem } from "../dist/index.js";
import { topologyPool } from "../bench/topology.js";
import { ENGINES, expectValid, solver } from "./support.js";

const node = (name: string, count: number, zone?: string): Gpu[] =>
  Array.from({ length: count }, (_, k) => ({ id: `${name}g${k}`, memGB: 80, node: name, ...(zone === undefined ? {} : { zone }) }));
/** A tensor-parallel replica: `shards` shards of `sizeGB`, on distinct GPUs of one node. */
const replica = (name: string, shards: number, sizeGB: number, group?: string): Model[] =>
  Array.from({ length: shards }, (_, s) => ({
    id: `${name}.s${s}`,
    sizeGB,
    reqRate: 1,
    slo: 1,
    group: group === undefined ? `${name}.tp` : [`${name}.tp`, group],
    colocate: name,
  }));

describe("colocated sets are placed as units, where they leave room for the others", () => {
  // One 8-GPU node and two 4-GPU nodes. The 4-shard sets weigh more and are packed first; their 70 GB shards
  // take a GPU each, so on the wide node they would leave the 8-shard set no 8 GPUs with 15 GB.
  const problem: Problem = {
    gpus: [...node("wide", 8), ...node("a", 4), ...node("b", 4)],
    models: [...replica("big1", 4, 70), ...replica("big2", 4, 70), ...replica("long", 8, 15)],
  };
  const nodeOf = (assignment: ArrayLike<number>, i: number) => (problem.gpus as Gpu[])[assignment[i] as number]?.node;

  it("a pack puts the narrow sets on the narrow nodes and the wide set on the wide node", () => {
    const inst = validateProblem(problem);
    const kernels = createTsKernels();
    const ws = kernels.workspace(inst.n, inst.g, inst.k, inst.m);
    loadInstance(ws, inst);
    // At a target every set meets, in every ordering and policy.
    for (const ordering of Object.values(Ordering)) {
      for (const policy of Object.values(Policy)) {
        expect(kernels.pack(1, ordering, policy)).toBeGreaterThanOrEqual(0);
        expect(new Set(problem.models.map((_, i) => nodeOf(ws.assign, i)).slice(8))).toEqual(new Set(["wide"]));
      }
    }
  });

  for (const engine of ENGINES) {
    it(`the solve finds that placement without the exact search (${engine})`, async () => {
      const sol = (await solver()).solve(problem, { engine, exact: false });
      expectValid(problem, sol);
      expect(new Set(problem.models.map((_, i) => nodeOf(sol.assignment, i)).slice(8))).toEqual(new Set(["wide"]));
    });
  }

  it("replicas spread over zones that only one zone has nodes wide enough for: refused, naming the group", async () => {
    const problem: Problem = {
      gpus: [...node("w1", 4, "east"), ...node("w2", 4, "east"), ...node("n1", 2, "west"), ...node("n2", 2, "west")],
      models: [...replica("r0", 4, 10, "model"), ...replica("r1", 4, 10, "model")],
      spread: { model: "zone" },
    };
    const s = await solver();
    expect(() => s.solve(problem)).toThrow(
      /group "model" spreads 2 colocated sets, each needing a node of 4 GPUs and 40 GB, over distinct zones, but only 1 zone has such a node/,
    );
  });

  it("a pool whose packs all leave wide replicas without a node is placed once those are pinned first (fail first)", async () => {
    // 24 nodes of 4–8 GPUs at 85% memory, 30 replicas of 7–8 shards among them: every pack runs out of room.
    const problem = topologyPool(18, { nodes: 24, fill: 0.85 });
    const sol = (await solver()).solve(problem, { timeLimitMs: 1000 });
    expectValid(problem, sol);
  });
});
