// kvplace solve <file>: one placement, as a table or as the Solution in JSON.
import {
  FAILOVER_OPTIONS,
  failoverOptions,
  fileArgument,
  fraction,
  nonNegative,
  parseCommandLine,
  POOL_OPTIONS,
  SOLVER_OPTIONS,
  solveOptions,
  whole,
} from "../args.js";
import { printWarning } from "../failure.js";
import { gpuOverrides, readInput, toProblem } from "../read-problem.js";
import { failoverLines, solutionFailover } from "../render-failover.js";
import { count, renderSolution } from "../render.js";
import { runWithProgress } from "./run-job.js";
import type { Problem } from "../../types.js";

export const SOLVE_OPTIONS = {
  ...SOLVER_OPTIONS,
  ...POOL_OPTIONS,
  ...FAILOVER_OPTIONS,
  "max-moves": { type: "string" },
  "max-move-cost": { type: "string" },
  "min-gain": { type: "string" },
  "warm-start": { type: "boolean" },
} as const;

/** The problem is handed back through `seen` as soon as it is read, so errors can name its models by id. */
export async function solveCommand(args: readonly string[], seen: (problem: Problem) => void): Promise<string> {
  const parsed = parseCommandLine(args, SOLVE_OPTIONS);
  const { values } = parsed;
  const options = solveOptions(values);
  const maxMoves = whole(values, "max-moves", 0);
  if (maxMoves !== undefined) options.maxMoves = maxMoves;
  const maxMoveCost = nonNegative(values, "max-move-cost");
  if (maxMoveCost !== undefined) options.maxMoveCost = maxMoveCost;
  const minGain = fraction(values, "min-gain");
  if (minGain !== undefined) options.minGain = minGain;
  if (values["warm-start"] === true) options.warmStart = true;
  const { failover, failoverKvpr } = failoverOptions(values);
  if (failover !== undefined) options.failover = failover;
  if (failoverKvpr !== undefined) options.failoverKvpr = failoverKvpr;
  const overrides = gpuOverrides(values);
  const problem = toProblem(readInput(fileArgument(parsed), printWarning), overrides);
  seen(problem);
  const json = values["json"] === true;
  const gpus = typeof problem.gpus === "number" ? problem.gpus : problem.gpus.length;
  const label = `solving ${count(problem.models.length, "model")} on ${count(gpus, "GPU")}`;
  const solution = await runWithProgress({ kind: "solve", problem, options }, label, json);
  if (json) return `${JSON.stringify(solution, null, 2)}\n`;
  const text = renderSolution(problem, solution, { width: process.stdout.isTTY ? process.stdout.columns : undefined, maxMoves, maxMoveCost });
  if (failover === undefined) return text;
  return `${text}\n${failoverLines(solutionFailover(solution, failover), solution.gpus, failoverKvpr).join("\n")}\n`;
}
