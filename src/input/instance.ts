import type { Memberships, Sites } from "./topology.js";

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
  /** KV-cache floor per model (GB its GPU must keep free for it; 0 unless given). */
  floor: Float64Array;
  /** Per GPU: its memory, what the runtime keeps of it, and what is left for models (`memGB − reserve`). */
  memGB: Float64Array;
  reserve: Float64Array;
  cap: Float64Array;
  /** Pinned GPU per model, or -1. */
  pin: Int32Array;
  /** Current GPU per model, or -1. */
  current: Int32Array;
  /** GPU ids (given, or `gpu<j>`). */
  gpuIds: string[];
  /** Model ids as given (undefined where none), for messages. */
  modelIds: (string | undefined)[];
  /** Membership entries: spread groups and colocated sets over all models. */
  m: number;
} & Memberships &
  Sites;

/** Whether any model runs on a GPU now (has a current GPU): a loop, since `some` with a callback measured ~0.2 µs a call. */
export function anyRunning(inst: Instance): boolean {
  for (let i = 0; i < inst.n; i++) if ((inst.current[i] as number) >= 0) return true;
  return false;
}
