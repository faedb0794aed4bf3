/**
 * Move costs are summed in floating point, in whatever order the search
 * places models, so a total may differ from the same costs summed in input
 * order by a few ulps: a cost within this relative slack of the budget is
 * within it, for the kernels and the independent check alike.
 */
export const COST_SLACK: f64 = 1e-9;

/** Whether moves costing `cost` in all fit a move-cost budget (Infinity: none). */
export function withinCost(cost: f64, budget: f64): bool {
  return cost <= budget + COST_SLACK * Math.max(1, budget);
}
