/**
 * A GPU of the pool. `memGB` is its total memory, weights and KV cache together; `reserveGB` of it the
 * runtime keeps (usable for neither). `node` names the machine it sits in (a GPU without one is a node of
 * its own) and `zone` the failure domain of that node (a node without one is a zone of its own); every GPU
 * of a node must name the same zone.
 */
export type Gpu = { id?: string; memGB: number; node?: string; zone?: string; reserveGB?: number };

/** What a spread group keeps its members apart on: distinct GPUs, nodes or zones. */
export type SpreadLevel = "gpu" | "node" | "zone";

/**
 * A model to place. Its KV-cache demand is `reqRate / slo`; with `Problem.scenarios`
 * its demands are the scenarios' instead, and `reqRate` is not used (it may be left out).
 * `currentGpu` is where it runs now (for migration-aware planning); `pinnedGpu` forces its GPU;
 * models sharing a `group` go on distinct GPUs (or nodes, or zones: `Problem.spread`), and a model may
 * belong to several groups (a shard: its replica's tensor-parallel group and the model's replica group);
 * models sharing a `colocate` key go on GPUs of one node (tensor-parallel shards talk over NVLink).
 */
export type Model = {
  id?: string;
  sizeGB: number;
  reqRate?: number;
  slo: number;
  currentGpu?: number;
  pinnedGpu?: number;
  group?: string | readonly string[];
  colocate?: string;
  /**
   * A KV-cache floor in GB: the free memory of its GPU (after weights and `reserveGB`) must be at least the
   * sum of its models' floors, since a model with too little room for its cache fails in production.
   */
  minKvGB?: number;
  /** What moving it off its `currentGpu` costs, for `maxMoveCost` (default: its `sizeGB`, the weights to reload). */
  moveCost?: number;
};

/**
 * One forecast or recorded snapshot of the request rates: `reqRate` (and, if given,
 * `slo`) in the order of `Problem.models`, one entry per model. A model's demand in
 * the scenario is `reqRate[i] / (slo?.[i] ?? models[i].slo)`.
 */
export type Scenario = { id?: string; reqRate: readonly number[]; slo?: readonly number[] };

/**
 * `gpus` is a count of identical GPUs of `gpuMemGB` (default 80) or a list of GPUs.
 * With `scenarios`, the placement minimizes the worst max KVPR over all of them.
 * kvplace never writes to a problem, so its lists may be readonly (`as const` works).
 */
export type Problem = {
  gpus: number | readonly Gpu[];
  gpuMemGB?: number;
  models: readonly Model[];
  scenarios?: readonly Scenario[];
  /** Spread level per group name (default "gpu"). */
  spread?: Readonly<Record<string, SpreadLevel>>;
};

export type Engine = "wasm" | "ts";

export type SolveOptions = {
  /** Which engine runs the kernels; both return identical placements. Default "wasm". */
  engine?: Engine;
  /**
   * Wall-clock budget for improving the placement. Default 1000. A solve may return
   * later by the work it cannot interrupt — the first pack, one search step — which
   * README ("Time") bounds by the instance's size.
   */
  timeLimitMs?: number;
  /**
   * `true`: search until the optimum is proven or the time (or node) limit runs out.
   * `"auto"` (default): do so when the instance is small enough to hope for a proof.
   * `false`: the heuristic, which on such a small instance with at most three
   * models per GPU and no current placement first tries a search of at most
   * 256 nodes (a proof when it finishes).
   */
  exact?: boolean | "auto";
  /** Node limit of the exact search; with it, both engines return the same result. Default unlimited. */
  maxNodes?: number;
  /** Seed of the randomized improvement rounds. Default 1. */
  seed?: number;
  /** Largest number of models that may end on a GPU other than their `currentGpu`. */
  maxMoves?: number;
  /** Largest total `moveCost` of the models that end on a GPU other than their `currentGpu`; holds together with `maxMoves`. */
  maxMoveCost?: number;
  /**
   * A fraction in [0, 1): keep the current placement (the one that makes only the moves pins and
   * groups force) unless the answer lowers its max KVPR by at least this share. `Solution.gain` says which happened.
   */
  minGain?: number;
  /**
   * Start from the `currentGpu` placement and improve it, instead of constructing
   * anew: for re-solving a slightly changed problem. Implied by `maxMoves`.
   */
  warmStart?: boolean;
  /**
   * Ask for a placement that survives the loss of any one GPU ("gpu") or node ("node"): the lost models
   * can be re-placed on the survivors, everything else staying put, within memory and every constraint.
   * The max KVPR with no failure is minimized subject to that; `Solution.failover` reports each loss.
   */
  failover?: "gpu" | "node";
  /** With `failover`: the max KVPR after any single loss (and its re-placement) must stay at most this. */
  failoverKvpr?: number;
};

/** One model to move, in an order that keeps every GPU within memory when done step by step. */
export type Move = {
  model: number;
  from: number;
  to: number;
  /**
   * No order avoids a cycle here: unload the model from `from` at this step
   * and load it on `to` after the remaining steps (it needs a temporary slot).
   */
  staged?: true;
};

export type GpuReport = {
  index: number;
  id: string;
  /** Its node and zone: the given names, or its id when it has none. */
  node: string;
  zone: string;
  memGB: number;
  /** Memory the runtime keeps; KVPR is computed on `memGB − reserveGB`. */
  reserveGB: number;
  usedGB: number;
  /** Demand of its models (in the scenario of its worst KVPR, with scenarios). */
  demand: number;
  /** Its KVPR (the worst over the scenarios, with scenarios). */
  kvpr: number;
  /** Indices (input order) of the models on this GPU, ascending. */
  models: number[];
};

/** The lower bounds on the max KVPR a solve started from (the packing bound sharpened near its placement); `best` is the largest of them. */
export type LowerBounds = {
  /** Max over models of d / (C − s) on the largest GPU it may use, and the KVPR that pins alone force. */
  perModel: number;
  /** All demand over all memory left after all weights. */
  fluid: number;
  /**
   * A T at which bin packing (weights d + T·s, capacities T·C) is proven impossible: within 1e-3 of the
   * largest such T, or just below the placement's max KVPR when the same test proves that one optimal.
   */
  packing: number;
  best: number;
};

export type SolveStats = {
  engine: Engine;
  /** Wall-clock time of the solve. */
  ms: number;
  /** Nodes the exact search opened (0 when it did not run). */
  nodes: number;
  /** The exact search itself exhausted its tree. */
  proved: boolean;
  bounds: LowerBounds;
};

export type Solution = {
  /** GPU index per model, in input order. */
  assignment: number[];
  maxKvpr: number;
  /** A value no placement can go below. */
  lowerBound: number;
  /** `maxKvpr / lowerBound - 1` (0 when both are 0). */
  gap: number;
  /** True only when `maxKvpr` is proven minimal. */
  optimal: boolean;
  /** Index of a GPU whose KVPR equals `maxKvpr`. */
  bottleneck: number;
  gpus: GpuReport[];
  /** The models that leave their `currentGpu`, in an executable order. */
  moves: Move[];
  /** Total `moveCost` of those models. */
  moveCost: number;
  /** With `minGain`: whether the answer moves models or keeps the current placement, and why. */
  gainCheck?: GainCheck;
  /** Each scenario's figures, in `Problem.scenarios` order (one entry, id "default", without scenarios). */
  scenarios: ScenarioReport[];
  /** With `SolveOptions.failover`: one entry per GPU or node that may be lost. */
  failover?: FailoverLoss[];
  stats: SolveStats;
};

/**
 * One possible loss and the re-placement found for it: the lost GPU's or node's models moved to survivors,
 * everything else staying put, within memory and every constraint.
 */
export type FailoverLoss = {
  /** The lost GPU's id, or the lost node's name. */
  lost: string;
  /** Indices of the GPUs lost. */
  gpus: number[];
  /**
   * Whether a re-placement was found with every KVPR finite (and within `failoverKvpr`, when given). When no
   * room was found, `maxKvpr` is Infinity and `moves` lists the models that found some.
   */
  survives: boolean;
  /** Max KVPR over the survivors after the re-placement (worst over the scenarios, with scenarios). */
  maxKvpr: number;
  /** Where the lost models go. */
  moves: Move[];
};

/** The failover report of a placement: every loss of the level, and the worst. */
export type FailoverReport = {
  level: "gpu" | "node";
  losses: FailoverLoss[];
  /** Whether every loss has a re-placement (within `failoverKvpr`, when given). */
  survives: boolean;
  /** The largest `maxKvpr` over the losses (0 when nothing can be lost). */
  worstKvpr: number;
  /** Index in `losses` of the loss with the largest `maxKvpr`, -1 with no loss. */
  worst: number;
};

/** What `minGain` decided. */
export type GainCheck = {
  minGain: number;
  /** True: the best placement found gains at least `minGain` and is returned; false: the current placement is. */
  moved: boolean;
  /**
   * Max KVPR of the current placement (with only the moves pins and groups force, new models placed);
   * null when there is none to keep (no model has a `currentGpu`, or it breaks a budget or memory).
   */
  currentMaxKvpr: number | null;
  /** Max KVPR of the best placement found within the budgets, returned or not. */
  bestMaxKvpr: number;
  /** `1 − bestMaxKvpr / currentMaxKvpr`: the share the moves would lower the max KVPR by (null without a current placement). */
  gain: number | null;
};

/** A placement's figures in one demand scenario. */
export type ScenarioReport = {
  id: string;
  maxKvpr: number;
  /** Index of a GPU whose KVPR in this scenario equals `maxKvpr`. */
  bottleneck: number;
  /** KVPR per GPU in this scenario. */
  kvpr: number[];
};

export type Evaluation = {
  feasible: boolean;
  maxKvpr: number;
  gpus: GpuReport[];
  scenarios: ScenarioReport[];
  violations: string[];
  /** With the `failover` option: the failover report of the placement. */
  failover?: FailoverReport;
};

/** Options of `moveFrontier`: those of a solve, applied at every point, and what the budgets count. */
export type FrontierOptions = Omit<SolveOptions, "minGain"> & {
  /** "moves" (default): budgets are numbers of moved models (`maxMoves`); "cost": total `moveCost` (`maxMoveCost`). */
  by?: "moves" | "cost";
  /**
   * The budgets to solve at, in any order. Default: by moves, every whole number from the moves pins and
   * groups force up to the moves of the answer without that budget; by cost, 17 evenly spaced costs
   * from the forced cost up to that answer's cost.
   */
  budgets?: readonly number[];
};

/** The best placement found within one budget. */
export type FrontierPoint = {
  budget: number;
  maxKvpr: number;
  /** No placement within this budget goes below it: the problem's bound, or a proven optimum at a larger budget. */
  lowerBound: number;
  gap: number;
  /** True only when `maxKvpr` is proven minimal within this budget. */
  optimal: boolean;
  assignment: number[];
  moves: Move[];
  moveCost: number;
};

/** Max KVPR against the moves allowed, from the tightest budget to the loosest; never increasing. */
export type MoveFrontier = {
  by: "moves" | "cost";
  points: FrontierPoint[];
  /** With default budgets: the answer without the swept budget (other budgets given still hold), where the budgets end. */
  unbudgeted?: { maxKvpr: number; moves: number; moveCost: number };
  stats: { engine: Engine; ms: number };
};
