// The 50 ADRS benchmark cases, bundled from bench/data, as examples to load.
import { casesOf, type AdrsSuite, type BenchCase } from "../dist/cli/adrs-suite.js";
import adrs50 from "../bench/data/adrs50.json" with { type: "json" };
import { formatKvpr } from "./format.js";

export const examples: readonly BenchCase[] = casesOf(adrs50 as AdrsSuite);

export function exampleLabel(c: BenchCase, k: number): string {
  return `ADRS ${k + 1}: ${String(c.problem.gpus)} GPUs, ${c.problem.models.length} models, optimum ${formatKvpr(c.optimum)}`;
}
