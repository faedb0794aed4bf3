// One row per GPU: its memory (weights against room left for KV cache) and its KVPR against the maximum;
// when the problem puts GPUs in nodes, a box per node holds its rows.
import type { Gpu, GpuReport, Problem, Solution } from "kvplace";
import { el } from "./dom.js";
import { formatGB, formatKvpr } from "./format.js";

const percent = (x: number) => `${Math.max(0, Math.min(100, x * 100)).toFixed(2)}%`;

/**
 * The scenario selector: hidden without scenarios; else "each GPU's worst" (-1)
 * and each scenario with its max KVPR, the worst marked.
 */
export function showScenarios(select: HTMLSelectElement, solution: Solution | undefined): void {
  const label = select.closest("label") as HTMLElement;
  label.hidden = solution === undefined;
  if (solution === undefined) {
    select.replaceChildren();
    return;
  }
  const worst = solution.scenarios.findIndex((s) => s.maxKvpr === solution.maxKvpr);
  select.replaceChildren(
    new Option("each GPU's worst", "-1"),
    ...solution.scenarios.map((s, k) => new Option(`${s.id}: ${formatKvpr(s.maxKvpr)}${k === worst ? " (worst)" : ""}`, String(k))),
  );
  select.value = "-1";
}

/** The GPUs in scenario `k` (-1: each at its worst over the scenarios, which is its KVPR without them). */
export function renderChart(list: HTMLOListElement, problem: Problem, solution: Solution, k: number): void {
  const memMax = Math.max(...solution.gpus.map((g) => g.memGB));
  const scale = solution.maxKvpr > 0 && Number.isFinite(solution.maxKvpr) ? solution.maxKvpr : 1;
  const scenario = solution.scenarios[k];
  const kvprOf = (j: number) => (scenario === undefined ? (solution.gpus[j]?.kvpr as number) : (scenario.kvpr[j] as number));
  const worstGpu = scenario === undefined ? solution.bottleneck : scenario.bottleneck;
  const worstKvpr = scenario === undefined ? solution.maxKvpr : scenario.maxKvpr;
  const rate = (i: number): number => {
    const m = problem.models[i]!;
    const s = problem.scenarios?.[k];
    return s === undefined ? (m.reqRate ?? 0) / m.slo : (s.reqRate[i] as number) / (s.slo?.[i] ?? m.slo);
  };
  const gpuRow = (gpu: GpuReport): HTMLLIElement => {
    const bottleneck = gpu.index === worstGpu && worstKvpr > 0;
    const kvpr = kvprOf(gpu.index);
    const free = gpu.memGB - gpu.reserveGB - gpu.usedGB;
    const row = el("li", bottleneck ? "gpu bottleneck" : "gpu");
    row.tabIndex = 0;
    row.dataset["gpu"] = String(gpu.index);
    const tipId = `gpu-models-${gpu.index}`;
    row.setAttribute("aria-describedby", tipId);
    row.setAttribute(
      "aria-label",
      `${gpu.id}${bottleneck ? ", the bottleneck" : ""}: weights ${formatGB(gpu.usedGB)} of ${formatGB(gpu.memGB)}, ` +
        (gpu.reserveGB > 0 ? `${formatGB(gpu.reserveGB)} reserved, ` : "") +
        `${formatGB(free)} free for KV cache, KVPR ${formatKvpr(kvpr)}`,
    );

    const name = el("span", "gpu-name", gpu.id);
    if (bottleneck) name.append(el("span", "badge", "bottleneck"));

    // The memory track is as long as this GPU is large next to the largest, so mixed pools read at a glance.
    const mem = el("span", "mem");
    mem.style.width = percent(gpu.memGB / memMax);
    const weights = el("span", "mem-weights");
    weights.style.width = percent(gpu.usedGB / gpu.memGB);
    // What the runtime keeps holds neither weights nor KV cache.
    const reserve = el("span", "mem-reserve");
    reserve.style.width = percent(gpu.reserveGB / gpu.memGB);
    mem.append(reserve, weights, el("span", "mem-free"));
    const memText = el("span", "mem-text", `${formatGB(gpu.usedGB)} / ${formatGB(gpu.memGB)}`);

    const track = el("span", "kvpr");
    const bar = el("span", "kvpr-bar");
    bar.style.width = percent(kvpr / scale);
    const bound = el("span", "kvpr-bound");
    bound.style.left = percent(solution.lowerBound / scale);
    track.append(bar, bound);
    const kvprText = el("span", "kvpr-text", formatKvpr(kvpr));

    row.append(name, mem, memText, track, kvprText, modelsTip(tipId, problem, solution, gpu.index, k < 0 ? undefined : rate));
    return row;
  };
  list.replaceChildren(...(hasNodes(problem) ? nodeBoxes(problem, solution.gpus, gpuRow) : solution.gpus.map(gpuRow)));
}

const gpuList = (problem: Problem): readonly Gpu[] => (Array.isArray(problem.gpus) ? (problem.gpus as readonly Gpu[]) : []);
const hasNodes = (problem: Problem) => gpuList(problem).some((g) => g.node !== undefined);

/** A box per node, in the order of its first GPU, headed by its name and (when the problem gives zones) its zone. */
function nodeBoxes(problem: Problem, gpus: readonly GpuReport[], gpuRow: (gpu: GpuReport) => HTMLLIElement): HTMLLIElement[] {
  const zones = gpuList(problem).some((g) => g.zone !== undefined);
  const boxes = new Map<string, { box: HTMLLIElement; rows: HTMLOListElement }>();
  for (const gpu of gpus) {
    let node = boxes.get(gpu.node);
    if (node === undefined) {
      const box = el("li", "node");
      box.dataset["node"] = gpu.node;
      const head = el("div", "node-head");
      head.append(el("span", "node-name", gpu.node));
      if (zones) head.append(el("span", "node-zone", `zone ${gpu.zone}`));
      const rows = el("ol", "node-gpus");
      rows.setAttribute("aria-label", `GPUs of node ${gpu.node}${zones ? ` in zone ${gpu.zone}` : ""}`);
      box.append(head, rows);
      node = { box, rows };
      boxes.set(gpu.node, node);
    }
    node.rows.append(gpuRow(gpu));
  }
  return [...boxes.values()].map((n) => n.box);
}

/** The models on a GPU, shown while the row is hovered or focused; `rate`: their demand in the scenario shown. */
function modelsTip(id: string, problem: Problem, solution: Solution, index: number, rate?: (i: number) => number): HTMLElement {
  const gpu = solution.gpus[index]!;
  const tip = el("div", "tip");
  tip.id = id;
  tip.setAttribute("role", "tooltip");
  const count = gpu.models.length;
  tip.append(el("strong", "", `${gpu.id}: ${count === 0 ? "no models" : count === 1 ? "1 model" : `${count} models`}`));
  if (count > 0) {
    const table = el("table");
    const head = el("tr");
    // Over all scenarios a model has no one demand: the column shows only in one scenario, or without scenarios.
    const demand = problem.scenarios === undefined || rate !== undefined;
    for (const h of demand ? ["model", "size", "demand"] : ["model", "size"]) head.append(el("th", "", h));
    table.append(head);
    for (const i of gpu.models) {
      const m = problem.models[i]!;
      const tr = el("tr");
      tr.append(el("td", "", m.id ?? `model ${i}`), el("td", "num", formatGB(m.sizeGB)));
      if (demand) tr.append(el("td", "num", formatKvpr(rate === undefined ? (m.reqRate ?? 0) / m.slo : rate(i))));
      table.append(tr);
    }
    tip.append(table);
  }
  return tip;
}
