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
 *
 * Two specs for one id, or a copy's id that another model already has, is a
 * PlacementError "DUPLICATE_ID" naming the id: either would leave the result
 * other than what was asked.
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
    if (wanted.has(id)) throw new PlacementError("DUPLICATE_ID", `two replica specs name the model "${id}": give one`, { model: i });
    if (replicas > 1 && models[i]?.pinnedGpu !== undefined) {
      throw new PlacementError("GROUP_INFEASIBLE", `model "${id}" is pinned, so its replicas cannot spread`, { model: i });
    }
    wanted.set(id, replicas);
  }
  const copied = (m: Model): boolean => m.id !== undefined && (wanted.get(m.id) ?? 1) > 1;
  // The ids that stay as they are, with their index. Copies cannot collide among themselves: "a#0" copies to "a#0#k".
  const taken = new Map<string, number>();
  models.forEach((m, i) => m.id !== undefined && !copied(m) && taken.set(m.id, i));
  return models.flatMap((m) => {
    if (!copied(m)) return [m];
    const replicas = wanted.get(m.id as string) as number;
    return Array.from({ length: replicas }, (_, k) => {
      const { currentGpu, ...rest } = m;
      const id = `${m.id as string}#${k}`;
      const holder = taken.get(id);
      if (holder !== undefined) {
        throw new PlacementError("DUPLICATE_ID", `replicating "${m.id as string}" makes the id "${id}", which model ${holder} already has`, { model: holder });
      }
      const copy: Model = { ...rest, id, group: m.group ?? (m.id as string) };
      if (m.reqRate !== undefined) copy.reqRate = m.reqRate / replicas;
      if (k === 0 && currentGpu !== undefined) copy.currentGpu = currentGpu;
      return copy;
    });
  });
}
