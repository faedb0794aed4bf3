// Contradictory or malformed topology is refused with a PlacementError of the right code, naming what is at fault.
import { describe, expect, it } from "vitest";
import { evaluateFailover, PlacementError, type Gpu, type Model, type SolveOptions } from "../dist/index.js";
import { refusals, solver } from "./support.js";

const model = (sizeGB: number, extra: Partial<Model> = {}): Model => ({ sizeGB, reqRate: 1, slo: 1, ...extra });
/** `count` GPUs of `memGB` in node `node` (zone `zone`, when given). */
const node = (node: string, count: number, memGB = 80, zone?: string): Gpu[] =>
  Array.from({ length: count }, (_, k) => ({ id: `${node}g${k}`, memGB, node, ...(zone === undefined ? {} : { zone }) }));

/** What solving throws on both engines: the same code, model and GPU, and a message naming `names`. */
async function expectRefused(problem: unknown, options: SolveOptions, code: string, where: { model?: number; gpu?: number }, names: string[]) {
  for (const e of await refusals(problem, options)) {
    expect(e.code, e.message).toBe(code);
    expect(e.model, e.message).toBe(where.model);
    expect(e.gpu, e.message).toBe(where.gpu);
    for (const name of names) expect(e.message).toContain(name);
  }
}

describe("contradictory topology is named before any search", () => {
  it("COLOCATE_INFEASIBLE: more tensor-parallel shards than a node has GPUs", async () => {
    const shards = Array.from({ length: 3 }, (_, s) => model(10, { id: `s${s}`, group: "tp", colocate: "replica" }));
    await expectRefused({ gpus: [...node("a", 2), ...node("b", 2)], models: shards }, {}, "COLOCATE_INFEASIBLE", { model: 2 }, ['"replica"', '"tp"']);
  });

  it("COLOCATE_INFEASIBLE: a colocated set needing more memory than any node has", async () => {
    // 3 × (30 GB of weights + 5 GB of floor) = 105 GB; the nodes have 2 × 40 = 80 GB.
    const shards = Array.from({ length: 3 }, () => model(30, { colocate: "replica", minKvGB: 5 }));
    await expectRefused({ gpus: [...node("a", 2, 40), ...node("b", 2, 40)], models: shards }, {}, "COLOCATE_INFEASIBLE", { model: 2 }, ['"replica"', "105"]);
  });

  it("GROUP_INFEASIBLE: a spread over zones wider than the zones", async () => {
    const gpus = [...node("a", 2, 80, "east"), ...node("b", 2, 80, "west"), ...node("c", 2, 80, "west")];
    const replicas = Array.from({ length: 3 }, () => model(10, { group: "rep" }));
    await expectRefused({ gpus, models: replicas, spread: { rep: "zone" } }, {}, "GROUP_INFEASIBLE", { model: 2 }, ['"rep"', "zones"]);
  });

  it("GROUP_INFEASIBLE: a spread over nodes wider than the nodes, counting a colocated set once", async () => {
    const gpus = [...node("a", 2), ...node("b", 2)];
    // Two replicas of two shards each: two units, which two nodes hold.
    const shards = [0, 1].flatMap((p) => [0, 1].map(() => model(10, { group: [`tp${p}`, "rep"], colocate: `r${p}` })));
    const s = await solver();
    expect(s.solve({ gpus, models: shards, spread: { rep: "node" } }).assignment).toHaveLength(4);
    // Four single-GPU replicas: four units on two nodes.
    const replicas = Array.from({ length: 4 }, () => model(10, { group: "rep" }));
    await expectRefused({ gpus, models: replicas, spread: { rep: "node" } }, {}, "GROUP_INFEASIBLE", { model: 3 }, ['"rep"', "nodes"]);
  });
});

describe("pins that contradict the topology are named", () => {
  it("GROUP_INFEASIBLE: two replicas of a node spread pinned to GPUs of one node", async () => {
    const replicas = [model(10, { group: "rep", pinnedGpu: 0 }), model(10, { group: "rep", pinnedGpu: 1 })];
    await expectRefused({ gpus: [...node("a", 2), ...node("b", 2)], models: replicas, spread: { rep: "node" } }, {}, "GROUP_INFEASIBLE", { model: 1, gpu: 1 }, [
      '"rep"',
    ]);
  });

  it("COLOCATE_INFEASIBLE: shards of one replica pinned to two nodes", async () => {
    const shards = [model(10, { colocate: "replica", pinnedGpu: 0 }), model(10, { colocate: "replica", pinnedGpu: 2 })];
    await expectRefused({ gpus: [...node("a", 2), ...node("b", 2)], models: shards }, {}, "COLOCATE_INFEASIBLE", { model: 1, gpu: 2 }, ['"replica"']);
  });
});

describe("malformed topology is refused", () => {
  it("INVALID_GPU: a node in two zones", async () => {
    const gpus = [
      { memGB: 80, node: "a", zone: "east" },
      { memGB: 80, node: "a", zone: "west" },
    ];
    await expectRefused({ gpus, models: [model(10)] }, {}, "INVALID_GPU", { gpu: 1 }, ['"a"', '"east"', '"west"']);
  });

  it("INVALID_PROBLEM: a spread naming a group no model belongs to", async () => {
    await expectRefused({ gpus: 2, models: [model(10, { group: "rep" })], spread: { rpe: "node" } }, {}, "INVALID_PROBLEM", {}, ['"rpe"']);
  });

  it("INVALID_PROBLEM: a spread level that is not gpu, node or zone", async () => {
    await expectRefused({ gpus: 2, models: [model(10, { group: "rep" })], spread: { rep: "rack" } }, {}, "INVALID_PROBLEM", {}, ['"rep"', "rack"]);
  });

  for (const minKvGB of [-1, Number.NaN, Infinity, "4"]) {
    it(`INVALID_MODEL: minKvGB ${String(minKvGB)}`, async () => {
      await expectRefused({ gpus: 2, models: [model(10), { ...model(10), minKvGB }] }, {}, "INVALID_MODEL", { model: 1 }, ["minKvGB"]);
    });
  }

  for (const reserveGB of [-1, 80, 100, Number.NaN, "2"]) {
    it(`INVALID_GPU: reserveGB ${String(reserveGB)} on an 80 GB GPU`, async () => {
      await expectRefused({ gpus: [{ memGB: 80 }, { memGB: 80, reserveGB }], models: [model(10)] }, {}, "INVALID_GPU", { gpu: 1 }, ["reserveGB"]);
    });
  }

  it("INVALID_OPTIONS: failoverKvpr without failover, or a failover level that is not gpu or node", async () => {
    await expectRefused({ gpus: 2, models: [model(10)] }, { failoverKvpr: 1 }, "INVALID_OPTIONS", {}, ["failoverKvpr"]);
    await expectRefused({ gpus: 2, models: [model(10)] }, { failover: "zone" as "node" }, "INVALID_OPTIONS", {}, ["failover"]);
    expect(() => evaluateFailover({ gpus: 2, models: [model(10)] }, [0], {})).toThrow(PlacementError);
  });
});

describe("FAILOVER_INFEASIBLE when counting proves no placement survives", () => {
  it("a replica on each of the only two nodes has nowhere to go when one is lost", async () => {
    const gpus = [...node("a", 2), ...node("b", 2)];
    const replicas = [model(10, { group: "rep" }), model(10, { group: "rep" })];
    await expectRefused({ gpus, models: replicas, spread: { rep: "node" } }, { failover: "node" }, "FAILOVER_INFEASIBLE", {}, ['"rep"']);
  });

  it("a node loss leaves too little memory for every model", async () => {
    await expectRefused({ gpus: [...node("a", 1, 40), ...node("b", 1, 40)], models: [model(30), model(30)] }, { failover: "node" }, "FAILOVER_INFEASIBLE", {}, [
      "node",
    ]);
  });
});

describe("memberships past the limits are TOO_LARGE", () => {
  it("a model in more than 16 groups, named", async () => {
    const groups = Array.from({ length: 17 }, (_, k) => `g${k}`);
    await expectRefused({ gpus: 20, models: [model(1), model(1, { id: "wide", group: groups })] }, {}, "TOO_LARGE", { model: 1 }, ['"wide"', "17 groups"]);
  });

  it("more than 2^18 memberships in all", async () => {
    // 16,400 models in 16 groups each: 262,400 memberships, over 262,144.
    const groups = Array.from({ length: 16 }, (_, k) => `g${k}`);
    const models = Array.from({ length: 16_400 }, (_, i) => model(0.001, { group: groups.map((name) => `${name}.${i % 2}`) }));
    await expectRefused({ gpus: 4096, models }, {}, "TOO_LARGE", {}, ["262400 memberships"]);
  });
});
