import { boundsProveAbove } from "../bounds/lower-bound.js";
import { PlacementError } from "../errors.js";
import { LEVEL_COLOCATE } from "../engine/ts/kernels/topology.js";
import { modelLabel } from "../input/label.js";
import type { Instance } from "../input/instance.js";
import { LIMITS, validateOptions, validateProblem } from "../input/validate.js";
import { kvpr } from "../kvpr.js";
import { tally } from "../report/tally.js";
import { searchesExactly } from "../solve.js";
import type { Gpu, Model, Problem, Scenario, Solution, SolveOptions } from "../types.js";
import { type Covers, coversAt, ScenarioCoverBound } from "./cost-bound.js";
import { CountSearch, purchaseCost, type Purchase } from "./count-search.js";
import { firstFitPools } from "./first-fit.js";
import { fragmentBound } from "./fragment-bound.js";
import { validateGpuTypes, type GpuType, type PoolType } from "./gpu-types.js";
import { checkTarget, freshModels, isShortage, unreachable } from "./shortage.js";

export type PoolRequest = {
  models: readonly Model[];
  /** The kinds of GPU the pool may have, with their prices, stock and the GPUs already owned. */
  gpuTypes: readonly GpuType[];
  /** The max KVPR to stay at or below. */
  targetKvpr: number;
  /** Demand scenarios, as in `Problem.scenarios`: the pool then meets the target in every one. */
  scenarios?: readonly Scenario[];
};

export type PoolPlan = {
  /** GPUs of each type in the pool, by type name, owned ones included. */
  counts: Record<string, number>;
  /** What the GPUs added to the pool cost. */
  cost: number;
  /** No pool that meets the target costs less (a proof, from the cover bounds and the pools ruled out). */
  lowerBound: number;
  /** The cost equals the lower bound. */
  optimal: boolean;
  /** The placement on the pool; GPU ids are the type name and a number, owned GPUs first: `H100-80#0`, … */
  solution: Solution;
};

type Solve = (problem: Problem, options?: SolveOptions) => Solution;

/** Checking a pool: a placement that meets the target, a proof that none does, or neither. */
type Outcome = { kind: "meets"; solution: Solution } | { kind: "proven" } | { kind: "unknown" };

/**
 * Margins on the covers' weights tried in turn for a first pool: packings seldom
 * reach the fluid limit, so a first pool a little above the bound is found in
 * a few solves; the first margin is none, the next this, then doubling.
 */
const FIRST_MARGIN = 0.01;
/** Halvings of the margin between the last pool that failed and the one that met the target. */
const MARGIN_HALVINGS = 3;
/** Each solve gets at most this share of the time limit, so one pool never takes it all. */
const SLICES = 8;
/** The README documents this start of a solve's INFEASIBLE message as a proof, not a search that ran out. */
const NO_PLACEMENT = "no placement exists";

/**
 * The cheapest pool of the given GPU types that keeps every KVPR at or below
 * the target. Bounds on the cost: the covers by size class and the
 * fragmentation bound. A first pool: packings by hand and the covers with a
 * margin, then shrunk a GPU at a time. Last, a best-first search over the
 * purchases cheaper than it, each pool checked by the solver, until one meets
 * the target, every one is ruled out, or time runs out.
 */
export function planPoolWith(solve: Solve, request: PoolRequest, options?: SolveOptions): PoolPlan {
  const start = performance.now();
  if (typeof request !== "object" || request === null)
    throw new PlacementError("INVALID_PROBLEM", "the request must be an object { models, gpuTypes, targetKvpr }");
  // null, as JSON sends an absent field, is no scenarios, as in a problem.
  const scenarios = request.scenarios ?? undefined;
  const opts = validateOptions(options);
  const target = checkTarget(request.targetKvpr);
  const types = validateGpuTypes(request.gpuTypes);
  const models = newPoolModels(request.models);
  const largest = Math.max(...types.map((t) => t.memGB));
  // The models checked on their own: any pool of these types offers at most this GPU to each.
  const gpus = Math.min(Math.max(1, models.length), LIMITS.gpus);
  const inst = validateProblem(scenarios === undefined ? { gpus, gpuMemGB: largest, models } : { gpus, gpuMemGB: largest, models, scenarios });
  // Bought GPUs have no nodes yet: a set that must share one has nowhere defined to go.
  const colocated = inst.groupLevel.indexOf(LEVEL_COLOCATE);
  if (colocated >= 0) {
    throw new PlacementError(
      "INVALID_PROBLEM",
      `planPool plans GPUs, not nodes: colocated set ${JSON.stringify(inst.groupNames[colocated])} cannot be planned`,
    );
  }
  // Each scenario's demands alone, and each model at its peak over them (a GPU holding the peaks holds every scenario).
  const views = inst.demands.map((demand) => ({ ...inst, demand }));
  const peak = { ...inst, demand: peakDemand(inst.demands) };
  if (worstAlone(peak, largest) > target) throw unreachable(models, inst.demands, largest, target);
  checkStock(peak, types, models, target);

  const covers = views.map((view) => coversAt(view, types, target));
  // More GPUs of a type than models that fit one alone (in some scenario) would stay empty (but a pool has one GPU); GPUs that cost nothing are all taken.
  const fits = types.map((_, j) => Math.max(...covers.map((c) => c.fits[j] as number)));
  const most = types.map((t, j) => Math.min(t.available, Math.max(0, Math.max(1, fits[j] as number) - t.owned)));
  const base = types.map((t, j) => t.owned + (t.cost === 0 ? (most[j] as number) : 0));
  const maxBuy = types.map((t, j) => (t.cost === 0 ? 0 : (most[j] as number)));
  if (!Number.isFinite(purchaseCost(types, maxBuy))) throw new PlacementError("TOO_LARGE", "the GPU types' costs add up to more than a double can hold");
  const bound = new ScenarioCoverBound(covers, types);
  if (bound.rest(base, maxBuy) === Infinity) throw stockTooSmall("the GPUs owned and available cannot hold the models' weights at this target");

  const budget = opts.timeLimitMs;
  const deadline = start + budget;
  const checker = new PoolChecker(solve, models, scenarios, options, opts.exact, types, base, bound, target, () =>
    Math.max(1, Math.min(deadline - performance.now(), budget / SLICES)),
  );
  const found = descend(checker, types, firstPool(checker, views, peak, types, base, maxBuy, target, deadline), deadline);
  // Every scenario must be met, so each scenario's fragmentation bound holds, and so does the largest.
  const stock = base.map((b, j) => b + (maxBuy[j] as number));
  const floor = Math.max(...views.map((view) => fragmentBound(view, types, base, stock, target)));
  const search = cheaper(checker, new CountSearch(types, covers, base, maxBuy, found.cost), floor, found, deadline, budget);
  const { best } = search;
  const lowerBound = Math.min(best.cost, Math.max(floor, search.lowerBound));
  const counts: Record<string, number> = {};
  types.forEach((t, j) => (counts[t.name] = (base[j] as number) + (best.bought[j] as number)));
  return { counts, cost: best.cost, lowerBound, optimal: lowerBound === best.cost, solution: ownedFirst(checker.pool(best.bought), best.solution) };
}

type Found = Purchase & { solution: Solution };

/** Models for a new pool: no GPU has a number yet, so pins are refused and `currentGpu` plays no part. */
function newPoolModels(models: unknown): Model[] {
  if (!Array.isArray(models)) throw new PlacementError("INVALID_PROBLEM", "models must be a list");
  (models as unknown[]).forEach((m, i) => {
    const pin = typeof m === "object" && m !== null ? (m as Model).pinnedGpu : undefined;
    if (pin !== undefined && pin !== null) {
      const message = `${modelLabel(i, (models as Model[])[i]?.id)} is pinned to GPU ${String(pin)}, but a pool being planned has no GPU numbers yet: leave pinnedGpu out`;
      throw new PlacementError("PIN_OUT_OF_RANGE", message, { model: i });
    }
  });
  return freshModels(models as Model[]);
}

/** Each model's largest demand over the scenarios. */
function peakDemand(demands: readonly Float64Array[]): Float64Array {
  const peak = Float64Array.from(demands[0] as Float64Array);
  for (const demand of demands) demand.forEach((d, i) => (peak[i] = Math.max(peak[i] as number, d)));
  return peak;
}

/** The worst KVPR of a model alone on a GPU of this size; `inst` holds each model's peak demand, so this is over every scenario. */
function worstAlone(inst: Instance, memGB: number): number {
  let worst = 0;
  for (let i = 0; i < inst.n; i++) worst = Math.max(worst, kvpr(inst.demand[i] as number, memGB - (inst.size[i] as number)));
  return worst;
}

/** A model that meets the target only on a type with nothing owned or available (`inst` holds each model's peak demand). */
function checkStock(inst: Instance, types: readonly PoolType[], models: readonly Model[], target: number): void {
  const inStock = types.filter((t) => t.owned + t.available > 0);
  if (inStock.length === 0) throw stockTooSmall("no GPU type has any GPU owned or available");
  const memGB = Math.max(...inStock.map((t) => t.memGB));
  for (let i = 0; i < inst.n; i++) {
    const alone = kvpr(inst.demand[i] as number, memGB - (inst.size[i] as number));
    if (alone > target) {
      const message = `${modelLabel(i, models[i]?.id)} has KVPR ${Number(alone.toPrecision(4))} alone on the largest GPU in stock (${memGB} GB), above the target ${target}`;
      throw new PlacementError("STOCK_TOO_SMALL", message, { model: i });
    }
  }
}

const stockTooSmall = (why: string) => new PlacementError("STOCK_TOO_SMALL", `no pool within the stock meets the target: ${why}`);

/**
 * A first pool that meets the target: the cheapest of the pools packed by
 * hand; then the cheapest purchase meeting the covers with a margin, if it
 * costs less, the margin doubled until one meets the target and narrowed
 * between the last that failed and the first that met; failing all, the whole stock.
 */
function firstPool(
  checker: PoolChecker,
  views: readonly Instance[],
  peak: Instance,
  types: readonly PoolType[],
  base: readonly number[],
  maxBuy: readonly number[],
  target: number,
  deadline: number,
): Found {
  let found: Found | undefined;
  const packed = firstFitPools(peak, types, base, maxBuy, target).map((p) => ({ ...p, cost: purchaseCost(types, p.bought) }));
  for (const packing of packed.sort((a, b) => a.cost - b.cost)) {
    const outcome = checker.check(packing.bought, packing.assignment);
    if (outcome.kind === "meets") {
      found = { bought: packing.bought, cost: packing.cost, solution: outcome.solution };
      break;
    }
  }
  const attempt = (margin: number, cutoff: number): Found | "none" | "failed" => {
    const inflated: Covers[] = views.map((view) => coversAt(view, types, target, 1 + margin));
    const search = new CountSearch(types, inflated, base, maxBuy, cutoff);
    for (let leaf = search.next(); leaf !== undefined; leaf = search.next()) {
      const outcome = checker.check(leaf.bought);
      if (outcome.kind === "meets") return { ...leaf, solution: outcome.solution };
      if (outcome.kind === "unknown") return "failed";
    }
    return "none";
  };
  let failed = -1;
  let met = -1;
  for (let margin = 0; found === undefined || performance.now() < deadline; margin = margin === 0 ? FIRST_MARGIN : 2 * margin) {
    const result = attempt(margin, found?.cost ?? Infinity);
    if (result === "none") break;
    if (result === "failed") {
      failed = margin;
      continue;
    }
    found = result;
    met = margin;
    break;
  }
  if (found === undefined) {
    const all = [...maxBuy];
    if ((checker.pool(all).gpus as Gpu[]).length > LIMITS.gpus)
      throw new PlacementError("TOO_LARGE", `no pool of at most ${LIMITS.gpus} GPUs was found that meets the target ${target}`);
    const outcome = checker.check(all);
    if (outcome.kind === "proven") throw stockTooSmall("every GPU owned and available together cannot meet it (proved)");
    if (outcome.kind === "unknown")
      throw new PlacementError(
        "INFEASIBLE",
        `no placement on all the GPUs owned and available was found within the time and node limits that meets the target ${target}`,
      );
    return { bought: all, cost: purchaseCost(types, all), solution: outcome.solution };
  }
  let [lo, hi] = [failed, met];
  for (let k = 0; k < MARGIN_HALVINGS && failed >= 0 && met > 0 && performance.now() < deadline; k++) {
    const mid = 0.5 * (lo + hi);
    const result = attempt(mid, found.cost);
    if (typeof result === "object") found = result;
    if (result === "failed") lo = mid;
    else hi = mid;
  }
  return found;
}

/**
 * Improves a pool that meets the target one GPU at a time: drop a bought GPU,
 * dearest type first, or trade it for one of a cheaper type, and keep the
 * change when the smaller pool still meets the target; until no change does
 * or time runs out. Packings by hand and margins overshoot by a GPU or two.
 */
function descend(checker: PoolChecker, types: readonly PoolType[], found: Found, deadline: number): Found {
  const byCost = types.map((_, j) => j).sort((a, b) => (types[b] as PoolType).cost - (types[a] as PoolType).cost);
  let best = found;
  const tryPool = (bought: number[]): boolean => {
    const cost = purchaseCost(types, bought);
    if (cost >= best.cost) return false;
    const outcome = checker.check(bought);
    if (outcome.kind !== "meets") return false;
    best = { bought, cost, solution: outcome.solution };
    return true;
  };
  for (let improved = true; improved && performance.now() < deadline; ) {
    improved = false;
    for (const j of byCost) {
      if ((best.bought[j] as number) === 0) continue;
      const fewer = best.bought.map((b, k) => (k === j ? b - 1 : b));
      improved =
        tryPool(fewer) || byCost.some((k) => (types[k] as PoolType).cost < (types[j] as PoolType).cost && tryPool(fewer.map((b, m) => (m === k ? b + 1 : b))));
      if (improved || performance.now() >= deadline) break;
    }
  }
  return best;
}

/**
 * Purchases cheaper than the pool found, cheapest first: one the bounds or the
 * solver prove unable to meet the target is passed, the first that meets it
 * is the answer. The lower bound is the cost of the first purchase not ruled
 * out — the pool's own cost when every cheaper one was.
 */
function cheaper(
  checker: PoolChecker,
  search: CountSearch,
  floor: number,
  found: Found,
  deadline: number,
  budget: number,
): { lowerBound: number; best: Found } {
  let lowerBound: number | undefined;
  // The first purchase not ruled out is the bound, so it is looked for a while past the time limit.
  for (let leaf = search.next(deadline + budget); ; leaf = search.next(lowerBound === undefined ? deadline + budget : deadline)) {
    if (leaf === undefined) return { lowerBound: lowerBound ?? (search.incomplete ? search.floor() : found.cost), best: found };
    if (performance.now() > deadline) return { lowerBound: lowerBound ?? leaf.cost, best: found };
    // Below the fragmentation bound no pool meets the target: the first purchase above it rounds that bound up.
    if (leaf.cost < floor) continue;
    const outcome = checker.check(leaf.bought);
    if (outcome.kind === "proven") continue;
    lowerBound ??= leaf.cost;
    if (outcome.kind === "meets") return { lowerBound, best: { ...leaf, solution: outcome.solution } };
  }
}

/**
 * Checks pools for the target, remembering every answer. A pool inside one
 * proven unable is unable too (a placement on it is one on the larger pool);
 * a pool inside one the solver failed on is not tried again (no proof: it is
 * merely hopeless enough to skip).
 */
class PoolChecker {
  private readonly proven: number[][] = [];
  private readonly failed: number[][] = [];
  private readonly seen = new Map<string, Outcome>();

  constructor(
    private readonly solve: Solve,
    private readonly models: Model[],
    private readonly scenarios: readonly Scenario[] | undefined,
    private readonly options: SolveOptions | undefined,
    private readonly exact: boolean | "auto",
    private readonly types: readonly PoolType[],
    private readonly base: readonly number[],
    private readonly bound: ScenarioCoverBound,
    private readonly target: number,
    private readonly slice: () => number,
  ) {}

  /** The pool with these purchases: each type's GPUs in a row, named `<type>#<k>`, owned ones first. */
  pool(bought: readonly number[]): Problem {
    const gpus: Gpu[] = [];
    this.types.forEach((t, j) => {
      const count = (this.base[j] as number) + (bought[j] as number);
      for (let k = 0; k < count; k++) gpus.push({ id: `${t.name}#${k}`, memGB: t.memGB });
    });
    return this.scenarios === undefined ? { gpus, models: this.models } : { gpus, models: this.models, scenarios: this.scenarios };
  }

  /**
   * Whether the pool with these purchases meets the target. `placement`, a
   * placement on that pool known to meet it (GPU per model, pool order), is
   * where the solver starts when it finds none on its own.
   */
  check(bought: readonly number[], placement?: readonly number[]): Outcome {
    const key = bought.join(",");
    const known = this.seen.get(key);
    // A pool past the solver's limit cannot be checked; a smaller one may still do.
    const size = this.base.reduce((sum, b, j) => sum + b + (bought[j] as number), 0);
    if (size > LIMITS.gpus) return { kind: "unknown" };
    let outcome = known ?? this.decide(bought);
    if (outcome.kind === "unknown" && placement !== undefined) outcome = this.fromPlacement(bought, placement);
    if (outcome === known) return known;
    this.seen.set(key, outcome);
    if (outcome.kind === "proven") this.proven.push([...bought]);
    if (outcome.kind === "unknown" && known === undefined) this.failed.push([...bought]);
    return outcome;
  }

  private decide(bought: readonly number[]): Outcome {
    const within = (other: readonly number[]) => bought.every((b, j) => b <= (other[j] as number));
    if (this.proven.some(within)) return { kind: "proven" };
    if (this.failed.some(within)) return { kind: "unknown" };
    if (
      this.bound.rest(
        this.base.map((b, j) => b + (bought[j] as number)),
        this.base.map(() => 0),
      ) === Infinity
    )
      return { kind: "proven" };
    const problem = this.pool(bought);
    try {
      if (boundsProveAbove(problem, this.target)) return { kind: "proven" };
    } catch (e) {
      // Every rejection of a pool of valid models is a proof that it is too small.
      if (isShortage(e) || (e instanceof PlacementError && e.code === "MODEL_TOO_LARGE")) return { kind: "proven" };
      throw e;
    }
    const quick = this.attempt(problem, false);
    const g = problem.gpus as Gpu[];
    if (quick.kind !== "unknown" || !searchesExactly(this.exact, problem.models.length, g.length)) return quick;
    return this.attempt(problem, this.exact);
  }

  /** A solve that improves the given placement (a new pool: nothing moves, so no moves are reported). */
  private fromPlacement(bought: readonly number[], placement: readonly number[]): Outcome {
    const pool = this.pool(bought);
    const problem = { ...pool, models: pool.models.map((m, i) => ({ ...m, currentGpu: placement[i] as number })) };
    const outcome = this.attempt(problem, false, { warmStart: true, maxMoves: Infinity });
    return outcome.kind === "meets" ? { kind: "meets", solution: { ...outcome.solution, moves: [] } } : outcome;
  }

  private attempt(problem: Problem, exact: boolean | "auto", extra: SolveOptions = {}): Outcome {
    try {
      const solution = this.solve(problem, { ...this.options, ...extra, exact, timeLimitMs: this.slice() });
      if (solution.maxKvpr <= this.target) return { kind: "meets", solution };
      return solution.lowerBound > this.target ? { kind: "proven" } : { kind: "unknown" };
    } catch (e) {
      if (e instanceof PlacementError && e.code === "INFEASIBLE") return e.message.startsWith(NO_PLACEMENT) ? { kind: "proven" } : { kind: "unknown" };
      throw e;
    }
  }
}

/**
 * GPUs of one type are alike, so the placement is renamed within each type to
 * put the GPUs that carry models first: owned GPUs are used before bought ones.
 */
function ownedFirst(problem: Problem, solution: Solution): Solution {
  const gpus = problem.gpus as Gpu[];
  const rename = gpus.map((_, j) => j);
  for (let first = 0; first < gpus.length; ) {
    const type = typeOf(gpus[first] as Gpu);
    let end = first;
    while (end < gpus.length && typeOf(gpus[end] as Gpu) === type) end++;
    const used: number[] = [];
    const empty: number[] = [];
    for (let j = first; j < end; j++) ((solution.gpus[j]?.models.length ?? 0) > 0 ? used : empty).push(j);
    [...used, ...empty].forEach((j, k) => (rename[j] = first + k));
    first = end;
  }
  if (rename.every((to, j) => to === j)) return solution;
  const assignment = solution.assignment.map((j) => rename[j] as number);
  const { gpus: reports, maxKvpr, bottleneck, scenarios } = tally(validateProblem(problem), assignment);
  return { ...solution, assignment, gpus: reports, maxKvpr, bottleneck, scenarios };
}

const typeOf = (gpu: Gpu) => (gpu.id as string).slice(0, (gpu.id as string).lastIndexOf("#"));
