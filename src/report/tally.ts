import type { Instance } from "../input/instance.js";
import { kvpr } from "../kvpr.js";
import type { GpuReport, ScenarioReport } from "../types.js";

export type Tally = { gpus: GpuReport[]; maxKvpr: number; bottleneck: number; scenarios: ScenarioReport[] };

/**
 * Recomputes every GPU's figures from an assignment, from scratch, in input
 * order: per scenario, and per GPU its worst scenario (the first of equal ones).
 */
export function tally(inst: Instance, assignment: ArrayLike<number>): Tally {
  const gpus: GpuReport[] = [];
  // Plain arrays: see Incumbent.assign.
  const used = new Array<number>(inst.g).fill(0);
  for (let j = 0; j < inst.g; j++) {
    gpus.push({
      index: j,
      id: inst.gpuIds[j] as string,
      node: inst.nodeNames[inst.node[j] as number] as string,
      zone: inst.zoneNames[inst.zone[j] as number] as string,
      memGB: inst.memGB[j] as number,
      reserveGB: inst.reserve[j] as number,
      usedGB: 0,
      demand: 0,
      kvpr: 0,
      models: [],
    });
  }
  for (let i = 0; i < inst.n; i++) {
    const j = assignment[i] as number;
    const gpu = gpus[j] as GpuReport;
    gpu.usedGB += inst.size[i] as number;
    gpu.models.push(i);
  }
  for (const gpu of gpus) used[gpu.index] = gpu.usedGB;
  const scenarios: ScenarioReport[] = inst.demands.map((demand, k) => {
    const load = new Array<number>(inst.g).fill(0);
    for (let i = 0; i < inst.n; i++) load[assignment[i] as number] = (load[assignment[i] as number] as number) + (demand[i] as number);
    const report: ScenarioReport = { id: inst.scenarioIds[k] as string, maxKvpr: 0, bottleneck: 0, kvpr: [] };
    for (const gpu of gpus) {
      const j = gpu.index;
      const value = kvpr(load[j] as number, (inst.cap[j] as number) - (used[j] as number));
      report.kvpr.push(value);
      if (value > report.maxKvpr) {
        report.maxKvpr = value;
        report.bottleneck = j;
      }
      if (k === 0 || value > gpu.kvpr) {
        gpu.kvpr = value;
        gpu.demand = load[j] as number;
      }
    }
    return report;
  });
  let maxKvpr = 0;
  let bottleneck = 0;
  for (const gpu of gpus) {
    if (gpu.kvpr > maxKvpr) {
      maxKvpr = gpu.kvpr;
      bottleneck = gpu.index;
    }
  }
  return { gpus, maxKvpr, bottleneck, scenarios };
}
