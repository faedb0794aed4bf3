import { describe, expect, it } from "vitest";
import { evaluate, lowerBound, type PlacementError, type Problem } from "../dist/index.js";
import { ENGINES, refusals, solver } from "./support.js";

const model = (sizeGB: number, reqRate = 1, slo = 1) => ({ sizeGB, reqRate, slo });

function rejects(problem: unknown, code: string, where: { model?: number; gpu?: number } = {}, options: object = {}) {
  return async () => {
    for (const error of await refusals(problem, options)) {
      expect(error.code).toBe(code);
      expect(error.model).toBe(where.model);
      expect(error.gpu).toBe(where.gpu);
      expect(error.message.length).toBeGreaterThan(10);
    }
  };
}

describe("a problem is rejected with a PlacementError naming what is wrong", () => {
  it("INVALID_PROBLEM when it is not an object", rejects(null, "INVALID_PROBLEM"));
  it("INVALID_PROBLEM when models is not a list", rejects({ gpus: 2, models: {} }, "INVALID_PROBLEM"));
  it("INVALID_PROBLEM when the GPU count is fractional", rejects({ gpus: 1.5, models: [] }, "INVALID_PROBLEM"));
  it("NO_GPUS for a count of 0", rejects({ gpus: 0, models: [] }, "NO_GPUS"));
  it("NO_GPUS for an empty list", rejects({ gpus: [], models: [] }, "NO_GPUS"));
  it("INVALID_GPU for memGB <= 0", rejects({ gpus: [{ memGB: 80 }, { memGB: 0 }], models: [] }, "INVALID_GPU", { gpu: 1 }));
  it("INVALID_GPU for a non-finite memGB", rejects({ gpus: [{ memGB: Infinity }], models: [] }, "INVALID_GPU", { gpu: 0 }));
  it("INVALID_GPU for gpuMemGB <= 0", rejects({ gpus: 2, gpuMemGB: -80, models: [] }, "INVALID_GPU"));
  it("INVALID_MODEL for a negative size", rejects({ gpus: 2, models: [model(10), model(-1)] }, "INVALID_MODEL", { model: 1 }));
  it("INVALID_MODEL for a NaN size", rejects({ gpus: 2, models: [model(NaN)] }, "INVALID_MODEL", { model: 0 }));
  it("INVALID_MODEL for a negative rate", rejects({ gpus: 2, models: [model(1, -1)] }, "INVALID_MODEL", { model: 0 }));
  it("INVALID_MODEL for an infinite rate", rejects({ gpus: 2, models: [model(1, Infinity)] }, "INVALID_MODEL", { model: 0 }));
  it("INVALID_MODEL for slo 0", rejects({ gpus: 2, models: [model(1, 1, 0)] }, "INVALID_MODEL", { model: 0 }));
  it("INVALID_MODEL for a non-finite slo", rejects({ gpus: 2, models: [model(1, 1, NaN)] }, "INVALID_MODEL", { model: 0 }));
  it("INVALID_MODEL for a string where a number belongs", rejects({ gpus: 2, models: [{ sizeGB: "10", reqRate: 1, slo: 1 }] }, "INVALID_MODEL", { model: 0 }));
  it("INVALID_MODEL for a null model", rejects({ gpus: 2, models: [model(1), null] }, "INVALID_MODEL", { model: 1 }));
  it(
    "DUPLICATE_ID for two models with one id",
    rejects(
      {
        gpus: 2,
        models: [
          { ...model(1), id: "a" },
          { ...model(1), id: "a" },
        ],
      },
      "DUPLICATE_ID",
      { model: 1 },
    ),
  );
  it(
    "DUPLICATE_ID for two GPUs with one id",
    rejects(
      {
        gpus: [
          { id: "x", memGB: 80 },
          { id: "x", memGB: 80 },
        ],
        models: [],
      },
      "DUPLICATE_ID",
      { gpu: 1 },
    ),
  );
  it("PIN_OUT_OF_RANGE for a pin past the last GPU", rejects({ gpus: 2, models: [model(1), { ...model(1), pinnedGpu: 2 }] }, "PIN_OUT_OF_RANGE", { model: 1 }));
  it("PIN_OUT_OF_RANGE for a fractional pin", rejects({ gpus: 2, models: [{ ...model(1), pinnedGpu: 0.5 }] }, "PIN_OUT_OF_RANGE", { model: 0 }));
  it("CURRENT_OUT_OF_RANGE for a negative currentGpu", rejects({ gpus: 2, models: [{ ...model(1), currentGpu: -1 }] }, "CURRENT_OUT_OF_RANGE", { model: 0 }));
  it(
    "MODEL_TOO_LARGE for a model bigger than every GPU",
    rejects({ gpus: [{ memGB: 40 }, { memGB: 80 }], models: [model(81)] }, "MODEL_TOO_LARGE", { model: 0 }),
  );
  it(
    "MODEL_TOO_LARGE for a model bigger than its pinned GPU",
    rejects({ gpus: [{ memGB: 40 }, { memGB: 80 }], models: [{ ...model(50), pinnedGpu: 0 }] }, "MODEL_TOO_LARGE", { model: 0 }),
  );
  it(
    "PIN_OVERFLOW when pinned models overfill their GPU",
    rejects(
      {
        gpus: 2,
        models: [
          { ...model(50), pinnedGpu: 1 },
          { ...model(40), pinnedGpu: 1 },
        ],
      },
      "PIN_OVERFLOW",
      { gpu: 1 },
    ),
  );
  it("MEMORY_EXCEEDED when all weights exceed all memory", rejects({ gpus: 2, models: [model(70), model(70), model(70)] }, "MEMORY_EXCEEDED"));
  it("INFEASIBLE when a model with demand fills a whole GPU", rejects({ gpus: 2, models: [model(80)] }, "INFEASIBLE", { model: 0 }));
  it(
    "INFEASIBLE when pinned models with demand fill their GPU exactly",
    rejects(
      {
        gpus: 2,
        models: [
          { ...model(40), pinnedGpu: 0 },
          { ...model(40), pinnedGpu: 0 },
        ],
      },
      "INFEASIBLE",
      { gpu: 0 },
    ),
  );
  it(
    "INFEASIBLE when weights fill the whole pool and there is demand",
    rejects({ gpus: 2, models: [model(40), model(40), model(40), model(40, 0)] }, "INFEASIBLE"),
  );
  it(
    "INFEASIBLE when no packing leaves KV cache for the demand",
    rejects({ gpus: 2, models: [model(50), model(50), model(30, 0), model(25, 0)] }, "INFEASIBLE"),
  );
});

describe("messages say what was given, and name a model by its id too", () => {
  const message = (problem: unknown, options?: object): string => {
    try {
      evaluate(problem as Problem, [], options);
    } catch (e) {
      return (e as PlacementError).message;
    }
    return "";
  };
  it("a string, a bigint or a boolean where a number belongs is shown with its type", () => {
    expect(message({ gpus: 2, models: [{ sizeGB: "30", reqRate: 1, slo: 1 }] })).toBe('model 0: sizeGB must be a finite number >= 0, got the string "30"');
    expect(message({ gpus: 2, models: [{ sizeGB: 30n, reqRate: 1, slo: 1 }] })).toMatch(/got the bigint 30n$/);
    expect(message({ gpus: 2, models: [{ sizeGB: 1, reqRate: true, slo: 1 }] })).toMatch(/got the boolean true$/);
    expect(message({ gpus: [{ memGB: "80" }], models: [] })).toBe('GPU 0 has memGB the string "80"; it must be a positive number');
    expect(message({ gpus: 2, models: [{ sizeGB: 1, reqRate: 1, slo: 1, pinnedGpu: "1" }] })).toBe(
      'model 0 has pinnedGpu the string "1"; it must be a GPU index 0..1',
    );
    expect(message({ gpus: 2, models: [{ sizeGB: 1, reqRate: 1, slo: 1, currentGpu: 5 }] })).toBe("model 0 says it runs on GPU 5, outside 0..1");
    expect(message({ gpus: "2", models: [] })).toMatch(/got the string "2"$/);
  });
  it("a model with an id is named by index and id", () => {
    expect(
      message({
        gpus: 2,
        models: [
          { id: "a", sizeGB: 1, reqRate: 1, slo: 1 },
          { id: "llama", sizeGB: -1, reqRate: 1, slo: 1 },
        ],
      }),
    ).toBe('model 1 ("llama"): sizeGB must be a finite number >= 0, got -1');
    expect(message({ gpus: 1, models: [{ id: "big", sizeGB: 90, reqRate: 1, slo: 1 }] })).toBe('model 0 ("big") needs 90 GB but the largest GPU has 80 GB');
  });
  it("an option of the wrong type is shown with its type", () => {
    expect(message({ gpus: 1, models: [] }, { timeLimitMs: "50" })).toBe('timeLimitMs must be a positive number, got the string "50"');
  });
});

describe("options are checked too", () => {
  it("INVALID_OPTIONS for an unknown key, naming it and the key it resembles", rejects({ gpus: 1, models: [] }, "INVALID_OPTIONS", {}, { timelimitMs: 50 }));
  it("INVALID_OPTIONS for an unknown key lists the options", () => {
    expect(() => evaluate({ gpus: 1, models: [] }, [], { budget: 1 } as object)).toThrowError(
      expect.objectContaining({
        code: "INVALID_OPTIONS",
        message: expect.stringMatching(/unknown option "budget"; the options are engine, timeLimitMs, .*maxMoves/),
      }),
    );
  });
  it("INVALID_OPTIONS for options that are not an object", () => {
    expect(() => evaluate({ gpus: 1, models: [] }, [], 5 as never)).toThrowError(
      expect.objectContaining({ code: "INVALID_OPTIONS", message: "options must be an object, got 5" }),
    );
  });
  it("INVALID_OPTIONS for an unknown engine", rejects({ gpus: 1, models: [] }, "INVALID_OPTIONS", {}, { engine: "gpu" }));
  it("INVALID_OPTIONS for a non-positive time limit", rejects({ gpus: 1, models: [] }, "INVALID_OPTIONS", {}, { timeLimitMs: 0 }));
  it("INVALID_OPTIONS for a fractional seed", rejects({ gpus: 1, models: [] }, "INVALID_OPTIONS", {}, { seed: 1.5 }));
  it("INVALID_OPTIONS for a negative maxMoves", rejects({ gpus: 1, models: [] }, "INVALID_OPTIONS", {}, { maxMoves: -1 }));
  it("INVALID_OPTIONS for an unknown exact mode", rejects({ gpus: 1, models: [] }, "INVALID_OPTIONS", {}, { exact: "yes" }));
});

describe("evaluate and lowerBound validate the same way", () => {
  it("evaluate rejects an assignment of the wrong length or range", () => {
    const p = { gpus: 2, models: [model(10), model(10)] };
    expect(() => evaluate(p, [0])).toThrowError(expect.objectContaining({ code: "INVALID_ASSIGNMENT" }));
    expect(() => evaluate(p, [0, 2])).toThrowError(expect.objectContaining({ code: "INVALID_ASSIGNMENT", model: 1 }));
  });
  it("evaluate reports overfull GPUs, full GPUs with demand and broken pins as violations", () => {
    const p = { gpus: 2, models: [model(50), model(40), { ...model(10, 0), pinnedGpu: 1 }] };
    const ev = evaluate(p, [0, 0, 0]);
    expect(ev.feasible).toBe(false);
    expect(ev.violations).toHaveLength(2);
    const full = evaluate({ gpus: 2, models: [model(40), model(40)] }, [0, 0]);
    expect(full.maxKvpr).toBe(Infinity);
    expect(full.violations[0]).toMatch(/infinite/);
  });
  it("evaluate lists every broken constraint: a model off its pin, memory, a group sharing a GPU, the move budget", () => {
    const p: Problem = {
      gpus: 2,
      models: [
        { id: "a", sizeGB: 50, reqRate: 1, slo: 1, group: "tp", currentGpu: 1 },
        { id: "b", sizeGB: 40, reqRate: 1, slo: 1, group: "tp", currentGpu: 1 },
        { sizeGB: 10, reqRate: 0, slo: 1, pinnedGpu: 1 },
      ],
    };
    const ev = evaluate(p, [0, 0, 0], { maxMoves: 1 });
    expect(ev.feasible).toBe(false);
    expect(ev.violations).toEqual([
      "model 2 is pinned to GPU 1 but placed on GPU 0",
      "GPU 0 holds 100 GB but has 80 GB",
      'model 0 ("a") and model 1 ("b") of group "tp" share GPU 0',
      "2 models end off their current GPU, more than maxMoves 1",
    ]);
    // A pinned model off its current GPU is a move like any other.
    const pinnedAway: Problem = { gpus: 2, models: [{ sizeGB: 10, reqRate: 1, slo: 1, currentGpu: 0, pinnedGpu: 1 }] };
    expect(evaluate(pinnedAway, [1], { maxMoves: 0 }).violations).toEqual(["1 model ends off its current GPU, more than maxMoves 0"]);
    expect(evaluate(pinnedAway, [1]).violations).toEqual([]);
    expect(evaluate(p, [0, 1, 1], { maxMoves: 1 }).feasible).toBe(true);
  });
  it("lowerBound throws what solve throws", () => {
    expect(() => lowerBound({ gpus: 0, models: [] })).toThrowError(expect.objectContaining({ code: "NO_GPUS" }));
  });
});

describe("impossibility found by the bounds is reported at once", () => {
  it("more models that cannot share a GPU than there are GPUs: INFEASIBLE without a search", async () => {
    const s = await solver();
    const models = Array.from({ length: 401 }, () => ({ sizeGB: 41, reqRate: 1, slo: 1 }));
    for (const engine of ENGINES) {
      const start = performance.now();
      expect(() => s.solve({ gpus: 400, models }, { engine, timeLimitMs: 60_000 })).toThrowError(
        expect.objectContaining({ code: "INFEASIBLE", message: expect.stringMatching(/cannot be packed/) }),
      );
      // Not a speed claim: without the bound the search would run out the 60 s limit.
      expect(performance.now() - start).toBeLessThan(30_000);
    }
  });
});

describe("JSON nulls", () => {
  it("a null optional field (id, pinnedGpu, currentGpu, group) counts as absent", async () => {
    const s = await solver();
    const models = [
      { sizeGB: 10, reqRate: 1, slo: 1, id: null, pinnedGpu: null, currentGpu: null, group: null },
      { sizeGB: 10, reqRate: 2, slo: 1 },
    ];
    const sol = s.solve({ gpus: 2, models } as unknown as Problem);
    expect(sol.assignment).toHaveLength(2);
    expect(sol.moves).toEqual([]);
  });
});
