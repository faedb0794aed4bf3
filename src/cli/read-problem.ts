// The problem file of `kvplace solve` and `kvplace plan`: JSON or CSV, told apart by extension or content.
import { extname } from "node:path";
import { PlacementError } from "../errors.js";
import { parseModelsCsv } from "../io/csv.js";
import type { Gpu, Model, Problem } from "../types.js";
import { InputError, UsageError } from "./failure.js";
import { displayName, parseJson, readText } from "./read-file.js";

/** What a file says: its models and, in JSON, perhaps its GPUs; the solver checks the values. */
export type Input = { file: string; format: "json" | "csv"; models: readonly Model[]; gpus?: number | readonly Gpu[]; gpuMemGB?: number };

/** The GPUs given on the command line, which win over the file's. */
export type GpuOverrides = { gpus?: number | undefined; gpuMemGB?: number | undefined };

export function readInput(file: string): Input {
  const text = readText(file);
  return isJson(file, text) ? fromJson(file, text) : fromCsv(file, text);
}

function isJson(file: string, text: string): boolean {
  const ext = extname(file).toLowerCase();
  if (ext === ".json") return true;
  if (ext === ".csv") return false;
  return /^\uFEFF?\s*[[{]/.test(text);
}

function fromCsv(file: string, text: string): Input {
  try {
    return { file, format: "csv", models: parseModelsCsv(text) };
  } catch (e) {
    if (e instanceof PlacementError) throw new InputError(`${displayName(file)}: ${e.message}`);
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
  const { gpus, gpuMemGB, models } = data as Problem;
  const input: Input = { file, format: "json", models };
  if (gpus !== undefined) input.gpus = gpus;
  if (gpuMemGB !== undefined) input.gpuMemGB = gpuMemGB;
  return input;
}

/**
 * The problem to solve. `--gpus N` replaces the file's GPUs with N alike;
 * `--gpu-mem` sizes every GPU, those of a listed pool included.
 */
export function toProblem(input: Input, overrides: GpuOverrides): Problem {
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
