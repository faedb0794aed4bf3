import { PlacementError } from "../errors.js";
import type { Model } from "../types.js";

export type ReplicaSpec = { id: string; replicas: number };

/**
 * Splits hot models into replicas: each named model becomes `replicas` copies
 * (`id#0`, `id#1`, …) of the same size, each serving `reqRate / replicas`, in
 * one spread group (the model's own group, or its id) so they land on distinct
 * GPUs. Replicating trades memory for pressure: a copy's own pressure is
 * `d / (replicas · (C − s))`, so it pays when one model's demand is what pins
 * the maximum (its `d / (C − s)` is near the optimum), and costs when memory
 * is what is scarce, since every copy holds its weights again.
 */
export function expandReplicas(models: readonly Model[], specs: ReplicaSpec | readonly ReplicaSpec[]): Model[] {
  const list = Array.isArray(specs) ? specs : [specs as ReplicaSpec];
  const wanted = new Map<string, number>();
  for (const { id, replicas } of list) {
    if (!Number.isInteger(replicas) || replicas < 1) {
      throw new PlacementError("INVALID_MODEL", `replicas for "${id}" must be a whole number >= 1, got ${String(replicas)}`);
    }
    const i = models.findIndex((m) => m.id === id);
    if (i < 0) throw new PlacementError("INVALID_MODEL", `no model has the id "${id}"`);
    if (replicas > 1 && models[i]?.pinnedGpu !== undefined) {
      throw new PlacementError("GROUP_INFEASIBLE", `model "${id}" is pinned, so its replicas cannot spread`, { model: i });
    }
    wanted.set(id, replicas);
  }
  return models.flatMap((m) => {
    const replicas = m.id === undefined ? undefined : wanted.get(m.id);
    if (replicas === undefined || replicas === 1) return [m];
    return Array.from({ length: replicas }, (_, k) => {
      const { currentGpu, ...rest } = m;
      const copy: Model = { ...rest, id: `${m.id}#${k}`, reqRate: m.reqRate / replicas, group: m.group ?? (m.id as string) };
      if (k === 0 && currentGpu !== undefined) copy.currentGpu = currentGpu;
      return copy;
    });
  });
}
