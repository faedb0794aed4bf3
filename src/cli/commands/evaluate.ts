// kvplace evaluate <file>: the placement the models' currentGpu give, scored, with what it breaks and, asked, its failover report.
import { evaluate } from "../../report/evaluate.js";
import type { Evaluation, Problem } from "../../types.js";
import { FAILOVER_OPTIONS, failoverOptions, fileArgument, parseCommandLine, POOL_OPTIONS } from "../args.js";
import { InputError, printableName, printWarning, quoted } from "../failure.js";
import { displayName } from "../read-file.js";
import { gpuOverrides, readInput, toProblem } from "../read-problem.js";
import { failoverLines } from "../render-failover.js";
import { count, formatKvpr, gpuTable, scenarioLines } from "../render.js";

export const EVALUATE_OPTIONS = {
  ...POOL_OPTIONS,
  ...FAILOVER_OPTIONS,
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The problem is handed back through `seen` as soon as it is read, so errors can name its models by id. */
export function evaluateCommand(args: readonly string[], seen: (problem: Problem) => void): string {
  const parsed = parseCommandLine(args, EVALUATE_OPTIONS);
  const { values } = parsed;
  const options = failoverOptions(values);
  const file = fileArgument(parsed);
  const problem = toProblem(readInput(file, printWarning), gpuOverrides(values));
  seen(problem);
  const assignment = problem.models.map((m, i) => {
    if (m.currentGpu !== undefined) return m.currentGpu;
    const id = m.id === undefined ? "" : ` (${quoted(m.id)})`;
    throw new InputError(`${displayName(file)}: model ${i}${id} has no currentGpu; evaluate scores the placement the currentGpu of every model gives`);
  });
  const evaluation = evaluate(problem, assignment, options);
  if (values["json"] === true) return `${JSON.stringify(evaluation, null, 2)}\n`;
  return renderEvaluation(problem, evaluation, options.failoverKvpr, process.stdout.isTTY ? process.stdout.columns : undefined);
}

/** The GPU table, the max KVPR, every constraint the placement breaks, then the scenarios and the failover report. */
export function renderEvaluation(problem: Problem, evaluation: Evaluation, failoverKvpr: number | undefined, width: number | undefined): string {
  const { gpus, maxKvpr, violations, failover } = evaluation;
  const bottleneck = gpus.findIndex((g) => g.kvpr === maxKvpr);
  const where = maxKvpr > 0 && bottleneck >= 0 ? ` on ${printableName((gpus[bottleneck] as (typeof gpus)[number]).id)} ◀` : "";
  const verdict = violations.length === 0 ? "breaks no constraint" : `breaks ${count(violations.length, "constraint")}:`;
  const lines = [
    `the current placement of ${count(problem.models.length, "model")} on ${count(gpus.length, "GPU")}`,
    "",
    ...gpuTable(problem, { gpus, maxKvpr, bottleneck }, { width }),
    "",
    `max KVPR ${formatKvpr(maxKvpr)}${where} · ${verdict}`,
    ...violations.map((v) => `  ${v}`),
    ...scenarioLines(problem, evaluation),
    ...(failover === undefined ? [] : ["", ...failoverLines(failover, gpus, failoverKvpr)]),
  ];
  return `${lines.join("\n")}\n`;
}
