// The per-kernel tasks of npm run bench on one engine and one instance, shared
// with the Chromium half of npm run bench:throughput, which times them in a
// page (bench/throughput-page.ts): no node: modules.
import type { Kernels } from "../dist/engine/kernels.js";
import { loadInstance } from "../dist/engine/workspace.js";
import { validateProblem } from "../dist/input/validate.js";
import { lowerBound, type Problem } from "../dist/index.js";

export type KernelTask = { task: string; run: () => void };

/**
 * Sort, pack and local search on engine `k`'s workspace, loaded with `problem`;
 * with `optimum` (the solver's proven max KVPR), also the exact search proving it.
 */
export function kernelTasks(k: Kernels, problem: Problem, optimum?: number): KernelTask[] {
  const inst = validateProblem(problem);
  const lb = lowerBound(problem);
  const ws = k.workspace(inst.n, inst.g);
  loadInstance(ws, inst);
  const keys = Float64Array.from(inst.demand, (d, i) => d + lb * (inst.size[i] as number));
  k.pack(lb * 1.01, 0, 1);
  const packed = ws.assign.slice();
  const tasks: KernelTask[] = [
    {
      task: "sort by transformed weight",
      run: () => {
        ws.key.set(keys);
        for (let i = 0; i < inst.n; i++) ws.order[i] = i;
        k.sortByKey(inst.n);
      },
    },
    { task: "pack (weight, min-max) at 1.01·LB", run: () => void k.pack(lb * 1.01, 0, 1) },
    {
      task: "rebuild + local search from that pack",
      run: () => {
        ws.assign.set(packed);
        k.rebuild();
        k.improve(1 << 30, Infinity, Infinity);
      },
    },
  ];
  if (optimum !== undefined)
    tasks.push({
      task: "exact search proving the optimum",
      run: () => {
        k.exactStart(optimum, Infinity, Infinity);
        k.exactRun(Infinity);
      },
    });
  return tasks;
}

/** A duration in milliseconds as the tables print it: ms, µs or ns. */
export const formatTime = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : ms >= 0.001 ? `${(ms * 1000).toFixed(2)} µs` : `${(ms * 1e6).toFixed(0)} ns`);
