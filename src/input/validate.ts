import { PlacementError } from "../errors.js";
import type { Instance } from "./instance.js";
import { MEM_EPS } from "../kvpr.js";
import { describeValue, modelLabel } from "./label.js";
import { readScenarios } from "./scenarios.js";
import { type Arena, freshSlab, type Slab } from "./slab.js";
import { checkTopology, MembershipBuilder, readSites } from "./topology.js";
import type { Problem, SolveOptions } from "../types.js";

const DEFAULT_GPU_MEM_GB = 80;

/**
 * Instance sizes kvplace accepts. A kernel call cannot be interrupted, so these
 * bound the longest call, and with it how far a solve may run past its time
 * limit (README, "Limits"): a pack visits every model × GPU pair, a local-search
 * step the bottleneck's models (about models/GPUs) against every model, and
 * ranking GPUs or one exact-search node up to GPUs² pairs. The 4,096-GPU ×
 * 20,480-model fleet is inside them.
 */
export const LIMITS = {
  models: 32_768,
  gpus: 4_096,
  /** models² / GPUs: the balanced cost of one local-search step. */
  modelsSquaredPerGpu: 2 ** 25,
  /** Spread groups of one model: every check of a move walks them (a shard is in two: its replica's and its model's). */
  groupsPerModel: 16,
  /** Memberships of all models (groups and colocated sets): the workspace holds four numbers for each. */
  memberships: 2 ** 18,
} as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function gpuIndex(v: unknown, g: number): boolean {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) < g;
}

/** What is wrong with a pinnedGpu or currentGpu that is not a GPU index: a number out of range, or not a number at all. */
function gpuField(field: "pinnedGpu" | "currentGpu", value: unknown, g: number): string {
  if (typeof value !== "number") return `has ${field} ${describeValue(value)}; it must be a GPU index 0..${g - 1}`;
  return field === "pinnedGpu" ? `is pinned to GPU ${value}, outside 0..${g - 1}` : `says it runs on GPU ${value}, outside 0..${g - 1}`;
}

function checkUniqueIds(ids: (string | undefined)[], what: "model" | "GPU"): void {
  let any = false;
  for (let i = 0; i < ids.length && !any; i++) any = ids[i] !== undefined;
  if (!any) return;
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id === undefined) continue;
    if (seen.has(id)) {
      const where = what === "model" ? { model: i } : { gpu: i };
      throw new PlacementError("DUPLICATE_ID", `${what} ${i} repeats the id "${id}" of ${what} ${ids.indexOf(id)}`, where);
    }
    seen.add(id);
  }
}

/** Rejects an instance past LIMITS before anything is allocated for it. */
function checkSize(n: number, g: number): void {
  if (g > LIMITS.gpus) {
    throw new PlacementError("TOO_LARGE", `${g} GPUs is more than the ${LIMITS.gpus} kvplace accepts`);
  }
  if (n > LIMITS.models) {
    throw new PlacementError("TOO_LARGE", `${n} models is more than the ${LIMITS.models} kvplace accepts`);
  }
  if ((n * n) / g > LIMITS.modelsSquaredPerGpu) {
    const most = Math.floor(Math.sqrt(LIMITS.modelsSquaredPerGpu * g));
    throw new PlacementError("TOO_LARGE", `${n} models on ${g} GPUs is too many per GPU: at most ${most} models on ${g} GPUs`);
  }
}

type GpuList = { memGB: Float64Array; reserve: Float64Array; ids: (string | undefined)[]; nodeOf: (string | undefined)[]; zoneOf: (string | undefined)[] };

/**
 * The slab of a problem's arrays, sized by its counts of GPUs and models as given: where a count is not one
 * kvplace accepts, validation refuses it before any array of that count is carved.
 */
function slabFor(problem: Record<string, unknown>, arena: Arena | undefined): Slab {
  const gpus = problem["gpus"];
  const models = problem["models"];
  const listed = Array.isArray(gpus) ? gpus.length : typeof gpus === "number" ? gpus : 0;
  const g = Number.isInteger(listed) && listed >= 0 && listed <= LIMITS.gpus ? listed : 0;
  const n = Array.isArray(models) && models.length <= LIMITS.models ? models.length : 0;
  // Per model: demand, slo, size, move cost, KV floor; pin, current, its colocated set and where its memberships start.
  // Per GPU: memory, reserve, what is left; node and zone.
  const f64s = 5 * n + 3 * g;
  const i32s = 4 * n + 1 + 2 * g;
  // An arena's bytes hold the last problem's values: every array carved is written whole.
  return arena === undefined ? freshSlab(f64s, i32s) : arena.slab(f64s, i32s);
}

function readGpus(problem: Record<string, unknown>, slab: Slab): GpuList {
  const gpus = problem["gpus"];
  if (typeof gpus === "number") {
    if (!Number.isInteger(gpus) || gpus < 0) {
      throw new PlacementError("INVALID_PROBLEM", `gpus must be a whole number of GPUs or a list, got ${describeValue(gpus)}`);
    }
    if (gpus === 0) throw new PlacementError("NO_GPUS", "the problem has no GPUs");
    checkSize(0, gpus);
    const mem = problem["gpuMemGB"] ?? DEFAULT_GPU_MEM_GB;
    if (!isFiniteNumber(mem) || mem <= 0) {
      throw new PlacementError("INVALID_GPU", `gpuMemGB must be a positive number, got ${describeValue(mem)}`);
    }
    const none = new Array<undefined>(gpus).fill(undefined);
    return { memGB: slab.f64(gpus).fill(mem), reserve: slab.f64(gpus).fill(0), ids: none, nodeOf: none, zoneOf: none };
  }
  if (!Array.isArray(gpus)) throw new PlacementError("INVALID_PROBLEM", `gpus must be a number or a list of { memGB }, got ${describeValue(gpus)}`);
  if (gpus.length === 0) throw new PlacementError("NO_GPUS", "the problem has no GPUs");
  checkSize(0, gpus.length);
  const memGB = slab.f64(gpus.length);
  const reserve = slab.f64(gpus.length);
  const ids: (string | undefined)[] = [];
  const nodeOf: (string | undefined)[] = [];
  const zoneOf: (string | undefined)[] = [];
  // An index loop, not forEach: forEach skips the holes of a sparse list, which must be rejected.
  for (let j = 0; j < gpus.length; j++) {
    const gpu: unknown = gpus[j];
    if (!isRecord(gpu)) throw new PlacementError("INVALID_GPU", `GPU ${j} is not an object`, { gpu: j });
    const mem = gpu["memGB"];
    if (!isFiniteNumber(mem) || mem <= 0) {
      throw new PlacementError("INVALID_GPU", `GPU ${j} has memGB ${describeValue(mem)}; it must be a positive number`, { gpu: j });
    }
    const kept = gpu["reserveGB"] ?? 0;
    if (!isFiniteNumber(kept) || kept < 0 || kept >= mem) {
      throw new PlacementError("INVALID_GPU", `GPU ${j} has reserveGB ${describeValue(kept)}; it must be a number >= 0 and below its memGB ${mem}`, { gpu: j });
    }
    const name = (field: "id" | "node" | "zone"): string | undefined => {
      const v = gpu[field] ?? undefined;
      if (v !== undefined && typeof v !== "string") {
        throw new PlacementError("INVALID_GPU", `GPU ${j} has ${field} ${describeValue(v)}; it must be a string`, { gpu: j });
      }
      return v;
    };
    memGB[j] = mem;
    reserve[j] = kept;
    ids.push(name("id"));
    nodeOf.push(name("node"));
    zoneOf.push(name("zone"));
  }
  checkUniqueIds(ids, "GPU");
  return { memGB, reserve, ids, nodeOf, zoneOf };
}

/** A model's spread groups: a name, or a list of distinct names (none: undefined). */
function readGroups(i: number, id: unknown, value: unknown): string | readonly string[] | undefined {
  if (value === undefined || typeof value === "string") return value;
  if (!Array.isArray(value)) badModel(i, id, `group must be a string or a list of strings, got ${describeValue(value)}`);
  const list = value as unknown[];
  if (list.length > LIMITS.groupsPerModel) {
    throw new PlacementError("TOO_LARGE", `${modelLabel(i, id)} lists ${list.length} groups, more than the ${LIMITS.groupsPerModel} kvplace accepts`, {
      model: i,
    });
  }
  for (let t = 0; t < list.length; t++) {
    const name = list[t];
    if (typeof name !== "string") badModel(i, id, `group ${t} must be a string, got ${describeValue(name)}`);
    if (list.indexOf(name) !== t) badModel(i, id, `lists the group ${JSON.stringify(name)} twice`);
  }
  return list as string[];
}

/** Labels are formed only for a message: a solve that repeats builds none. */
function badModel(i: number, id: unknown, what: string): never {
  throw new PlacementError("INVALID_MODEL", `${modelLabel(i, id)}: ${what}`, { model: i });
}

/**
 * Checks a problem and turns it into flat arrays; throws a PlacementError naming what is wrong. With an `arena`
 * the arrays are carved from its buffer and live until the arena's next slab; without, from a buffer of their own.
 */
export function validateProblem(problem: Problem, arena?: Arena): Instance {
  if (!isRecord(problem)) throw new PlacementError("INVALID_PROBLEM", "the problem must be an object { gpus, models }");
  const slab = slabFor(problem, arena);
  const gpuList = readGpus(problem, slab);
  const { memGB, reserve } = gpuList;
  const g = memGB.length;
  const cap = slab.f64(g);
  for (let j = 0; j < g; j++) cap[j] = (memGB[j] as number) - (reserve[j] as number);
  const gpuIds = gpuList.ids.map((id, j) => id ?? `gpu${j}`);
  const spread = problem["spread"] ?? undefined;
  if (spread !== undefined && !isRecord(spread)) {
    throw new PlacementError("INVALID_PROBLEM", `spread must be an object of group name to "gpu", "node" or "zone", got ${describeValue(spread)}`);
  }
  const models = problem["models"];
  if (!Array.isArray(models)) throw new PlacementError("INVALID_PROBLEM", `models must be a list, got ${describeValue(models)}`);
  const n = models.length;
  checkSize(n, g);
  const scenarioList = problem["scenarios"] ?? undefined;
  const withScenarios = scenarioList !== undefined;
  const demand = slab.f64(n);
  const slos = slab.f64(n);
  const size = slab.f64(n);
  const moveCost = slab.f64(n);
  const floor = slab.f64(n);
  const pin = slab.i32(n).fill(-1);
  const current = slab.i32(n).fill(-1);
  const modelIds: (string | undefined)[] = [];
  const memberships = new MembershipBuilder(n, slab);
  let capMax = 0;
  for (const c of cap) capMax = Math.max(capMax, c);

  for (let i = 0; i < n; i++) {
    const m: unknown = models[i];
    if (!isRecord(m)) throw new PlacementError("INVALID_MODEL", `model ${i}: is not an object`, { model: i });
    const model = m as Record<string, unknown>;
    const { sizeGB, reqRate, slo } = model;
    const cost = model["moveCost"] ?? sizeGB;
    // JSON has no undefined: metrics pipelines send null for an absent optional field.
    const id = model["id"] ?? undefined;
    const pinnedGpu = model["pinnedGpu"] ?? undefined;
    const currentGpu = model["currentGpu"] ?? undefined;
    const colocate = model["colocate"] ?? undefined;
    const minKv = model["minKvGB"] ?? 0;
    if (!isFiniteNumber(sizeGB) || sizeGB < 0) badModel(i, id, `sizeGB must be a finite number >= 0, got ${describeValue(sizeGB)}`);
    if (!withScenarios && (!isFiniteNumber(reqRate) || reqRate < 0)) badModel(i, id, `reqRate must be a finite number >= 0, got ${describeValue(reqRate)}`);
    if (!isFiniteNumber(slo) || slo <= 0) badModel(i, id, `slo must be a finite number > 0, got ${describeValue(slo)}`);
    if (!isFiniteNumber(cost) || cost < 0) badModel(i, id, `moveCost must be a finite number >= 0, got ${describeValue(cost)}`);
    if (id !== undefined && typeof id !== "string") badModel(i, id, `id must be a string, got ${describeValue(id)}`);
    if (colocate !== undefined && typeof colocate !== "string") badModel(i, id, `colocate must be a string, got ${describeValue(colocate)}`);
    if (!isFiniteNumber(minKv) || minKv < 0) badModel(i, id, `minKvGB must be a finite number >= 0, got ${describeValue(minKv)}`);
    const groups = readGroups(i, id, model["group"] ?? undefined);
    if (pinnedGpu !== undefined && !gpuIndex(pinnedGpu, g)) {
      throw new PlacementError("PIN_OUT_OF_RANGE", `${modelLabel(i, id)} ${gpuField("pinnedGpu", pinnedGpu, g)}`, { model: i });
    }
    if (currentGpu !== undefined && !gpuIndex(currentGpu, g)) {
      throw new PlacementError("CURRENT_OUT_OF_RANGE", `${modelLabel(i, id)} ${gpuField("currentGpu", currentGpu, g)}`, { model: i });
    }
    const s = (sizeGB as number) + (minKv as number);
    const d = withScenarios ? 0 : (reqRate as number) / (slo as number);
    if (!Number.isFinite(d)) badModel(i, id, `reqRate / slo overflows (${String(reqRate)} / ${String(slo)})`);
    const room = pinnedGpu === undefined ? capMax : (cap[pinnedGpu as number] as number);
    if (s > room + MEM_EPS) {
      const where = pinnedGpu === undefined ? "the largest GPU" : `its pinned GPU ${String(pinnedGpu)}`;
      const floorSaid = minKv === 0 ? "" : ` (with its ${String(minKv)} GB KV floor)`;
      throw new PlacementError("MODEL_TOO_LARGE", `${modelLabel(i, id)} needs ${s} GB${floorSaid} but ${where} has ${room} GB`, { model: i });
    }
    demand[i] = d;
    slos[i] = slo as number;
    size[i] = sizeGB as number;
    floor[i] = minKv as number;
    moveCost[i] = cost as number;
    if (pinnedGpu !== undefined) pin[i] = pinnedGpu as number;
    if (currentGpu !== undefined) current[i] = currentGpu as number;
    memberships.add(groups, colocate as string | undefined);
    modelIds.push(id as string | undefined);
  }
  checkUniqueIds(modelIds, "model");
  const { ids: scenarioIds, demands } = withScenarios ? readScenarios(scenarioList, slos, modelIds, g) : { ids: ["default"], demands: [demand] };
  // A model with demand in any scenario needs KV cache: every check on demand below is on the peak.
  const peak = demands.length === 1 ? (demands[0] as Float64Array) : Float64Array.from(demands[0] as Float64Array);
  for (let k = 1; k < demands.length; k++) (demands[k] as Float64Array).forEach((d, i) => (peak[i] = Math.max(peak[i] as number, d)));
  for (let i = 0; i < n; i++) {
    const room = pin[i] === -1 ? capMax : (cap[pin[i] as number] as number);
    if ((peak[i] as number) > 0 && (size[i] as number) >= room - MEM_EPS) {
      throw new PlacementError("INFEASIBLE", `${modelLabel(i, modelIds[i])} has demand but would fill ${room} GB exactly, leaving no KV cache`, {
        model: i,
      });
    }
  }
  // Fields written out: an object spread here measured most of a small problem's validation.
  const { memberStart, memberGroup, groupLevel, groupNames, colocated } = memberships.build(spread);
  if (memberGroup.length > LIMITS.memberships) {
    throw new PlacementError(
      "TOO_LARGE",
      `the models have ${memberGroup.length} memberships of groups and colocated sets, more than the ${LIMITS.memberships} kvplace accepts`,
    );
  }
  const { node, zone, nodeNames, zoneNames } = readSites(gpuList.nodeOf, gpuList.zoneOf, gpuIds, slab);
  const inst: Instance = {
    n,
    g,
    demand: demands[0] as Float64Array,
    k: demands.length,
    demands,
    scenarioIds,
    size,
    moveCost,
    floor,
    memGB,
    reserve,
    cap,
    pin,
    current,
    gpuIds,
    modelIds,
    m: memberGroup.length,
    memberStart,
    memberGroup,
    groupLevel,
    groupNames,
    colocated,
    node,
    zone,
    nodeNames,
    zoneNames,
  };
  checkTopology(inst, (i) => modelLabel(i, modelIds[i]));
  checkMemory(size, floor, cap, pin, peak);
  return inst;
}

function checkMemory(size: Float64Array, floor: Float64Array, cap: Float64Array, pin: Int32Array, demand: Float64Array): void {
  let total = 0;
  let weights = 0;
  let pinned = false;
  for (let i = 0; i < size.length; i++) {
    weights += size[i] as number;
    total += (size[i] as number) + (floor[i] as number);
    pinned ||= (pin[i] as number) >= 0;
  }
  if (pinned) checkPinnedMemory(size, floor, cap, pin, demand);
  let capacity = 0;
  for (const c of cap) capacity += c;
  // Every sum the solver forms is a part of these two totals: while they stay
  // finite, no GPU's memory or demand can overflow into a false "full" or an
  // infinite lower bound (which would prove any placement optimal).
  if (!Number.isFinite(capacity)) {
    throw new PlacementError("TOO_LARGE", "the GPUs' memory adds up to more than a double can hold (about 1.8e308 GB)");
  }
  let totalDemand = 0;
  for (let i = 0; i < demand.length; i++) totalDemand += demand[i] as number;
  if (!Number.isFinite(totalDemand)) {
    throw new PlacementError("TOO_LARGE", "the models' demand (reqRate / slo) adds up to more than a double can hold (about 1.8e308)");
  }
  if (total > capacity + MEM_EPS) {
    const floors = total > weights ? " with their KV floors" : "";
    throw new PlacementError("MEMORY_EXCEEDED", `the models need ${total} GB${floors} but the GPUs have ${capacity} GB in all`);
  }
  if (weights >= capacity - MEM_EPS && demand.some((d) => d > 0)) {
    throw new PlacementError("INFEASIBLE", `the models fill all ${capacity} GB exactly, leaving no KV cache for their demand`);
  }
}

export type ResolvedOptions = {
  engine: "wasm" | "ts";
  timeLimitMs: number;
  exact: boolean | "auto";
  maxNodes: number;
  seed: number;
  maxMoves: number;
  maxMoveCost: number;
  /** Undefined when not given: any improvement is worth its moves, and the solution says nothing of it. */
  minGain: number | undefined;
  warmStart: boolean;
  /** Undefined when not given: no loss need be survived. */
  failover: "gpu" | "node" | undefined;
  failoverKvpr: number;
};

/** Every key of SolveOptions: any other key is a typo that would otherwise be ignored without a word. */
const OPTION_KEYS: readonly string[] = [
  "engine",
  "timeLimitMs",
  "exact",
  "maxNodes",
  "seed",
  "maxMoves",
  "maxMoveCost",
  "minGain",
  "warmStart",
  "failover",
  "failoverKvpr",
] satisfies (keyof SolveOptions)[];

/** Models pinned to one GPU fit it with their floors, with KV cache left when they carry demand. */
function checkPinnedMemory(size: Float64Array, floor: Float64Array, cap: Float64Array, pin: Int32Array, demand: Float64Array): void {
  const pinnedSize = new Float64Array(cap.length);
  const pinnedRoom = new Float64Array(cap.length);
  const pinnedDemand = new Float64Array(cap.length);
  for (let i = 0; i < size.length; i++) {
    const p = pin[i] as number;
    if (p < 0) continue;
    pinnedSize[p] = (pinnedSize[p] as number) + (size[i] as number);
    pinnedRoom[p] = (pinnedRoom[p] as number) + (size[i] as number) + (floor[i] as number);
    pinnedDemand[p] = (pinnedDemand[p] as number) + (demand[i] as number);
  }
  for (let j = 0; j < cap.length; j++) {
    const c = cap[j] as number;
    const used = pinnedRoom[j] as number;
    if (used > c + MEM_EPS) {
      throw new PlacementError("PIN_OVERFLOW", `models pinned to GPU ${j} need ${used} GB but it has ${c} GB`, { gpu: j });
    }
    if ((pinnedDemand[j] as number) > 0 && (pinnedSize[j] as number) >= c - MEM_EPS) {
      throw new PlacementError("INFEASIBLE", `models pinned to GPU ${j} fill it exactly while they have demand`, { gpu: j });
    }
  }
}

/** Checks options and fills in defaults. */
export function validateOptions(options: SolveOptions | undefined): ResolvedOptions {
  const o: Record<string, unknown> = options === undefined ? {} : (options as Record<string, unknown>);
  if (!isRecord(o)) throw new PlacementError("INVALID_OPTIONS", `options must be an object, got ${describeValue(o)}`);
  const bad = (what: string): never => {
    throw new PlacementError("INVALID_OPTIONS", what);
  };
  for (const key of Object.keys(o)) {
    if (OPTION_KEYS.includes(key)) continue;
    const meant = OPTION_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    bad(`unknown option ${JSON.stringify(key)}${meant === undefined ? `; the options are ${OPTION_KEYS.join(", ")}` : `; did you mean "${meant}"?`}`);
  }
  const engine = o["engine"] ?? "wasm";
  if (engine !== "wasm" && engine !== "ts") bad(`engine must be "wasm" or "ts", got ${describeValue(engine)}`);
  const timeLimitMs = o["timeLimitMs"] ?? 1000;
  if (typeof timeLimitMs !== "number" || !(timeLimitMs > 0)) bad(`timeLimitMs must be a positive number, got ${describeValue(timeLimitMs)}`);
  const exact = o["exact"] ?? "auto";
  if (exact !== true && exact !== false && exact !== "auto") bad(`exact must be true, false or "auto", got ${describeValue(exact)}`);
  const maxNodes = o["maxNodes"] ?? Infinity;
  if (typeof maxNodes !== "number" || !(maxNodes >= 1) || (Number.isFinite(maxNodes) && !Number.isInteger(maxNodes))) {
    bad(`maxNodes must be a whole number >= 1, got ${describeValue(maxNodes)}`);
  }
  const seed = o["seed"] ?? 1;
  if (!Number.isInteger(seed)) bad(`seed must be an integer, got ${describeValue(seed)}`);
  const maxMoves = o["maxMoves"] ?? Infinity;
  if (maxMoves !== Infinity && (!Number.isInteger(maxMoves) || (maxMoves as number) < 0)) {
    bad(`maxMoves must be a whole number >= 0, got ${describeValue(maxMoves)}`);
  }
  const maxMoveCost = o["maxMoveCost"] ?? Infinity;
  if (typeof maxMoveCost !== "number" || !(maxMoveCost >= 0)) bad(`maxMoveCost must be a number >= 0, got ${describeValue(maxMoveCost)}`);
  const minGain = o["minGain"] ?? undefined;
  if (minGain !== undefined && (typeof minGain !== "number" || !(minGain >= 0 && minGain < 1)))
    bad(`minGain must be a fraction >= 0 and < 1, got ${describeValue(minGain)}`);
  const warmStart = o["warmStart"] ?? false;
  if (typeof warmStart !== "boolean") bad(`warmStart must be true or false, got ${describeValue(warmStart)}`);
  const failover = o["failover"] ?? undefined;
  if (failover !== undefined && failover !== "gpu" && failover !== "node") bad(`failover must be "gpu" or "node", got ${describeValue(failover)}`);
  const failoverKvpr = o["failoverKvpr"] ?? Infinity;
  if (typeof failoverKvpr !== "number" || !(failoverKvpr > 0)) bad(`failoverKvpr must be a positive number, got ${describeValue(failoverKvpr)}`);
  if (failoverKvpr !== Infinity && failover === undefined) bad(`failoverKvpr caps the max KVPR after a loss: it needs failover "gpu" or "node"`);
  return {
    engine: engine as "wasm" | "ts",
    timeLimitMs: timeLimitMs as number,
    exact: exact as boolean | "auto",
    maxNodes: maxNodes as number,
    seed: seed as number,
    maxMoves: maxMoves as number,
    maxMoveCost: maxMoveCost as number,
    minGain: minGain as number | undefined,
    warmStart: warmStart as boolean,
    failover: failover as "gpu" | "node" | undefined,
    failoverKvpr: failoverKvpr as number,
  };
}
