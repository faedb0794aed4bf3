// kvplace bench: the comparison table of `npm start`, on the bundled ADRS suite or a file of that shape.
import { fileURLToPath } from "node:url";
import { createSolver } from "../../index.js";
import { casesOf, InvalidSuiteError, type BenchCase } from "../adrs-suite.js";
import { parseCommandLine, whole } from "../args.js";
import { compareAlgorithms, DEFAULT_REPEATS, formatComparison } from "../compare.js";
import { InputError, UsageError } from "../failure.js";
import { displayName, parseJson, readText } from "../read-file.js";

export const BENCH_OPTIONS = {
  suite: { type: "string" },
  repeats: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Copied next to dist/cli at build time, so the installed package benchmarks without the repository. */
const BUNDLED = new Map([["adrs50", new URL("../../data/adrs50.json", import.meta.url)]]);

export async function benchCommand(args: readonly string[]): Promise<string> {
  const { positionals, values } = parseCommandLine(args, BENCH_OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] as string}": name a suite with --suite`);
  const repeats = whole(values, "repeats", 1) ?? DEFAULT_REPEATS;
  const suite = loadSuite(typeof values["suite"] === "string" ? values["suite"] : "adrs50");
  const comparison = compareAlgorithms(suite, await createSolver(), repeats);
  return values["json"] === true ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison);
}

function loadSuite(name: string): BenchCase[] {
  const bundled = BUNDLED.get(name);
  const file = bundled === undefined ? name : fileURLToPath(bundled);
  const data = parseJson(readText(file), file);
  try {
    return casesOf(data);
  } catch (e) {
    if (e instanceof InvalidSuiteError) throw new InputError(`${displayName(name)} is not an ADRS suite: ${e.message}`);
    throw e;
  }
}
