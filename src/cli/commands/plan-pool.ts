// kvplace plan <file> --target-kvpr X --gpu-types types.csv: which GPUs to buy, of several types.
import { PlacementError } from "../../errors.js";
import { parseGpuTypesCsv } from "../../io/csv.js";
import type { PoolRequest } from "../../planning/pool.js";
import type { Problem, SolveOptions } from "../../types.js";
import { InputError, printWarning } from "../failure.js";
import { displayName, readText } from "../read-file.js";
import type { Input } from "../read-problem.js";
import { renderPool } from "../render-pool.js";
import { count } from "../render.js";
import { runWithProgress } from "./run-job.js";

/** Plans the cheapest pool of the types in `typesFile` for the models of `input` (and its demand scenarios). */
export async function planPoolCommand(
  input: Input,
  typesFile: string,
  targetKvpr: number,
  options: SolveOptions,
  json: boolean,
  seen: (problem: Problem) => void,
): Promise<string> {
  const { models, scenarios } = input;
  const gpuTypes = readGpuTypes(typesFile);
  // The pool meets the target in every demand scenario of the file, when it has them.
  const request: PoolRequest = scenarios === undefined ? { models, gpuTypes, targetKvpr } : { models, gpuTypes, targetKvpr, scenarios };
  seen(scenarios === undefined ? { gpus: 1, models } : { gpus: 1, models, scenarios });
  const plan = await runWithProgress({ kind: "pool", request, options }, `planning a pool for ${count(input.models.length, "model")}`, json);
  if (json) return `${JSON.stringify(plan, null, 2)}\n`;
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  return renderPool(request, plan, { width });
}

function readGpuTypes(file: string) {
  try {
    return parseGpuTypesCsv(readText(file), { onWarning: (message) => printWarning(`${displayName(file)}: ${message}`) });
  } catch (e) {
    if (e instanceof PlacementError) throw new InputError(`${displayName(file)}: ${e.message}`);
    throw e;
  }
}
