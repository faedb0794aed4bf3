import type { Instance } from "../input/instance.js";
import { kvpr, MEM_EPS } from "../kvpr.js";
import type { GpuReport } from "../types.js";

export type Tally = { gpus: GpuReport[]; maxKvpr: number; bottleneck: number; violations: string[] };

/** Recomputes every GPU's figures from an assignment, from scratch, in input order. */
export function tally(inst: Instance, assignment: ArrayLike<number>): Tally {
  const gpus: GpuReport[] = [];
  for (let j = 0; j < inst.g; j++) {
    gpus.push({ index: j, id: inst.gpuIds[j] as string, memGB: inst.cap[j] as number, usedGB: 0, demand: 0, kvpr: 0, models: [] });
  }
  const violations: string[] = [];
  for (let i = 0; i < inst.n; i++) {
    const j = assignment[i] as number;
    const gpu = gpus[j] as GpuReport;
    gpu.usedGB += inst.size[i] as number;
    gpu.demand += inst.demand[i] as number;
    gpu.models.push(i);
    const pin = inst.pin[i] as number;
    if (pin >= 0 && pin !== j) violations.push(`model ${i} is pinned to GPU ${pin} but placed on GPU ${j}`);
  }
  let maxKvpr = 0;
  let bottleneck = 0;
  for (const gpu of gpus) {
    gpu.kvpr = kvpr(gpu.demand, gpu.memGB - gpu.usedGB);
    if (gpu.usedGB > gpu.memGB + MEM_EPS) violations.push(`GPU ${gpu.index} holds ${gpu.usedGB} GB but has ${gpu.memGB} GB`);
    else if (gpu.kvpr === Infinity) violations.push(`GPU ${gpu.index} is full while it carries demand (infinite KVPR)`);
    if (gpu.kvpr > maxKvpr) {
      maxKvpr = gpu.kvpr;
      bottleneck = gpu.index;
    }
  }
  return { gpus, maxKvpr, bottleneck, violations };
}
