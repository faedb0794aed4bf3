// kvplace plan <file> --target-kvpr X: how many GPUs to buy.
import { fileArgument, parseCommandLine, positive, SOLVER_OPTIONS, solveOptions } from "../args.js";
import { UsageError } from "../failure.js";
import { planGpuMemory, readInput } from "../read-problem.js";
import { formatKvpr, renderPlan } from "../render.js";
import { runWithProgress } from "./run-job.js";
import { PlacementError } from "../../errors.js";
import type { Model, Problem } from "../../types.js";

export const PLAN_OPTIONS = {
  ...SOLVER_OPTIONS,
  "target-kvpr": { type: "string" },
  "gpu-mem": { type: "string" },
} as const;

export async function planCommand(args: readonly string[], seen: (problem: Problem) => void): Promise<string> {
  const { positionals, values } = parseCommandLine(args, PLAN_OPTIONS);
  const options = solveOptions(values);
  const targetKvpr = positive(values, "target-kvpr");
  if (targetKvpr === undefined) throw new UsageError("plan needs --target-kvpr X, the max KVPR to stay at or below");
  const input = readInput(fileArgument(positionals));
  const memGB = planGpuMemory(input, positive(values, "gpu-mem"));
  // A pool being sized has no current placement: a currentGpu past the smaller counts tried would only be an error.
  const models = input.models.map((m) => {
    if (typeof m !== "object" || m === null || !("currentGpu" in m)) return m;
    const { currentGpu: _, ...rest } = m;
    return rest;
  });
  seen({ gpus: 1, gpuMemGB: memGB, models });
  const json = values["json"] === true;
  const request = { models, gpuMemGB: memGB, targetKvpr };
  const label = `planning ${models.length} models`;
  const plan = await runWithProgress({ kind: "plan", request, options }, label, json, (gpus) => `${label}: trying ${gpus} GPUs`).catch((e: unknown) => {
    if (!(e instanceof PlacementError)) throw e;
    if (e.code === "TARGET_UNREACHABLE") throw namingTheModel(e, models, memGB, targetKvpr);
    // planCapacity checks every pool size it tries, and a pin past a small pool fails the whole plan.
    if (e.code === "PIN_OUT_OF_RANGE") throw new PlacementError(e.code, `${e.message}: plan tries smaller pools too, and cannot yet with this pin`, { model: e.model as number });
    throw e;
  });
  if (json) return `${JSON.stringify(plan, null, 2)}\n`;
  const problem: Problem = { gpus: plan.gpus, gpuMemGB: memGB, models };
  return renderPlan(problem, plan, targetKvpr, memGB, { width: process.stdout.isTTY ? process.stdout.columns : undefined });
}

/**
 * The library says only that some model alone exceeds the target; the one to
 * name is the model with the highest KVPR alone on a GPU of this size.
 */
function namingTheModel(error: PlacementError, models: readonly Model[], memGB: number, targetKvpr: number): PlacementError {
  let worst = -1;
  let worstKvpr = -Infinity;
  models.forEach((m, i) => {
    const demand = m.reqRate / m.slo;
    const kvpr = demand <= 0 ? 0 : m.sizeGB >= memGB ? Infinity : demand / (memGB - m.sizeGB);
    if (kvpr > worstKvpr) [worst, worstKvpr] = [i, kvpr];
  });
  if (worst < 0 || !(worstKvpr > targetKvpr)) return error;
  return new PlacementError("TARGET_UNREACHABLE", `model ${worst} has KVPR ${formatKvpr(worstKvpr)} alone on a GPU of ${memGB} GB, above the target ${formatKvpr(targetKvpr)}`, { model: worst });
}
