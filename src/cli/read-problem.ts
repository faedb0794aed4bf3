// The problem file of `kvplace solve` and `kvplace plan`: JSON or CSV, told apart by content.
import { extname } from "node:path";
import { PlacementError } from "../errors.js";
import { parseGpusCsv, parseProblemCsv } from "../io/csv.js";
import { parseGpuList } from "../io/gpu-list.js";
import type { Gpu, Model, Problem, Scenario, SpreadLevel } from "../types.js";
import { DECIMAL, positive, type Values } from "./args.js";
import { InputError, printWarning, UsageError } from "./failure.js";
import { displayName, parseJson, readText } from "./read-file.js";

/** What a file says: its models, perhaps demand scenarios and, in JSON, perhaps its GPUs; the solver checks the values. */
export type Input = {
  file: string;
  format: "json" | "csv";
  models: readonly Model[];
  scenarios?: readonly Scenario[];
  gpus?: number | readonly Gpu[];
  gpuMemGB?: number;
  spread?: Problem["spread"];
};

/** The GPUs and spread levels given on the command line, which win over the file's. */
export type GpuOverrides = { gpus?: number | Gpu[] | undefined; gpuMemGB?: number | undefined; spread?: Record<string, SpreadLevel> | undefined };

/**
 * `--gpus` and `--gpu-mem`, or `--gpus-file`, and `--spread`. A bare number is
 * how many GPUs, anything else a list in the page's syntax, such as
 * 80,80,2x40,a10:24 (1x80 is one GPU of 80 GB), which `--gpu-mem` may not
 * resize: it already says what each GPU holds, as a GPU file does.
 */
export function gpuOverrides(values: Values): GpuOverrides {
  const { gpus: gpusText, "gpus-file": gpusFile } = values;
  const gpuMemGB = positive(values, "gpu-mem");
  if (typeof gpusFile === "string" && gpusText !== undefined) throw new UsageError("give --gpus or --gpus-file, not both");
  const gpus = typeof gpusFile === "string" ? readGpusFile(gpusFile) : gpusOption(gpusText);
  if (Array.isArray(gpus) && gpuMemGB !== undefined) {
    const where = typeof gpusFile === "string" ? "the GPU file" : "the list given to --gpus";
    throw new UsageError(`--gpu-mem sizes GPUs given by count; ${where} already has their sizes`);
  }
  return { gpus, gpuMemGB, spread: spreadOption(values["spread"]) };
}

/** `--gpus-file`: the pool as CSV `id,memGB,node,zone,reserveGB`, errors naming the file and the line. */
function readGpusFile(file: string): Gpu[] {
  try {
    return parseGpusCsv(readText(file), { onWarning: (message) => printWarning(`${displayName(file)}: ${message}`) });
  } catch (e) {
    if (e instanceof PlacementError) throw new InputError(`${displayName(file)}: ${e.message}`);
    throw e;
  }
}

const SPREAD_LEVELS: readonly SpreadLevel[] = ["gpu", "node", "zone"];

/**
 * `--spread a=node,b=zone`: each group's spread level. Several groups share the
 * one option, since an option given twice is refused.
 */
function spreadOption(text: string | true | undefined): Record<string, SpreadLevel> | undefined {
  if (text === undefined || text === true) return undefined;
  const spread: Record<string, SpreadLevel> = {};
  for (const entry of text.split(",")) {
    const at = entry.lastIndexOf("=");
    const name = entry.slice(0, at).trim();
    const level = entry.slice(at + 1).trim();
    if (at < 0 || name === "") throw new UsageError(`--spread needs group=level entries separated by commas, such as llama=node,tp=gpu, got "${entry}"`);
    if (!(SPREAD_LEVELS as readonly string[]).includes(level)) {
      throw new UsageError(`--spread: the level of group "${name}" is one of ${SPREAD_LEVELS.join(", ")}, got "${level}"`);
    }
    if (Object.hasOwn(spread, name)) throw new UsageError(`--spread names group "${name}" twice`);
    spread[name] = level as SpreadLevel;
  }
  return spread;
}

function gpusOption(text: string | true | undefined): number | Gpu[] | undefined {
  if (text === undefined || text === true) return undefined;
  if (DECIMAL.test(text.trim())) {
    const count = Number(text);
    if (Number.isInteger(count) && count >= 1) return count;
    throw new UsageError(`--gpus needs a whole number of GPUs >= 1 or a list of sizes in GB such as 80,80,2x40, got "${text}"`);
  }
  try {
    return parseGpuList(text);
  } catch (e) {
    if (e instanceof PlacementError) throw new UsageError(`--gpus: ${e.message}`);
    throw e;
  }
}

/**
 * Reads a problem file, JSON or CSV as its content says whatever its name:
 * standard input has no name, and a file's extension can lie. Unknown CSV
 * columns are ignored, with the warning passed to `warn`.
 */
export function readInput(file: string, warn: (message: string) => void): Input {
  const text = readText(file);
  return looksLikeJson(text) ? fromJson(file, text) : fromCsv(file, text, warn);
}

/** JSON is a problem object or a list of models, so it starts with { or [; any other text is read as CSV. */
const looksLikeJson = (text: string): boolean => /^\uFEFF?\s*[[{]/.test(text);

function fromCsv(file: string, text: string, warn: (message: string) => void): Input {
  // A .json file that does not start like JSON would otherwise get a puzzling CSV message.
  const why = extname(file).toLowerCase() === ".json" ? " (it does not start with { or [, so it is not JSON)" : "";
  try {
    const { models, scenarios } = parseProblemCsv(text, { onWarning: (m) => warn(`${displayName(file)}: ${m}`) });
    return scenarios === undefined ? { file, format: "csv", models } : { file, format: "csv", models, scenarios };
  } catch (e) {
    if (e instanceof PlacementError) throw new InputError(`${displayName(file)}, read as CSV${why}: ${e.message}`);
    throw e;
  }
}

function fromJson(file: string, text: string): Input {
  const data = parseJson(text, file);
  // A bare list of models is the JSON twin of a CSV file.
  if (Array.isArray(data)) return { file, format: "json", models: data as Model[] };
  if (typeof data !== "object" || data === null || !Array.isArray((data as { models?: unknown }).models)) {
    throw new InputError(`${displayName(file)}: expected a problem { "gpus": …, "models": [ … ] } or a list of models`);
  }
  const { gpus, gpuMemGB, models, scenarios, spread } = data as Problem;
  const input: Input = { file, format: "json", models };
  // JSON has no undefined: null is an absent list, as validation reads it.
  if (scenarios !== undefined && scenarios !== null) input.scenarios = scenarios;
  if (spread !== undefined) input.spread = spread;
  if (gpus !== undefined) input.gpus = gpus;
  if (gpuMemGB !== undefined) input.gpuMemGB = gpuMemGB;
  return input;
}

/**
 * The problem to solve. `--gpus` (or `--gpus-file`) replaces the file's GPUs;
 * `--gpu-mem` sizes every GPU, those of a pool listed in the file included;
 * `--spread` sets the level of the groups it names, over the file's.
 */
export function toProblem(input: Input, overrides: GpuOverrides): Problem {
  const pool = poolOf(input, overrides);
  const problem = input.scenarios === undefined ? pool : { ...pool, scenarios: input.scenarios };
  const spread = overrides.spread === undefined ? input.spread : { ...input.spread, ...overrides.spread };
  return spread === undefined ? problem : { ...problem, spread };
}

function poolOf(input: Input, overrides: GpuOverrides): Problem {
  const gpus = overrides.gpus ?? input.gpus;
  if (gpus === undefined) {
    const what = input.format === "csv" ? "lists only models" : 'has no "gpus"';
    throw new UsageError(`${displayName(input.file)} ${what}: give the number of GPUs with --gpus N`);
  }
  const memGB = overrides.gpuMemGB;
  if (Array.isArray(gpus)) {
    const pool = memGB === undefined ? gpus : gpus.map((g: unknown) => (typeof g === "object" && g !== null ? { ...(g as Gpu), memGB } : (g as Gpu)));
    return { gpus: pool, models: input.models };
  }
  const gpuMemGB = memGB ?? input.gpuMemGB;
  return gpuMemGB === undefined ? { gpus, models: input.models } : { gpus, gpuMemGB, models: input.models };
}

/**
 * The GPU size `kvplace plan` buys: `--gpu-mem`, else the file's own size, else
 * 80 GB. A pool of mixed sizes says nothing about which to buy.
 */
export function planGpuMemory(input: Input, gpuMemGB: number | undefined): number {
  if (gpuMemGB !== undefined) return gpuMemGB;
  if (Array.isArray(input.gpus) && input.gpus.length > 0) {
    const sizes = new Set(input.gpus.map((g: unknown) => (typeof g === "object" && g !== null ? (g as Gpu).memGB : undefined)));
    const [only] = sizes;
    if (sizes.size === 1 && typeof only === "number") return only;
    throw new UsageError(`the GPUs in ${displayName(input.file)} are not all one size: choose the GPU to plan for with --gpu-mem GB`);
  }
  return input.gpuMemGB ?? 80;
}
