import type { Instance } from "../input/instance.js";
import { kvpr } from "../kvpr.js";
import type { GpuReport } from "../types.js";

export type Tally = { gpus: GpuReport[]; maxKvpr: number; bottleneck: number };

/** Recomputes every GPU's figures from an assignment, from scratch, in input order. */
export function tally(inst: Instance, assignment: ArrayLike<number>): Tally {
  const gpus: GpuReport[] = [];
  for (let j = 0; j < inst.g; j++) {
    gpus.push({ index: j, id: inst.gpuIds[j] as string, memGB: inst.cap[j] as number, usedGB: 0, demand: 0, kvpr: 0, models: [] });
  }
  for (let i = 0; i < inst.n; i++) {
    const j = assignment[i] as number;
    const gpu = gpus[j] as GpuReport;
    gpu.usedGB += inst.size[i] as number;
    gpu.demand += inst.demand[i] as number;
    gpu.models.push(i);
  }
  let maxKvpr = 0;
  let bottleneck = 0;
  for (const gpu of gpus) {
    gpu.kvpr = kvpr(gpu.demand, gpu.memGB - gpu.usedGB);
    if (gpu.kvpr > maxKvpr) {
      maxKvpr = gpu.kvpr;
      bottleneck = gpu.index;
    }
  }
  return { gpus, maxKvpr, bottleneck };
}
