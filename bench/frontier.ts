// npm run bench:frontier: the move frontier after a demand drift. How long it
// takes against one cold solve, how its points compare with a solve at each
// budget, and what a move-cost budget buys over a count budget per GB moved.
import { Bench } from "tinybench";
import { createSolver, type Problem } from "../dist/index.js";
import { drifted, fleet, mixedFleet } from "./generate.js";

const solver = await createSolver();
const DRIFTS = 10;
const BUDGETS = Array.from({ length: 33 }, (_, k) => k);

/** A fleet after a ±30% drift from its solved placement, every model on the GPU it had. */
function afterDrift(base: Problem, seed: number): Problem {
  return drifted(base, solver.solve(base, { exact: false }).assignment, 0.3, seed);
}

const withoutCurrent = (p: Problem): Problem => ({ ...p, models: p.models.map(({ currentGpu: _, ...m }) => m) });

console.log(`\nFrontier for budgets 0–32 vs one cold solve, 50 GPUs × 250 models after a drift (mean of tinybench runs):\n`);
console.log("| drift seed | cold solve | frontier (33 points) | frontier / cold | 33 separate solves |");
console.log("|---|---:|---:|---:|---:|");
for (const seed of [1, 2, 3]) {
  const problem = afterDrift(fleet(50, 250, seed), seed);
  const cold = withoutCurrent(problem);
  const bench = new Bench({ time: 1500, iterations: 10 });
  bench.add("cold", () => solver.solve(cold));
  bench.add("frontier", () => solver.moveFrontier(problem, { budgets: BUDGETS }));
  bench.add("separate", () => {
    for (const maxMoves of BUDGETS) solver.solve(problem, { maxMoves });
  });
  await bench.run();
  const [c, f, s] = bench.tasks.map((t) => (t.result.state === "completed" ? t.result.latency.mean : NaN)) as [number, number, number];
  console.log(`| ${seed} | ${c.toFixed(1)} ms | ${f.toFixed(1)} ms | ${(f / c).toFixed(2)}× | ${s.toFixed(1)} ms |`);
}

console.log(`\nFrontier points vs a solve at the same budget (budgets 0–32, exact: false, ${DRIFTS} drifts per size):\n`);
console.log("| size | points | frontier lower | equal | frontier higher | worst frontier / solve | mean frontier / solve |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [gpus, models] of [
  [8, 32],
  [20, 100],
  [50, 250],
] as const) {
  const tally = { points: 0, lower: 0, equal: 0, higher: 0, worst: 0, sum: 0 };
  for (let seed = 1; seed <= DRIFTS; seed++) {
    const problem = afterDrift(fleet(gpus, models, seed), seed);
    const frontier = solver.moveFrontier(problem, { budgets: BUDGETS, exact: false });
    for (const p of frontier.points) {
      const ratio = p.maxKvpr / solver.solve(problem, { maxMoves: p.budget, exact: false }).maxKvpr;
      tally.points++;
      tally.sum += ratio;
      tally.worst = Math.max(tally.worst, ratio);
      if (ratio < 1 - 1e-12) tally.lower++;
      else if (ratio > 1 + 1e-12) tally.higher++;
      else tally.equal++;
    }
  }
  const { points, lower, equal, higher, worst, sum } = tally;
  console.log(`| ${gpus} GPUs × ${models} models | ${points} | ${lower} | ${equal} | ${higher} | ${worst.toFixed(4)} | ${(sum / points).toFixed(4)} |`);
}

console.log(`\nMove cost: GB moved against max KVPR, 50 GPUs × 250 models of four sizes in the ratio 7 : 13 : 18 : 35 (70% full), ${DRIFTS} drifts.`);
console.log("Each cost budget is the GB that the count budget on its row moved on the same fleet:\n");
console.log(
  "| count budget | GB moved | max KVPR / unconstrained | cost budget: GB moved | max KVPR / unconstrained | cost frontier: GB moved | max KVPR / unconstrained |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|");
const COUNTS = [1, 2, 4, 8, 16, 32];
const rows = COUNTS.map(() => ({ countGB: 0, countKvpr: 0, costGB: 0, costKvpr: 0, frontierGB: 0, frontierKvpr: 0 }));
for (let seed = 1; seed <= DRIFTS; seed++) {
  const problem = afterDrift(mixedFleet(50, 250, seed), seed);
  const free = solver.solve(problem, { timeLimitMs: 2000 });
  const byCount = COUNTS.map((maxMoves) => solver.solve(problem, { maxMoves, timeLimitMs: 500 }));
  const frontier = solver.moveFrontier(problem, { by: "cost", budgets: byCount.map((s) => s.moveCost), timeLimitMs: 500 });
  byCount.forEach((count, k) => {
    const byCost = solver.solve(problem, { maxMoveCost: count.moveCost, timeLimitMs: 500 });
    const point = frontier.points.find((p) => p.budget === count.moveCost)!;
    const row = rows[k]!;
    row.countGB += count.moveCost / DRIFTS;
    row.countKvpr += count.maxKvpr / free.maxKvpr / DRIFTS;
    row.costGB += byCost.moveCost / DRIFTS;
    row.costKvpr += byCost.maxKvpr / free.maxKvpr / DRIFTS;
    row.frontierGB += point.moveCost / DRIFTS;
    row.frontierKvpr += point.maxKvpr / free.maxKvpr / DRIFTS;
  });
}
COUNTS.forEach((maxMoves, k) => {
  const r = rows[k]!;
  const cells = [r.countGB.toFixed(1), r.countKvpr.toFixed(4), r.costGB.toFixed(1), r.costKvpr.toFixed(4), r.frontierGB.toFixed(1), r.frontierKvpr.toFixed(4)];
  console.log(`| ${maxMoves} | ${cells.join(" | ")} |`);
});
