// The bundled ADRS benchmark: 50 cases with proven optimal max KVPR.
import { readFileSync } from "node:fs";
import { casesOf, type BenchCase } from "../dist/cli/adrs-suite.js";

export type { BenchCase } from "../dist/cli/adrs-suite.js";

/** Reads a suite in the ADRS file shape, such as bench/data/adrs50.json. */
export function loadSuite(path: string | URL): BenchCase[] {
  return casesOf(JSON.parse(readFileSync(path, "utf8")));
}
