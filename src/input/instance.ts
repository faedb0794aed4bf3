/** A validated problem as flat arrays: what the engines and bounds work on. */
export type Instance = {
  /** Models. */
  n: number;
  /** GPUs. */
  g: number;
  /** Demand per model in scenario 0 (the only one without scenarios); `demands[0]` is this array. */
  demand: Float64Array;
  /** Demand scenarios (1 without `Problem.scenarios`). */
  k: number;
  /** Demand per model, per scenario. */
  demands: Float64Array[];
  /** Scenario ids (given, or `scenario<k>`); `["default"]` without scenarios. */
  scenarioIds: string[];
  size: Float64Array;
  /** What it costs to move each model off its current GPU (its size unless given). */
  moveCost: Float64Array;
  cap: Float64Array;
  /** Pinned GPU per model, or -1. */
  pin: Int32Array;
  /** Current GPU per model, or -1. */
  current: Int32Array;
  /** Spread group per model (models of one group go on distinct GPUs), or -1. */
  group: Int32Array;
  gpuIds: string[];
  /** Model ids as given (undefined where none), for messages. */
  modelIds: (string | undefined)[];
  /** Spread group names, by group index. */
  groupNames: string[];
};
