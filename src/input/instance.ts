/** A validated problem as flat arrays: what the engines and bounds work on. */
export type Instance = {
  /** Models. */
  n: number;
  /** GPUs. */
  g: number;
  demand: Float64Array;
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
