/** A GPU of the pool. `memGB` is its total memory, weights and KV cache together. */
export type Gpu = { id?: string; memGB: number };

/**
 * A model to place. Its KV-cache demand is `reqRate / slo`.
 * `currentGpu` is where it runs now (for migration-aware planning); `pinnedGpu` forces its GPU;
 * models sharing a `group` go on distinct GPUs (tensor-parallel shards, replicas).
 */
export type Model = {
  id?: string;
  sizeGB: number;
  reqRate: number;
  slo: number;
  currentGpu?: number;
  pinnedGpu?: number;
  group?: string;
};

/**
 * `gpus` is a count of identical GPUs of `gpuMemGB` (default 80) or a list of GPUs.
 * kvplace never writes to a problem, so its lists may be readonly (`as const` works).
 */
export type Problem = { gpus: number | readonly Gpu[]; gpuMemGB?: number; models: readonly Model[] };

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
  /**
   * Start from the `currentGpu` placement and improve it, instead of constructing
   * anew: for re-solving a slightly changed problem. Implied by `maxMoves`.
   */
  warmStart?: boolean;
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
  memGB: number;
  usedGB: number;
  demand: number;
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
   * A T at which bin packing (weights d + T·s, capacities T·C) is proven impossible: within 1e-4 of the
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
  stats: SolveStats;
};

export type Evaluation = { feasible: boolean; maxKvpr: number; gpus: GpuReport[]; violations: string[] };
