// One row per GPU: its memory (weights against room left for KV cache) and its KVPR against the maximum.
import type { Problem, Solution } from "kvplace";
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
  list.replaceChildren(
    ...solution.gpus.map((gpu) => {
      const bottleneck = gpu.index === worstGpu && worstKvpr > 0;
      const kvpr = kvprOf(gpu.index);
      const free = gpu.memGB - gpu.usedGB;
      const row = el("li", bottleneck ? "gpu bottleneck" : "gpu");
      row.tabIndex = 0;
      row.dataset["gpu"] = String(gpu.index);
      const tipId = `gpu-models-${gpu.index}`;
      row.setAttribute("aria-describedby", tipId);
      row.setAttribute(
        "aria-label",
        `${gpu.id}${bottleneck ? ", the bottleneck" : ""}: weights ${formatGB(gpu.usedGB)} of ${formatGB(gpu.memGB)}, ` +
          `${formatGB(free)} free for KV cache, KVPR ${formatKvpr(kvpr)}`,
      );

      const name = el("span", "gpu-name", gpu.id);
      if (bottleneck) name.append(el("span", "badge", "bottleneck"));

      // The memory track is as long as this GPU is large next to the largest, so mixed pools read at a glance.
      const mem = el("span", "mem");
      mem.style.width = percent(gpu.memGB / memMax);
      const weights = el("span", "mem-weights");
      weights.style.width = percent(gpu.usedGB / gpu.memGB);
      mem.append(weights, el("span", "mem-free"));
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
    }),
  );
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
