// A solution as text: one row per GPU with bars for memory and KVPR, the headline numbers, the move plan.
import type { CapacityPlan } from "../planning/capacity.js";
import type { Gpu, GpuReport, Problem, Solution } from "../types.js";
import { printableName } from "./failure.js";

const BAR = 20;
const MIN_BAR = 8;
/** Columns the model names should get on a terminal before the bars give up cells. */
const MODELS_ROOM = 30;

export type RenderOptions = {
  /** Terminal width: the model lists are cut to it. Without it (a pipe, a file) nothing is cut. */
  width?: number | undefined;
  /** The migration budgets: the bound and the proof are within them, not over every placement. */
  maxMoves?: number | undefined;
  maxMoveCost?: number | undefined;
  /** Whether to print the move plan; a capacity plan sizes a new pool, where nothing moves. */
  moves?: boolean;
};

/** KV-cache pressure with six significant digits, enough to tell the ADRS optima apart. */
export function formatKvpr(x: number): string {
  return x === Infinity ? "∞" : String(Number(x.toPrecision(6)));
}

export function formatGB(x: number): string {
  return String(Number(x.toFixed(2)));
}

export function formatGap(gap: number): string {
  if (!Number.isFinite(gap)) return "∞";
  return gap === 0 ? "0%" : `${Number((gap * 100).toPrecision(3))}%`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A bar of `width` cells, `fraction` of them full; any nonzero amount shows at least one cell. */
export function bar(fraction: number, width = BAR): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 1;
  const full = f > 0 ? Math.max(1, Math.round(f * width)) : 0;
  return "█".repeat(full) + "░".repeat(width - full);
}

// Ids come from the file: printableName keeps a hostile one from breaking a row or driving the terminal.
const modelName = (problem: Problem, i: number): string => {
  const id = problem.models[i]?.id;
  return id === undefined ? `#${i}` : printableName(id);
};

/** "1 model", "3 models": the counts in the output read as sentences. */
export const count = (n: number, noun: string): string => `${n} ${n === 1 ? noun : `${noun}s`}`;

export function renderSolution(problem: Problem, solution: Solution, options: RenderOptions = {}): string {
  const lines = [
    `${count(problem.models.length, "model")} on ${count(solution.gpus.length, "GPU")} · ${solution.stats.engine} engine · ${formatMs(solution.stats.ms)}`,
    "",
    ...gpuTable(problem, solution, options),
    "",
    ...headline(solution, options),
    ...gainLine(solution),
    ...scenarioLines(problem, solution),
    ...(options.moves === false ? [] : movePlan(problem, solution)),
  ];
  return `${lines.join("\n")}\n`;
}

/** Whether the problem places GPUs in nodes (and zones): then the table groups them so. */
const hasNodes = (problem: Problem): boolean => Array.isArray(problem.gpus) && problem.gpus.some((g: Gpu) => g.node !== undefined);
const hasZones = (problem: Problem): boolean => Array.isArray(problem.gpus) && problem.gpus.some((g: Gpu) => g.zone !== undefined);

/** What the GPU table draws: a solution's figures, or an evaluation's with its bottleneck found. */
export type Placed = { gpus: readonly GpuReport[]; maxKvpr: number; bottleneck: number };

export function gpuTable(problem: Problem, placed: Placed, { width }: RenderOptions): string[] {
  const { gpus, maxKvpr, bottleneck } = placed;
  const nodes = hasNodes(problem);
  // Under a node's header line its GPUs are indented, so the nodes stand out.
  const indent = nodes ? "  " : "";
  const ids = gpus.map((g) => printableName(g.id));
  const idWidth = Math.max(3, ...ids.map((id) => id.length));
  const memText = gpus.map((g) => `${formatGB(g.usedGB)}/${formatGB(g.memGB)}`);
  const memWidth = Math.max(7, ...memText.map((t) => t.length));
  const kvprText = gpus.map((g) => formatKvpr(g.kvpr));
  const kvprWidth = Math.max(4, ...kvprText.map((t) => t.length));
  const fixed = indent.length + idWidth + memWidth + kvprWidth + 10;
  // On a narrow terminal the bars shrink before the model names are cut.
  const cells = width === undefined ? BAR : Math.max(MIN_BAR, Math.min(BAR, Math.floor((width - fixed - MODELS_ROOM) / 2)));
  const header = `${indent}${"GPU".padEnd(idWidth)}  ${"memory".padEnd(cells)} ${"used/GB".padStart(memWidth)}  ${"KVPR".padEnd(cells)} ${"".padStart(kvprWidth)}    models`;
  const row = (j: number): string => {
    const g = gpus[j] as GpuReport;
    const kvprFraction = maxKvpr > 0 ? g.kvpr / maxKvpr : 0;
    // The bottleneck only means something when some GPU carries demand.
    const mark = j === bottleneck && maxKvpr > 0 ? " ◀ " : "   ";
    // The memory bar counts what the runtime keeps: that much is not free either.
    const full = (g.usedGB + g.reserveGB) / g.memGB;
    const prefix = `${indent}${(ids[j] as string).padEnd(idWidth)}  ${bar(full, cells)} ${(memText[j] as string).padStart(memWidth)}  ${bar(kvprFraction, cells)} ${(kvprText[j] as string).padStart(kvprWidth)}${mark} `;
    // An empty GPU lists no models: the row ends at its KVPR, without trailing blanks.
    return (
      prefix +
      fit(
        g.models.map((i) => modelName(problem, i)),
        width === undefined ? Infinity : width - prefix.length,
      )
    ).trimEnd();
  };
  const rows = nodes ? byNode(problem, gpus).flatMap(({ head, members }) => [head, ...members.map(row)]) : gpus.map((_, j) => row(j));
  return [header.trimEnd(), ...rows, ...reserveLine(gpus)];
}

/** The GPUs by node, nodes in the order their first GPU comes, each with its header line: its name and, given zones, its zone. */
function byNode(problem: Problem, gpus: readonly GpuReport[]): { head: string; members: number[] }[] {
  const zones = hasZones(problem);
  const groups = new Map<string, { head: string; members: number[] }>();
  for (const g of gpus) {
    let group = groups.get(g.node);
    if (group === undefined) {
      group = { head: `node ${printableName(g.node)}${zones ? ` · zone ${printableName(g.zone)}` : ""}`, members: [] };
      groups.set(g.node, group);
    }
    group.members.push(g.index);
  }
  return [...groups.values()];
}

/** The memory the runtime keeps, which the table's bars count as used: one figure when every GPU keeps the same. */
function reserveLine(gpus: readonly GpuReport[]): string[] {
  if (!gpus.some((g) => g.reserveGB > 0)) return [];
  const sizes = new Set(gpus.map((g) => g.reserveGB));
  const [only] = sizes;
  if (sizes.size === 1) return [`reserved for the runtime (in the memory bars): ${formatGB(only as number)} GB on every GPU`];
  const each = gpus.filter((g) => g.reserveGB > 0).map((g) => `${printableName(g.id)} ${formatGB(g.reserveGB)} GB`);
  return [`reserved for the runtime (in the memory bars): ${each.join(", ")}`];
}

/** Names joined by commas; when they do not fit, as many as do and a count of the rest. */
function fit(names: string[], room: number): string {
  const all = names.join(", ");
  if (all.length <= room) return all;
  for (let k = names.length - 1; k >= 0; k--) {
    const text = `${names.slice(0, k).join(", ")}${k > 0 ? ", " : ""}+${names.length - k} more`;
    if (text.length <= room || k === 0) return text;
  }
  return all;
}

function headline(solution: Solution, { maxMoves, maxMoveCost }: RenderOptions): string[] {
  const { gpus, maxKvpr, bottleneck, lowerBound, gap, optimal } = solution;
  const where = maxKvpr > 0 ? ` on ${printableName(gpus[bottleneck]?.id ?? String(bottleneck))} ◀` : "";
  const budgets = [maxMoves === undefined ? "" : count(maxMoves, "move"), maxMoveCost === undefined ? "" : `move cost ${formatGB(maxMoveCost)}`];
  const within = budgets.some((b) => b !== "") ? ` with at most ${budgets.filter((b) => b !== "").join(" and ")}` : "";
  const proof = optimal ? `optimal${within} (proved)` : `not proved optimal${within}`;
  return [`max KVPR ${formatKvpr(maxKvpr)}${where} · lower bound ${formatKvpr(lowerBound)} · gap ${formatGap(gap)} · ${proof}`];
}

/** With demand scenarios: each one's max KVPR and bottleneck, the worst marked (the KVPR column is each GPU's worst). */
export function scenarioLines(problem: Problem, solution: Pick<Solution, "scenarios" | "gpus" | "maxKvpr">): string[] {
  if (problem.scenarios === undefined || problem.scenarios === null) return [];
  const ids = solution.scenarios.map((s) => printableName(s.id));
  const idWidth = Math.max(...ids.map((id) => id.length));
  const values = solution.scenarios.map((s) => formatKvpr(s.maxKvpr));
  const valueWidth = Math.max(...values.map((v) => v.length));
  const lines = ["", `${count(solution.scenarios.length, "scenario")} (the KVPR column above is each GPU's worst over them):`];
  solution.scenarios.forEach((s, k) => {
    const on = s.maxKvpr > 0 ? ` on ${printableName(solution.gpus[s.bottleneck]?.id ?? String(s.bottleneck))}` : "";
    const worst = s.maxKvpr === solution.maxKvpr && s.maxKvpr > 0 ? "  ◀ worst" : "";
    lines.push(`  ${(ids[k] as string).padEnd(idWidth)}  max KVPR ${(values[k] as string).padStart(valueWidth)}${on}${worst}`);
  });
  return lines;
}

/** What --min-gain decided, in a sentence. */
function gainLine({ gainCheck }: Solution): string[] {
  if (gainCheck === undefined) return [];
  const { minGain, moved, currentMaxKvpr, bestMaxKvpr, gain } = gainCheck;
  const percent = (x: number) => `${Number((x * 100).toPrecision(3))}%`;
  if (currentMaxKvpr === null || gain === null) return ["min gain: no current placement to keep, so the models move"];
  const what = `the best placement found (max KVPR ${formatKvpr(bestMaxKvpr)}) lowers the current ${formatKvpr(currentMaxKvpr)} by ${percent(gain)}`;
  return [
    moved ? `min gain ${percent(minGain)}: ${what}, so the models move` : `min gain ${percent(minGain)}: ${what}, too little: the current placement is kept`,
  ];
}

/**
 * The steps to reach the placement from the current one. A staged move is two
 * steps: unload where the library put it in the order, load after the rest.
 */
function movePlan(problem: Problem, solution: Solution): string[] {
  if (!problem.models.some((m) => m.currentGpu !== undefined)) return [];
  const gpuName = (j: number) => printableName(solution.gpus[j]?.id ?? String(j));
  const lines = [""];
  const { moves } = solution;
  if (moves.length === 0) {
    lines.push("move plan: nothing moves");
  } else {
    const staged = moves.filter((m) => m.staged === true);
    const cost = problem.models.some((m) => m.moveCost !== undefined) ? ` costing ${formatGB(solution.moveCost)}` : "";
    lines.push(`move plan: ${count(moves.length, "move")}${cost}, in this order (each step keeps every GPU within memory)`);
    const nameWidth = Math.max(...moves.map((m) => modelName(problem, m.model).length));
    const steps = moves.length + staged.length;
    const numberWidth = String(steps).length;
    const step = (k: number, verb: string, model: number, where: string) =>
      `  ${String(k).padStart(numberWidth)}. ${verb.padEnd(6)} ${modelName(problem, model).padEnd(nameWidth)}  ${where}`;
    const loadStep = new Map(staged.map((m, k) => [m.model, moves.length + k + 1]));
    moves.forEach((m, k) => {
      const load = loadStep.get(m.model);
      lines.push(
        load === undefined
          ? step(k + 1, "move", m.model, `${gpuName(m.from)} → ${gpuName(m.to)}`)
          : step(k + 1, "unload", m.model, `from ${gpuName(m.from)}   (staged: held aside until step ${load})`),
      );
    });
    staged.forEach((m, k) => lines.push(step(moves.length + k + 1, "load", m.model, `on ${gpuName(m.to)}   (staged)`)));
  }
  const added = problem.models.flatMap((m, i) =>
    m.currentGpu === undefined ? [`${modelName(problem, i)} on ${gpuName(solution.assignment[i] as number)}`] : [],
  );
  if (added.length > 0) lines.push(`then load the new ${added.length === 1 ? "model" : "models"}: ${added.join(", ")}`);
  return lines;
}

export function renderPlan(problem: Problem, plan: CapacityPlan, targetKvpr: number, memGB: number, options: RenderOptions = {}): string {
  const gpus = (k: number) => count(k, "GPU");
  const proof =
    plan.gpus === plan.lowerBound
      ? `no fewer can: ${gpus(plan.lowerBound)} is a proven lower bound`
      : `proven lower bound ${gpus(plan.lowerBound)}: fewer cannot meet the target; no placement on fewer than ${plan.gpus} was found`;
  const lines = [
    `${gpus(plan.gpus)} of ${formatGB(memGB)} GB keep the max KVPR at or below ${formatKvpr(targetKvpr)}`,
    proof,
    "",
    renderSolution(problem, plan.solution, { ...options, moves: false }),
  ];
  return lines.join("\n");
}
