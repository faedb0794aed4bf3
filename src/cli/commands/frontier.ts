// kvplace frontier <file>: max KVPR against the moves allowed, as a table or as the MoveFrontier in JSON.
import { choice, DECIMAL, fileArgument, parseCommandLine, POOL_OPTIONS, SOLVER_OPTIONS, solveOptions } from "../args.js";
import { printWarning, UsageError } from "../failure.js";
import { gpuOverrides, readInput, toProblem } from "../read-problem.js";
import { count, formatGap, formatGB, formatKvpr } from "../render.js";
import { runWithProgress } from "./run-job.js";
import type { FrontierOptions, MoveFrontier, Problem } from "../../types.js";

export const FRONTIER_OPTIONS = {
  ...SOLVER_OPTIONS,
  ...POOL_OPTIONS,
  by: { type: "string" },
  budgets: { type: "string" },
} as const;

/** The problem is handed back through `seen` as soon as it is read, so errors can name its models by id. */
export async function frontierCommand(args: readonly string[], seen: (problem: Problem) => void): Promise<string> {
  const parsed = parseCommandLine(args, FRONTIER_OPTIONS);
  const { values } = parsed;
  const options: FrontierOptions = solveOptions(values);
  const by = choice(values, "by", ["moves", "cost"] as const);
  if (by !== undefined) options.by = by;
  const budgets = budgetList(values["budgets"]);
  if (budgets !== undefined) options.budgets = budgets;
  const overrides = gpuOverrides(values);
  const problem = toProblem(readInput(fileArgument(parsed), printWarning), overrides);
  seen(problem);
  const json = values["json"] === true;
  const label = `sweeping move budgets for ${count(problem.models.length, "model")}`;
  const frontier = await runWithProgress({ kind: "frontier", problem, options }, label, json);
  if (json) return `${JSON.stringify(frontier, null, 2)}\n`;
  return renderFrontier(frontier);
}

/** "0,1,2,4,8": the budgets as numbers; the library checks what they must be. */
function budgetList(text: string | true | undefined): number[] | undefined {
  if (text === undefined || text === true) return undefined;
  return text.split(",").map((cell) => {
    if (!DECIMAL.test(cell.trim())) throw new UsageError(`--budgets needs numbers separated by commas, got "${text}"`);
    return Number(cell);
  });
}

/** One row per budget; "proved" marks a point whose max KVPR is proven minimal within its budget. */
export function renderFrontier(frontier: MoveFrontier): string {
  const head = frontier.by === "moves" ? "moves allowed" : "move cost allowed";
  const rows = frontier.points.map((p) => [
    frontier.by === "moves" ? String(p.budget) : formatGB(p.budget),
    formatKvpr(p.maxKvpr),
    formatKvpr(p.lowerBound),
    formatGap(p.gap),
    String(p.moves.length),
    formatGB(p.moveCost),
    p.optimal ? "proved" : "",
  ]);
  const header = [head, "max KVPR", "lower bound", "gap", "moves", "move cost", ""];
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => (k === cells.length - 1 ? c : c.padStart(widths[k] as number)))
      .join("  ")
      .trimEnd();
  const free = frontier.unbudgeted;
  const tail =
    free === undefined
      ? []
      : ["", `without the budget: max KVPR ${formatKvpr(free.maxKvpr)} with ${count(free.moves, "move")} costing ${formatGB(free.moveCost)}`];
  return `${[line(header), ...rows.map(line), ...tail].join("\n")}\n`;
}
