// The ADRS file shape and its reading into problems: no file access, so pages and browser tests share it.
import type { Problem } from "../dist/index.js";

export type AdrsCase = { gpuNum: number; optimalMaxKvpr: number; models: { name: string; sizeGB: number; reqRate: number; slo: number }[] };
export type AdrsSuite = { gpuMemGB?: number; cases: AdrsCase[] };
export type BenchCase = { name: string; problem: Problem; optimum: number };

export function casesOf(data: AdrsSuite): BenchCase[] {
  return data.cases.map((c, k) => ({
    name: `case ${k}`,
    optimum: c.optimalMaxKvpr,
    problem: {
      gpus: c.gpuNum,
      gpuMemGB: data.gpuMemGB ?? 80,
      models: c.models.map((m) => ({ id: m.name, sizeGB: m.sizeGB, reqRate: m.reqRate, slo: m.slo })),
    },
  }));
}
