import { PlacementError } from "../errors.js";

/** A kind of GPU a pool can have: its memory, its price per GPU (any unit), how many more can be had and how many are owned. */
export type GpuType = {
  name: string;
  memGB: number;
  /** Per GPU added to the pool, in any unit (per hour, say). Owned GPUs cost nothing. */
  cost: number;
  /** The most GPUs of this type that can be added. Default unlimited. */
  available?: number;
  /** GPUs of this type already there. Default 0. */
  owned?: number;
};

/** A GPU type as the planner works on it: every field present, `available` Infinity when unlimited. */
export type PoolType = { name: string; memGB: number; cost: number; available: number; owned: number };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks the list of GPU types: names unique and not empty, memory positive,
 * cost, stock and owned counts not negative, counts whole. Throws INVALID_GPU
 * (with `gpu` the type's index), DUPLICATE_ID, NO_GPUS or INVALID_PROBLEM.
 */
export function validateGpuTypes(gpuTypes: unknown): PoolType[] {
  if (!Array.isArray(gpuTypes)) throw new PlacementError("INVALID_PROBLEM", "gpuTypes must be a list of { name, memGB, cost, available?, owned? }");
  if (gpuTypes.length === 0) throw new PlacementError("NO_GPUS", "gpuTypes is empty: there is no GPU to plan a pool with");
  const seen = new Map<string, number>();
  const types: PoolType[] = [];
  // An index loop: forEach would skip the holes of a sparse list.
  for (let k = 0; k < gpuTypes.length; k++) {
    const t: unknown = gpuTypes[k];
    const bad = (what: string): never => {
      throw new PlacementError(
        "INVALID_GPU",
        `GPU type ${k}${isRecord(t) && typeof t["name"] === "string" ? ` (${JSON.stringify(t["name"])})` : ""}: ${what}`,
        { gpu: k },
      );
    };
    if (!isRecord(t)) bad("is not an object");
    const type = t as Record<string, unknown>;
    const { name, memGB, cost } = type;
    const [available, owned] = [type["available"], type["owned"]].map((v) => v ?? undefined);
    if (typeof name !== "string" || name === "") bad("name must be a non-empty string");
    if (typeof memGB !== "number" || !Number.isFinite(memGB) || memGB <= 0) bad(`memGB must be a positive number, got ${String(memGB)}`);
    if (typeof cost !== "number" || !Number.isFinite(cost) || cost < 0) bad(`cost must be a finite number >= 0, got ${String(cost)}`);
    for (const [field, value] of [
      ["available", available],
      ["owned", owned],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0)) bad(`${field} must be a whole number >= 0, got ${String(value)}`);
    }
    const first = seen.get(name as string);
    if (first !== undefined)
      throw new PlacementError("DUPLICATE_ID", `GPU type ${k} repeats the name ${JSON.stringify(name)} of GPU type ${first}`, { gpu: k });
    seen.set(name as string, k);
    types.push({
      name: name as string,
      memGB: memGB as number,
      cost: cost as number,
      available: (available as number | undefined) ?? Infinity,
      owned: (owned as number | undefined) ?? 0,
    });
  }
  return types;
}
