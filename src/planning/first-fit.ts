import type { Instance } from "../input/instance.js";
import type { PoolType } from "./gpu-types.js";

/** Room kept free on every GPU, relative, so that rounding never lifts a packed GPU's KVPR past the target. */
const MARGIN = 1e-9;

/** A pool and a placement on it that meets the target: GPUs bought per type, and per model its GPU in pool order. */
export type Packing = { bought: number[]; assignment: number[] };

type Bin = { type: number; load: number; groups: Set<number> };

/**
 * Pools packed by hand, one per way of choosing which type to open: models in
 * decreasing transformed weight (d + T·s) go to the open GPU they fill best
 * (the GPUs already there open from the start), else open a new GPU of the
 * preferred type, or of the cheapest per unit of T·C that fits; then each
 * bought GPU becomes the cheapest type that still holds what it got. Spread
 * groups are kept apart. A packing that needs more than the stock is dropped.
 */
export function firstFitPools(inst: Instance, types: readonly PoolType[], base: readonly number[], maxBuy: readonly number[], T: number): Packing[] {
  const order = Array.from({ length: inst.n }, (_, i) => i);
  const weight = order.map((i) => (inst.demand[i] as number) + T * (inst.size[i] as number));
  order.sort((a, b) => (weight[b] as number) - (weight[a] as number) || a - b);
  const room = types.map((t) => T * t.memGB * (1 - MARGIN));
  const byUnitPrice = types
    .map((_, j) => j)
    .sort((a, b) => (types[a] as PoolType).cost / (room[a] as number) - (types[b] as PoolType).cost / (room[b] as number));
  const packings: Packing[] = [];
  for (const preferred of [-1, ...types.map((_, j) => j)]) {
    const packing = pack(inst, types, base, maxBuy, order, weight, room, byUnitPrice, preferred);
    if (packing !== undefined) packings.push(packing);
  }
  return packings;
}

function pack(
  inst: Instance,
  types: readonly PoolType[],
  base: readonly number[],
  maxBuy: readonly number[],
  order: readonly number[],
  weight: readonly number[],
  room: readonly number[],
  byUnitPrice: readonly number[],
  preferred: number,
): Packing | undefined {
  const bins: Bin[] = [];
  base.forEach((count, j) => {
    for (let k = 0; k < count; k++) bins.push({ type: j, load: 0, groups: new Set() });
  });
  const owned = bins.length;
  const bought = types.map(() => 0);
  const where = new Array<number>(inst.n).fill(-1);
  for (const i of order) {
    const w = weight[i] as number;
    const groups = inst.memberGroup.subarray(inst.memberStart[i], inst.memberStart[i + 1]);
    let best = -1;
    let bestLeft = Infinity;
    bins.forEach((bin, b) => {
      const left = (room[bin.type] as number) - bin.load - w;
      if (left >= 0 && left < bestLeft && !groups.some((k) => bin.groups.has(k))) [best, bestLeft] = [b, left];
    });
    if (best < 0) {
      const fits = (j: number) => w <= (room[j] as number) && (bought[j] as number) < (maxBuy[j] as number);
      const type = preferred >= 0 && fits(preferred) ? preferred : byUnitPrice.find(fits);
      if (type === undefined) return undefined;
      bought[type] = (bought[type] as number) + 1;
      best = bins.push({ type, load: 0, groups: new Set() }) - 1;
    }
    const bin = bins[best] as Bin;
    bin.load += w;
    for (const k of groups) bin.groups.add(k);
    where[i] = best;
  }
  // A bought GPU becomes the cheapest type in stock that holds its load, fullest first.
  const left = [...maxBuy];
  const opened = bins.slice(owned).sort((a, b) => b.load - a.load);
  for (const bin of opened) {
    let type = -1;
    types.forEach((t, j) => {
      if ((room[j] as number) >= bin.load && (left[j] as number) > 0 && (type < 0 || t.cost < (types[type] as PoolType).cost)) type = j;
    });
    if (type < 0) return undefined;
    left[type] = (left[type] as number) - 1;
    bin.type = type;
  }
  // Pool order: each type's GPUs in a row, those already there first.
  const index = new Array<number>(bins.length);
  let next = 0;
  types.forEach((_, j) => {
    bins.forEach((bin, b) => {
      if (bin.type === j) index[b] = next++;
    });
  });
  return { bought: types.map((_, j) => (maxBuy[j] as number) - (left[j] as number)), assignment: where.map((b) => index[b] as number) };
}
