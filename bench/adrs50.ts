// The bundled ADRS benchmark: 50 cases with proven optimal max KVPR.
import { readFileSync } from "node:fs";
import type { Problem } from "../dist/index.js";

type AdrsCase = { gpuNum: number; optimalMaxKvpr: number; models: { name: string; sizeGB: number; reqRate: number; slo: number }[] };
export type BenchCase = { name: string; problem: Problem; optimum: number };

/** Reads a suite in the ADRS file shape, such as bench/data/adrs50.json. */
export function loadSuite(path: string | URL): BenchCase[] {
  const data = JSON.parse(readFileSync(path, "utf8")) as { gpuMemGB?: number; cases: AdrsCase[] };
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
