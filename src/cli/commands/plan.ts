// kvplace plan <file> --target-kvpr X: how many GPUs to buy (of several types with --gpu-types).
import { fileArgument, parseCommandLine, positive, SOLVER_OPTIONS, solveOptions } from "../args.js";
import { printWarning, UsageError } from "../failure.js";
import { planGpuMemory, readInput } from "../read-problem.js";
import { count, renderPlan } from "../render.js";
import { planPoolCommand } from "./plan-pool.js";
import { runWithProgress } from "./run-job.js";
import type { Problem } from "../../types.js";

export const PLAN_OPTIONS = {
  ...SOLVER_OPTIONS,
  "target-kvpr": { type: "string" },
  "gpu-mem": { type: "string" },
  "gpu-types": { type: "string" },
} as const;

export async function planCommand(args: readonly string[], seen: (problem: Problem) => void): Promise<string> {
  const parsed = parseCommandLine(args, PLAN_OPTIONS);
  const { values } = parsed;
  const options = solveOptions(values);
  const targetKvpr = positive(values, "target-kvpr");
  if (targetKvpr === undefined) throw new UsageError("plan needs --target-kvpr X, the max KVPR to stay at or below");
  const input = readInput(fileArgument(parsed), printWarning);
  const typesFile = values["gpu-types"];
  if (typeof typesFile === "string") {
    if (values["gpu-mem"] !== undefined) throw new UsageError("give --gpu-types or --gpu-mem, not both");
    return planPoolCommand(input, typesFile, targetKvpr, options, values["json"] === true, seen);
  }
  const memGB = planGpuMemory(input, positive(values, "gpu-mem"));
  const models = input.models;
  seen({ gpus: 1, gpuMemGB: memGB, models });
  const json = values["json"] === true;
  const request = input.scenarios === undefined ? { models, gpuMemGB: memGB, targetKvpr } : { models, scenarios: input.scenarios, gpuMemGB: memGB, targetKvpr };
  const label = `planning ${count(models.length, "model")}`;
  const plan = await runWithProgress({ kind: "plan", request, options }, label, json, (gpus) => `${label}: trying ${count(gpus, "GPU")}`);
  if (json) return `${JSON.stringify(plan, null, 2)}\n`;
  const pool: Problem = { gpus: plan.gpus, gpuMemGB: memGB, models };
  const problem: Problem = input.scenarios === undefined ? pool : { ...pool, scenarios: input.scenarios };
  return renderPlan(problem, plan, targetKvpr, memGB, { width: process.stdout.isTTY ? process.stdout.columns : undefined });
}
