// The ADRS benchmark file shape and its reading into problems. No file access, so
// the planning page and the browser tests share it with `kvplace bench`.
import type { Problem } from "../types.js";

export type AdrsCase = { gpuNum: number; optimalMaxKvpr: number; models: { name: string; sizeGB: number; reqRate: number; slo: number }[] };
export type AdrsSuite = { gpuMemGB?: number; cases: AdrsCase[] };
export type BenchCase = { name: string; problem: Problem; optimum: number };

/** A suite file that is not in the ADRS shape; the message says where, the caller adds which file. */
export class InvalidSuiteError extends Error {
  override readonly name = "InvalidSuiteError";
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The cases of a suite, checked only for the shape the comparison relies on:
 * the solver validates ranges, but a missing optimum would silently count as
 * a case no algorithm reaches.
 */
export function casesOf(data: unknown): BenchCase[] {
  const bad = (what: string): never => {
    throw new InvalidSuiteError(what);
  };
  if (!isRecord(data) || !Array.isArray(data["cases"])) return bad("expected an object with a list of cases");
  const gpuMemGB = data["gpuMemGB"] ?? 80;
  if (typeof gpuMemGB !== "number") bad("gpuMemGB is not a number");
  const cases = data["cases"] as unknown[];
  if (cases.length === 0) bad("the list of cases is empty");
  return cases.map((c, k) => {
    if (!isRecord(c)) return bad(`case ${k} is not an object`);
    const { gpuNum, optimalMaxKvpr, models } = c;
    if (typeof gpuNum !== "number") bad(`case ${k}: gpuNum is not a number`);
    if (typeof optimalMaxKvpr !== "number" || !(optimalMaxKvpr > 0)) bad(`case ${k}: optimalMaxKvpr is not a positive number`);
    if (!Array.isArray(models)) return bad(`case ${k}: models is not a list`);
    return {
      name: `case ${k}`,
      optimum: optimalMaxKvpr as number,
      problem: {
        gpus: gpuNum as number,
        gpuMemGB: gpuMemGB as number,
        models: models.map((m: unknown, i) => {
          if (!isRecord(m)) return bad(`case ${k}: model ${i} is not an object`);
          const { name, sizeGB, reqRate, slo } = m;
          for (const [field, value] of [
            ["sizeGB", sizeGB],
            ["reqRate", reqRate],
            ["slo", slo],
          ] as const) {
            if (typeof value !== "number") bad(`case ${k}: model ${i} has ${field} ${JSON.stringify(value) ?? "missing"}, not a number`);
          }
          const model = { sizeGB: sizeGB as number, reqRate: reqRate as number, slo: slo as number };
          return name === undefined ? model : { id: String(name), ...model };
        }),
      },
    };
  });
}
