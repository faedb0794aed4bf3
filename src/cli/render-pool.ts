// A pool plan as text: the GPUs per type and what they cost, the bound on that cost, then the placement table.
import type { PoolPlan, PoolRequest } from "../planning/pool.js";
import { formatGB, formatKvpr, renderSolution, type RenderOptions } from "./render.js";

/** Costs with up to six significant digits: prices are given by people, in any unit. */
const formatCost = (x: number): string => String(Number(x.toPrecision(6)));

export function renderPool(request: PoolRequest, plan: PoolPlan, options: RenderOptions = {}): string {
  const inPool = request.gpuTypes.filter((t) => (plan.counts[t.name] ?? 0) > 0);
  const mix = inPool.map((t) => `${plan.counts[t.name]} × ${t.name}`).join(" + ");
  const rows = request.gpuTypes.map((t) => {
    const count = plan.counts[t.name] ?? 0;
    const owned = Math.min(count, t.owned ?? 0);
    return [t.name, `${formatGB(t.memGB)} GB`, formatCost(t.cost), String(owned), String(count - owned), formatCost(t.cost * (count - owned))];
  });
  const table = [["type", "memory", "cost/GPU", "owned", "bought", "cost"], ...rows];
  const widths = table[0]!.map((_, k) => Math.max(...table.map((r) => r[k]!.length)));
  const lines = table.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join("  "));
  const proof = plan.optimal
    ? `cost ${formatCost(plan.cost)} · no pool that meets the target costs less (proved)`
    : `cost ${formatCost(plan.cost)} · proven lower bound ${formatCost(plan.lowerBound)} · gap ${formatCost((plan.cost / plan.lowerBound - 1) * 100)}%`;
  const gpus = plan.solution.gpus.map((g) => ({ id: g.id, memGB: g.memGB }));
  const { models, scenarios } = request;
  const problem = scenarios === undefined ? { gpus, models } : { gpus, models, scenarios };
  const every = scenarios === undefined ? "" : ` in every one of ${scenarios.length} demand scenarios`;
  return [
    `a pool of ${mix} keeps the max KVPR at or below ${formatKvpr(request.targetKvpr)}${every}`,
    "",
    ...lines,
    "",
    proof,
    "",
    renderSolution(problem, plan.solution, { ...options, moves: false }),
  ].join("\n");
}
