import { PlacementError } from "../errors.js";
import { describeValue, modelLabel } from "./label.js";

/**
 * Scenarios kvplace accepts. Each scenario past the first adds a demand per
 * model to every fit test and three arrays of one number per model to the
 * workspace: `scenarios` admits a week of hours with room to spare,
 * `scenarioModels` (scenarios × models) caps that memory near 100 MB, and
 * `scenarioPairs` (models × GPUs × scenarios, what a pack may visit) bounds
 * the longest kernel call, and with it how far a solve may run past its time
 * limit (README, "Time").
 */
export const SCENARIO_LIMITS = {
  scenarios: 1_024,
  scenarioModels: 2 ** 22,
  scenarioPairs: 2 ** 31,
} as const;

/** The demand scenarios of a problem, read and checked. */
export type Scenarios = { ids: string[]; demands: Float64Array[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function scenarioLabel(k: number, id: unknown): string {
  return typeof id === "string" && id !== "" ? `scenario ${k} (${JSON.stringify(id)})` : `scenario ${k}`;
}

/**
 * Reads `problem.scenarios`: per scenario `k` and model `i`, the demand
 * `reqRate[i] / (slo?.[i] ?? models[i].slo)`. `slo` holds the models' own SLOs
 * (validated by the caller); `modelIds` name the models in messages; `gpus`
 * is the pool's size, for the limits.
 */
export function readScenarios(value: unknown, slo: Float64Array, modelIds: unknown[], gpus: number): Scenarios {
  const n = slo.length;
  const fail = (message: string, where: { model?: number; scenario?: number } = {}): never => {
    throw new PlacementError("INVALID_SCENARIO", message, where);
  };
  if (!Array.isArray(value)) fail(`scenarios must be a list of { reqRate }, got ${describeValue(value)}`);
  const list = value as unknown[];
  if (list.length === 0) fail("scenarios is an empty list: give at least one, or leave it out to use the models' reqRate");
  if (list.length > SCENARIO_LIMITS.scenarios) {
    throw new PlacementError("TOO_LARGE", `${list.length} scenarios is more than the ${SCENARIO_LIMITS.scenarios} kvplace accepts`);
  }
  if (list.length * n > SCENARIO_LIMITS.scenarioModels) {
    const most = Math.floor(SCENARIO_LIMITS.scenarioModels / Math.max(1, n));
    throw new PlacementError("TOO_LARGE", `${list.length} scenarios of ${n} models is too many: at most ${most} scenarios for ${n} models`);
  }
  if (list.length * n * gpus > SCENARIO_LIMITS.scenarioPairs) {
    const most = Math.floor(SCENARIO_LIMITS.scenarioPairs / Math.max(1, n * gpus));
    throw new PlacementError(
      "TOO_LARGE",
      `${list.length} scenarios of ${n} models on ${gpus} GPUs is too many: at most ${most} scenarios for ${n} models on ${gpus} GPUs`,
    );
  }
  const ids: string[] = [];
  const demands: Float64Array[] = [];
  const seen = new Map<string, number>();
  // Index loops, not forEach: a hole in a sparse list must be rejected, not skipped.
  for (let k = 0; k < list.length; k++) {
    const sc: unknown = list[k];
    if (!isRecord(sc)) fail(`scenario ${k} is not an object { reqRate }`, { scenario: k });
    const { id, reqRate, slo: sloList } = sc as Record<string, unknown>;
    const label = scenarioLabel(k, id);
    if (id !== undefined && id !== null && (typeof id !== "string" || id === "")) {
      fail(`${label}: id must be a non-empty string, got ${describeValue(id)}`, { scenario: k });
    }
    const name = typeof id === "string" ? id : `scenario${k}`;
    const first = seen.get(name);
    if (first !== undefined) throw new PlacementError("DUPLICATE_ID", `scenario ${k} repeats the id "${name}" of scenario ${first}`, { scenario: k });
    seen.set(name, k);
    const lengthOf = (field: string, list: unknown): void => {
      if (!Array.isArray(list)) fail(`${label}: ${field} must be a list with one entry per model, got ${describeValue(list)}`, { scenario: k });
      if ((list as unknown[]).length !== n) {
        fail(`${label}: ${field} has ${(list as unknown[]).length} entries but there are ${n} models`, { scenario: k });
      }
    };
    lengthOf("reqRate", reqRate);
    const hasSlo = sloList !== undefined && sloList !== null;
    if (hasSlo) lengthOf("slo", sloList);
    const demand = new Float64Array(n);
    // Messages are made only on failure: a week of hours on thousands of models is a million checks.
    const bad = (i: number, what: string): never => fail(`${label}, ${modelLabel(i, modelIds[i])}: ${what}`, { model: i, scenario: k });
    for (let i = 0; i < n; i++) {
      const r: unknown = (reqRate as unknown[])[i];
      if (typeof r !== "number" || !Number.isFinite(r) || r < 0) bad(i, `reqRate must be a finite number >= 0, got ${describeValue(r)}`);
      const s: unknown = hasSlo ? (sloList as unknown[])[i] : slo[i];
      if (typeof s !== "number" || !Number.isFinite(s) || s <= 0) bad(i, `slo must be a finite number > 0, got ${describeValue(s)}`);
      const d = (r as number) / (s as number);
      if (!Number.isFinite(d)) bad(i, `reqRate / slo overflows (${String(r)} / ${String(s)})`);
      demand[i] = d;
    }
    ids.push(name);
    demands.push(demand);
  }
  return { ids, demands };
}
