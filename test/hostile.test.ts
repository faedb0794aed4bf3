// Specification: whatever a metrics pipeline sends, solve answers with a
// placement that a recomputation confirms, or a PlacementError with a
// documented code — never another exception, never a hang — in both engines,
// without touching its input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../bench/generate.js";
import { slackMs } from "../bench/hard.js";
import { evaluate, lowerBound, PlacementError, type Problem, type Solution } from "../dist/index.js";
import { DOCUMENTED_CODES } from "./documented-codes.js";
import { bruteForceOptimum, deepFreeze, ENGINES, expectConfirmed, solver } from "./support.js";

const TIME_LIMIT_MS = 200;
/**
 * A property's whole run, shrinking included, ends by this (inside vitest's
 * 120 s per test): a passing run takes seconds, while shrinking a failure once
 * took 30 minutes of CI (26,273 shrinks, each two solves and an enumeration).
 * A failure is then reported with the counterexample shrunk so far and its
 * seed; a run cut short without one fails too.
 */
const RUN_CAP_MS = 100_000;
const shrinkCap = () => fc.interruptAfterTimeLimit(RUN_CAP_MS, { failOnInterrupt: true });
/** Instances small enough for the exhaustive oracle to check optimality and infeasibility claims. */
const oracleFits = (p: Problem) => p.models.length <= 7 && (typeof p.gpus === "number" ? p.gpus : p.gpus.length) <= 4;

type Outcome = { solution: Solution } | { error: PlacementError };

/** One solve, timed; anything thrown that is not a PlacementError fails the test. */
async function attempt(problem: unknown, engine: "wasm" | "ts", timeLimitMs = TIME_LIMIT_MS): Promise<Outcome & { ms: number }> {
  const s = await solver();
  const start = performance.now();
  try {
    const solution = s.solve(problem as Problem, { engine, timeLimitMs });
    return { solution, ms: performance.now() - start };
  } catch (e) {
    const ms = performance.now() - start;
    if (!(e instanceof PlacementError)) throw new Error(`${engine} threw ${String(e)} for ${show(problem)}`, { cause: e });
    return { error: e, ms };
  }
}

function show(problem: unknown): string {
  try {
    return JSON.stringify(problem, (_, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))?.slice(0, 300) ?? String(problem);
  } catch {
    return String(problem);
  }
}

/**
 * What both engines must agree on and what the oracle can check, for one problem.
 * An INFEASIBLE is checked only for problems known to be well formed: validation
 * stops at the first fault, so a model that leaves no KV cache may be reported
 * before a malformed one after it.
 */
async function expectSound(problem: unknown, wellFormed: boolean): Promise<"solved" | "rejected"> {
  const [wasm, ts] = [await attempt(problem, "wasm"), await attempt(problem, "ts")];
  const shape = sizeOf(problem);
  for (const outcome of [wasm, ts]) expect(outcome.ms, `returned late for ${show(problem)}`).toBeLessThan(TIME_LIMIT_MS + slackMs(shape.n, shape.g));
  if ("error" in wasm) {
    expect(DOCUMENTED_CODES.has(wasm.error.code), `undocumented code ${wasm.error.code}`).toBe(true);
    expect("error" in ts && ts.error.code, "both engines reject alike").toBe(wasm.error.code);
    if (wasm.error.code === "INFEASIBLE" && wellFormed && oracleFits(problem as Problem)) expect(bruteForceOptimum(problem as Problem)).toBe(Infinity);
    return "rejected";
  }
  expectConfirmed(problem as Problem, wasm.solution);
  expect("solution" in ts && ts.solution.assignment, "both engines place alike").toEqual(wasm.solution.assignment);
  if (oracleFits(problem as Problem)) {
    const optimum = bruteForceOptimum(problem as Problem);
    expect(wasm.solution.lowerBound).toBeLessThanOrEqual(optimum * (1 + 1e-9));
    expect(lowerBound(problem as Problem)).toBeLessThanOrEqual(optimum * (1 + 1e-9));
    if (wasm.solution.optimal) expect(Math.abs(wasm.solution.maxKvpr - optimum)).toBeLessThanOrEqual(1e-9 * optimum);
  }
  return "solved";
}

function sizeOf(problem: unknown): { n: number; g: number } {
  const p = problem as { models?: unknown; gpus?: unknown } | null;
  const n = Array.isArray(p?.models) ? p.models.length : 0;
  const g = Array.isArray(p?.gpus) ? p.gpus.length : typeof p?.gpus === "number" ? p.gpus : 1;
  return { n: Math.min(n, 32_768), g: Math.min(Math.max(g, 1), 4_096) || 1 };
}

// Arbitraries: plausible values most of the time, anything at all now and then.
const WILD: unknown[] = [NaN, Infinity, -Infinity, -0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 2, "10", "", "NaN", null, undefined, true, {}, [], [1]];
const wild = fc.oneof(fc.constantFrom(...WILD), fc.double(), fc.string({ maxLength: 4 }), fc.integer());
const maybe = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ arbitrary: plausible, weight: 12 }, { arbitrary: wild, weight: 1 });
const positive = (max: number) => fc.double({ min: 0.01, max, noNaN: true });
const id = fc.constantFrom("llama", "mistral", "qwen", "phi");
const index = fc.integer({ min: -1, max: 5 });
/** Usually absent (undefined), as pins and current GPUs are. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });
const plausibleModel = fc.record({
  id: rarely(maybe(id)),
  sizeGB: maybe(fc.double({ min: 0, max: 45, noNaN: true })),
  reqRate: maybe(fc.double({ min: 0, max: 10, noNaN: true })),
  slo: maybe(positive(10)),
  pinnedGpu: rarely(maybe(index)),
  currentGpu: rarely(maybe(index)),
});
/** Any field may be missing or of any type; records may have a null prototype, as some parsers make them. */
const hostileModel = fc.record({ id: wild, sizeGB: wild, reqRate: wild, slo: wild, pinnedGpu: wild }, { requiredKeys: [] });
const model = fc.oneof({ arbitrary: plausibleModel, weight: 30 }, { arbitrary: hostileModel, weight: 1 }, { arbitrary: wild, weight: 1 });
const gpu = fc.record({ id: rarely(maybe(fc.constantFrom("h100", "a100", "l4"))), memGB: maybe(fc.constantFrom(24, 40, 48, 80, 94, 141)) });
const gpus = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 8 },
  { arbitrary: fc.array(gpu, { maxLength: 5 }), weight: 8 },
  { arbitrary: fc.constantFrom(0, -1, 1.5, 4_097, 2 ** 31, 1e9, 1e308), weight: 1 },
  { arbitrary: wild, weight: 1 },
);
const models = fc.oneof(
  { arbitrary: fc.array(model, { maxLength: 8 }), weight: 14 },
  { arbitrary: fc.sparseArray(model, { maxLength: 6 }), weight: 1 },
  { arbitrary: wild, weight: 1 },
);
const scenario = fc.record(
  {
    id: rarely(maybe(fc.constantFrom("peak", "night", ""))),
    reqRate: maybe(fc.array(maybe(fc.double({ min: 0, max: 10, noNaN: true })), { maxLength: 8 })),
    slo: rarely(maybe(fc.array(maybe(positive(10)), { maxLength: 8 }))),
  },
  { requiredKeys: ["reqRate"] },
);
const problem = fc.oneof(
  { arbitrary: fc.record({ gpus, gpuMemGB: rarely(maybe(fc.constantFrom(24, 80, 141))), models }), weight: 20 },
  { arbitrary: fc.record({ gpus, models, scenarios: maybe(fc.array(scenario, { maxLength: 3 })) }), weight: 3 },
  { arbitrary: fc.record({ gpus, models }, { requiredKeys: [] }), weight: 1 },
  { arbitrary: wild, weight: 1 },
);

describe("arbitrary input, hostile included", () => {
  it("is placed soundly or rejected with a documented code, alike in both engines, and is never written to", async () => {
    const seen = { solved: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(problem, async (p) => {
        seen[await expectSound(deepFreeze(p), false)]++;
      }),
      { numRuns: 3000, plugins: [shrinkCap()] },
    );
    // Not vacuous: a fair share of the runs got through validation to a placement.
    expect(seen.solved).toBeGreaterThan(300);
  });

  // Sizes and demands scaled from 1e-300 to 1e307: the solver's sums, products and
  // bounds must neither overflow into a wrong answer nor lose a placement.
  // 1e307 and 3e307 put single demands near the largest double and their sums past it.
  const scale = fc.constantFrom(1e-300, 1e-9, 1e-3, 1, 1e3, 1e12, 1e150, 1e300, 1e307, 3e307);
  // Uniform in [lo, hi]: fc.double is dense near 0 and would rarely reach the large values.
  const uniform = (lo: number, hi: number) => fc.integer({ min: 0, max: 1 << 20 }).map((k) => lo + ((hi - lo) * k) / (1 << 20));
  const scaled = fc
    .record({
      memory: scale,
      demand: scale,
      caps: fc.array(uniform(0.2, 1), { minLength: 1, maxLength: 4 }),
      models: fc.array(fc.record({ s: uniform(0, 0.6), r: uniform(0, 10), slo: uniform(0.1, 10), pin: fc.option(fc.nat(3), { nil: undefined, freq: 6 }) }), {
        maxLength: 7,
      }),
    })
    .map(
      ({ memory, demand, caps, models }): Problem => ({
        gpus: caps.map((c) => ({ memGB: c * memory })),
        models: models.map((m) => ({
          sizeGB: m.s * memory,
          reqRate: m.r * demand,
          slo: m.slo,
          ...(m.pin !== undefined && m.pin < caps.length ? { pinnedGpu: m.pin } : {}),
        })),
      }),
    );

  it("at any magnitude, every claim (figures, optimality, infeasibility, lower bound) checks out against the exhaustive optimum", async () => {
    const seen = { solved: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(scaled, async (p) => {
        const before = structuredClone(p);
        seen[await expectSound(p, true)]++;
        expect(p).toStrictEqual(before);
      }),
      { numRuns: 2000, plugins: [shrinkCap()] },
    );
    expect(seen.solved).toBeGreaterThan(400);
  });

  // The same with demand scenarios: each model's rate times a factor from 0 to 3 in each of 1 to 3 scenarios.
  const scaledScenarios = scaled.chain((p) =>
    fc
      .array(fc.array(uniform(0, 3), { minLength: p.models.length, maxLength: p.models.length }), { minLength: 1, maxLength: 3 })
      .map((factors): Problem => ({ ...p, scenarios: factors.map((f) => ({ reqRate: f.map((x, i) => x * p.models[i]!.reqRate!) })) })),
  );

  it("with demand scenarios at any magnitude, every claim checks out against the exhaustive optimum", async () => {
    const seen = { solved: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(scaledScenarios, async (p) => {
        const before = structuredClone(p);
        seen[await expectSound(p, true)]++;
        expect(p).toStrictEqual(before);
      }),
      { numRuns: 600, plugins: [shrinkCap()] },
    );
    expect(seen.solved).toBeGreaterThan(120);
  });

  // One defect planted in a generated instance: the error must name it and where it is.
  const defects: { name: string; code: string; plant: (p: Problem, i: number, g: number) => void; where: "model" | "none" }[] = [
    { name: "sizeGB NaN", code: "INVALID_MODEL", where: "model", plant: (p, i) => void (p.models[i]!.sizeGB = NaN) },
    { name: "sizeGB negative", code: "INVALID_MODEL", where: "model", plant: (p, i) => void (p.models[i]!.sizeGB = -3) },
    {
      name: "sizeGB a string",
      code: "INVALID_MODEL",
      where: "model",
      plant: (p, i) => void ((p.models[i] as unknown as Record<string, unknown>)["sizeGB"] = "12"),
    },
    { name: "reqRate infinite", code: "INVALID_MODEL", where: "model", plant: (p, i) => void (p.models[i]!.reqRate = Infinity) },
    {
      name: "reqRate missing",
      code: "INVALID_MODEL",
      where: "model",
      plant: (p, i) => void delete (p.models[i] as Partial<Problem["models"][number]>).reqRate,
    },
    { name: "slo 0", code: "INVALID_MODEL", where: "model", plant: (p, i) => void (p.models[i]!.slo = 0) },
    { name: "slo null", code: "INVALID_MODEL", where: "model", plant: (p, i) => void ((p.models[i] as unknown as Record<string, unknown>)["slo"] = null) },
    { name: "the model null", code: "INVALID_MODEL", where: "model", plant: (p, i) => void ((p.models as unknown[])[i] = null) },
    { name: "a numeric id", code: "INVALID_MODEL", where: "model", plant: (p, i) => void ((p.models[i] as unknown as Record<string, unknown>)["id"] = 7) },
    { name: "a pin past the last GPU", code: "PIN_OUT_OF_RANGE", where: "model", plant: (p, i, g) => void (p.models[i]!.pinnedGpu = g) },
    { name: "a fractional pin", code: "PIN_OUT_OF_RANGE", where: "model", plant: (p, i) => void (p.models[i]!.pinnedGpu = 0.5) },
    { name: "a negative currentGpu", code: "CURRENT_OUT_OF_RANGE", where: "model", plant: (p, i) => void (p.models[i]!.currentGpu = -1) },
    { name: "a model bigger than any GPU", code: "MODEL_TOO_LARGE", where: "model", plant: (p, i) => void (p.models[i]!.sizeGB = 1e6) },
    { name: "a hole in the list", code: "INVALID_MODEL", where: "model", plant: (p, i) => void delete (p.models as unknown[])[i] },
    { name: "no GPUs", code: "NO_GPUS", where: "none", plant: (p) => void (p.gpus = 0) },
    { name: "100,000 models", code: "TOO_LARGE", where: "none", plant: (p) => void ((p.models as unknown[]).length = 100_000) },
  ];
  const families = Object.values(FAMILIES);

  it("one planted defect is reported with its code, at the model it was planted in", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(families.length - 1), fc.integer({ min: 1, max: 10_000 }), fc.nat(defects.length - 1), fc.nat(), async (f, seed, d, at) => {
        const p = families[f]!(seed);
        const defect = defects[d]!;
        const i = at % p.models.length;
        const g = typeof p.gpus === "number" ? p.gpus : p.gpus.length;
        // A duplicate id is planted at i, so the first model with that id comes before it.
        defect.plant(p, i, g);
        for (const engine of ENGINES) {
          const outcome = await attempt(p, engine);
          expect("error" in outcome && outcome.error.code, `${defect.name} (${engine})`).toBe(defect.code);
          if ("error" in outcome) expect(outcome.error.model).toBe(defect.where === "model" ? i : undefined);
        }
      }),
      { numRuns: 500, plugins: [shrinkCap()] },
    );
  });

  it("a repeated model id is reported at its second use", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.nat(), fc.nat(), async (seed, a, b) => {
        const p = FAMILIES.mixedGpus(seed);
        const [first, second] = [a % p.models.length, b % p.models.length].sort((x, y) => x - y) as [number, number];
        fc.pre(first !== second);
        p.models[second]!.id = p.models[first]!.id!;
        for (const engine of ENGINES) {
          const outcome = await attempt(p, engine);
          expect("error" in outcome && { code: outcome.error.code, model: outcome.error.model }).toEqual({ code: "DUPLICATE_ID", model: second });
        }
      }),
      { numRuns: 100, plugins: [shrinkCap()] },
    );
  });
});

describe("the hostile inputs named in the issue, one by one", () => {
  const model = { sizeGB: 10, reqRate: 1, slo: 1 };
  const cases: [string, unknown, string][] = [
    ["null", null, "INVALID_PROBLEM"],
    ["a string", "{ gpus: 2 }", "INVALID_PROBLEM"],
    ["missing models", { gpus: 2 }, "INVALID_PROBLEM"],
    ["0 GPUs", { gpus: 0, models: [model] }, "NO_GPUS"],
    ["a billion GPUs (rejected before anything is allocated)", { gpus: 1e9, models: [model] }, "TOO_LARGE"],
    ["1e308 GPUs", { gpus: 1e308, models: [] }, "TOO_LARGE"],
    ["NaN GPUs", { gpus: NaN, models: [] }, "INVALID_PROBLEM"],
    ["a GPU list with a hole", { gpus: [{ memGB: 80 }, , { memGB: 80 }], models: [model] }, "INVALID_GPU"],
    ["a string where memGB belongs", { gpus: [{ memGB: "80" }], models: [] }, "INVALID_GPU"],
    ["NaN demand", { gpus: 2, models: [{ ...model, reqRate: NaN }] }, "INVALID_MODEL"],
    ["a demand that overflows (1e300 / 1e-300)", { gpus: 2, models: [{ ...model, reqRate: 1e300, slo: 1e-300 }] }, "INVALID_MODEL"],
    ["demands that overflow only in sum", { gpus: 3, models: [0, 1, 2].map(() => ({ ...model, reqRate: 1e308 })) }, "TOO_LARGE"],
    ["GPU memory that overflows only in sum", { gpus: [1, 2, 3].map(() => ({ memGB: 1e308 })), models: [{ ...model, sizeGB: 0.7e308 }] }, "TOO_LARGE"],
    [
      "duplicate GPU ids",
      {
        gpus: [
          { id: "a", memGB: 80 },
          { id: "a", memGB: 80 },
        ],
        models: [],
      },
      "DUPLICATE_ID",
    ],
    ["a pin of -1", { gpus: 2, models: [{ ...model, pinnedGpu: -1 }] }, "PIN_OUT_OF_RANGE"],
    ["a pin given as a string", { gpus: 2, models: [{ ...model, pinnedGpu: "1" }] }, "PIN_OUT_OF_RANGE"],
  ];
  for (const [name, input, code] of cases) {
    it(`${name}: ${code}`, async () => {
      for (const engine of ENGINES) {
        const outcome = await attempt(input, engine);
        expect("error" in outcome && outcome.error.code).toBe(code);
      }
      expect(() => lowerBound(input as Problem)).toThrowError(expect.objectContaining({ code }));
      expect(() => evaluate(input as Problem, [])).toThrowError(expect.objectContaining({ code }));
    });
  }

  it("100,000 models are rejected as TOO_LARGE at once, without looking at them", async () => {
    const many = { gpus: 64, models: Array.from({ length: 100_000 }, () => ({ sizeGB: NaN, reqRate: 1, slo: 1 })) };
    for (const engine of ENGINES) {
      const outcome = await attempt(many, engine);
      expect("error" in outcome && outcome.error.code).toBe("TOO_LARGE");
      expect(outcome.ms).toBeLessThan(slackMs(0, 1));
    }
  });

  it("a sparse assignment is an INVALID_ASSIGNMENT for evaluate, not a crash", () => {
    const p = { gpus: 2, models: [model, model] };
    expect(() => evaluate(p, [, 1] as number[])).toThrowError(expect.objectContaining({ code: "INVALID_ASSIGNMENT", model: 0 }));
  });

  it("demands whose total overflows: refused, not placed with a false proof of optimality", async () => {
    // Found by the magnitude property: the total demand overflowed to Infinity, the fluid lower
    // bound became infinite, and the first placement found was reported optimal at 8.73e306
    // when 4.83e306 was reachable.
    const p: Problem = {
      gpus: 3,
      models: [
        { sizeGB: 42.12690830230713, reqRate: 8.131321430206298e307, slo: 1 },
        { sizeGB: 37.27877140045166, reqRate: 6.02686357498169e307, slo: 1 },
        { sizeGB: 20.27517795562744, reqRate: 7.412304401397704e307, slo: 1 },
        { sizeGB: 30.229897499084473, reqRate: 6.829500198364257e303, slo: 1 },
        { sizeGB: 35.33873187378049, reqRate: 4.171103239059448e306, slo: 1 },
        { sizeGB: 16.08415126800537, reqRate: 5.5325591564178465e306, slo: 1 },
      ],
    };
    for (const engine of ENGINES) {
      const outcome = await attempt(p, engine);
      expect("error" in outcome && outcome.error.code).toBe("TOO_LARGE");
    }
  });

  it("memory near the largest double: the exact search does not prune on a weight that overflows, nor claim a worse placement optimal", async () => {
    // Found by the magnitude property: at the incumbent's target every model's
    // transformed weight d + T·s overflowed to Infinity, the count bound saw no
    // model to count and pruned the root, and 35,250 was reported optimal when
    // the exhaustive optimum is 35,114.7.
    const p: Problem = {
      gpus: [{ memGB: 3.537010192871094e306 }, { memGB: 3.5369949340820316e306 }, { memGB: 7.073997497558595e306 }],
      models: [
        { sizeGB: 3.5369911193847655e306, reqRate: 1.3446807861328125e304, slo: 0.1 },
        { sizeGB: 3.5369911193847655e306, reqRate: 1.3446807861328125e304, slo: 0.1 },
        { sizeGB: 3.535022735595703e306, reqRate: 6.978893280029297e306, slo: 0.1 },
      ],
    };
    const optimum = bruteForceOptimum(p);
    for (const engine of ENGINES) {
      const outcome = await attempt(p, engine);
      expect("solution" in outcome && outcome.solution.maxKvpr).toBe(optimum);
    }
  });
});

describe("the limits", () => {
  const model = { sizeGB: 0.001, reqRate: 1, slo: 1 };
  const models = (n: number) => Array.from({ length: n }, () => model);
  const accepted = (p: Problem) => evaluate(p, new Array<number>(p.models.length).fill(0)).gpus.length;
  const rejected = (p: Problem) => () => evaluate(p, []);
  const tooLarge = expect.objectContaining({ code: "TOO_LARGE" });

  it("4,096 GPUs are accepted, 4,097 are not", () => {
    expect(accepted({ gpus: 4096, models: [] })).toBe(4096);
    expect(rejected({ gpus: 4097, models: [] })).toThrowError(tooLarge);
    expect(rejected({ gpus: new Array(4097).fill({ memGB: 80 }), models: [] })).toThrowError(tooLarge);
  });

  it("32,768 models are accepted on 32 GPUs, 32,769 are not on any number", () => {
    expect(accepted({ gpus: 32, models: models(32_768) })).toBe(32);
    expect(rejected({ gpus: 4096, models: models(32_769) })).toThrowError(tooLarge);
  });

  it("models² may not pass 2^25 × GPUs: 8,192 models on 2 GPUs, 5,792 on one", () => {
    expect(accepted({ gpus: 2, models: models(8192) })).toBe(2);
    expect(rejected({ gpus: 2, models: models(8193) })).toThrowError(tooLarge);
    expect(accepted({ gpus: 1, models: models(5792) })).toBe(1);
    expect(rejected({ gpus: 1, models: models(5793) })).toThrowError(tooLarge);
  });

  it("the 4,096-GPU × 20,480-model fleet is inside them", () => {
    expect(accepted({ gpus: 4096, models: models(20_480) })).toBe(4096);
  });

  it("the message says which limit", async () => {
    const s = await solver();
    expect(() => s.solve({ gpus: 2, models: models(9000) })).toThrowError(/at most 8192 models on 2 GPUs/);
    expect(() => s.solve({ gpus: 5000, models: [] })).toThrowError(/4096/);
  });
});
