import type { Instance } from "../input/instance.js";
import { tally } from "../report/tally.js";
import { violations } from "../report/violations.js";
import type { GainCheck } from "../types.js";

/**
 * Max KVPRs this close, relatively, are the same: the kernels and the report
 * sum a GPU's models in different orders, so one placement may read a few
 * ulps apart, and no move is worth a gain of 1e-16.
 */
export const SAME_KVPR = 1e-12;

/** The placement to keep when moving gains too little: valid, within the budgets, with its max KVPR. */
export type Baseline = { assign: Int32Array; maxKvpr: number };

/**
 * The current placement as the solver loaded it (pins on their GPU, the models
 * that must part their group and the new ones placed), if it is a valid answer
 * within the budgets; undefined when there is none to keep.
 */
export function baselineOf(inst: Instance, assign: Int32Array, maxMoves: number, maxMoveCost: number): Baseline | undefined {
  if (assign.some((j) => j < 0) || violations(inst, assign, maxMoves, maxMoveCost).length > 0) return undefined;
  return { assign: assign.slice(), maxKvpr: tally(inst, assign).maxKvpr };
}

/**
 * Whether the best placement found is worth its moves: it must lower the
 * baseline's max KVPR, and by at least the share `minGain`. Without a
 * baseline there is nothing to keep, so the answer moves.
 */
export function checkGain(baseline: Baseline | undefined, bestMaxKvpr: number, minGain: number): GainCheck {
  if (baseline === undefined) return { minGain, moved: true, currentMaxKvpr: null, bestMaxKvpr, gain: null };
  const current = baseline.maxKvpr;
  const ratio = current > 0 ? 1 - bestMaxKvpr / current : 0;
  const gain = Math.abs(ratio) < SAME_KVPR ? 0 : ratio;
  const moved = gain > 0 && bestMaxKvpr <= current * (1 - minGain);
  return { minGain, moved, currentMaxKvpr: current, bestMaxKvpr, gain };
}
