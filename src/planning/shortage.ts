// What planning a pool shares: a new pool's models, and the errors that say a pool is too small or a target out of reach.
import { PlacementError } from "../errors.js";
import { describeValue, modelLabel } from "../input/label.js";
import { kvpr } from "../kvpr.js";
import type { Model } from "../types.js";

/** A new pool: where models run now does not matter. */
export function freshModels(models: readonly Model[]): Model[] {
  // Anything but an object is left for the validation to name.
  return models.map((model) => {
    if (typeof model !== "object" || model === null) return model;
    const { currentGpu: _, ...m } = model;
    return m;
  });
}

/** Checks a planning target: a positive finite KVPR. */
export function checkTarget(targetKvpr: unknown): number {
  if (typeof targetKvpr !== "number" || !(targetKvpr > 0) || !Number.isFinite(targetKvpr)) {
    throw new PlacementError("INVALID_PROBLEM", `targetKvpr must be a positive number, got ${describeValue(targetKvpr)}`);
  }
  return targetKvpr;
}

/** Errors that only say "too few GPUs, or too small ones": a proof that this pool cannot hold the models. */
export function isShortage(e: unknown): boolean {
  return e instanceof PlacementError && (e.code === "INFEASIBLE" || e.code === "MEMORY_EXCEEDED" || e.code === "GROUP_INFEASIBLE");
}

/**
 * Names the model whose KVPR alone on a GPU of this size is highest (in its
 * busiest of the `demands` scenarios), when that is what rules the target out.
 */
export function unreachable(models: readonly Model[], demands: readonly Float64Array[], memGB: number, targetKvpr: number): PlacementError {
  let worst = -1;
  let worstKvpr = -Infinity;
  models.forEach((m, i) => {
    let peak = 0;
    for (const demand of demands) peak = Math.max(peak, demand[i] as number);
    const alone = kvpr(peak, memGB - m.sizeGB);
    if (alone > worstKvpr) [worst, worstKvpr] = [i, alone];
  });
  if (worst >= 0 && worstKvpr > targetKvpr) {
    const message = `${modelLabel(worst, models[worst]?.id)} has KVPR ${Number(worstKvpr.toPrecision(4))} alone on a GPU of ${memGB} GB, above the target ${targetKvpr}`;
    return new PlacementError("TARGET_UNREACHABLE", message, { model: worst });
  }
  return new PlacementError("TARGET_UNREACHABLE", `no number of ${memGB} GB GPUs brings the max KVPR to ${targetKvpr}`);
}
