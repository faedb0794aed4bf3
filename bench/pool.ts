// npm run bench:pool: the cheapest pool of one GPU type (planCapacity per type) against the
// mixed pool planPool finds, on generated requests of 10 to 2,000 models and 3 to 5 types.
import { cpus } from "node:os";
import { createSolver, PlacementError, type PoolRequest } from "../dist/index.js";
import { poolRequest } from "./generate.js";

/** Time limit of each pool plan; each single-type plan's solves get SOLVE_MS. */
const POOL_MS = 2000;
const SOLVE_MS = 200;
/** Requests: seed, models, types, target, and a stock of the largest type (unlimited without). */
const CASES: readonly (readonly [seed: number, models: number, types: number, target: number, largestStock?: number])[] = [
  [31, 10, 3, 0.05],
  [32, 50, 4, 0.05],
  [33, 200, 5, 0.05],
  [35, 1000, 5, 0.05],
  [36, 2000, 5, 0.05],
  [37, 200, 5, 0.1],
  [38, 1000, 5, 0.1],
  [39, 500, 5, 0.05, 60],
];

const solver = await createSolver();
const money = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "—");

/** The cheapest pool of a single type, by planCapacity on each type every model fits, within its stock: its name, count and cost. */
function cheapestSingle(request: PoolRequest): { text: string; cost: number } {
  let best = { text: "none", cost: Infinity };
  for (const type of request.gpuTypes) {
    try {
      const plan = solver.planCapacity({ models: request.models, gpuMemGB: type.memGB, targetKvpr: request.targetKvpr }, { timeLimitMs: SOLVE_MS });
      const cost = plan.gpus <= (type.available ?? Infinity) ? plan.gpus * type.cost : Infinity;
      if (cost < best.cost) best = { text: `${plan.gpus} × ${type.name}`, cost };
    } catch (e) {
      // A type some model does not fit, or cannot meet the target on, has no single-type pool.
      if (!(e instanceof PlacementError)) throw e;
    }
  }
  return best;
}

console.log(
  `planPool timeLimitMs ${POOL_MS} · ${new Date().toISOString().slice(0, 10)} · Node ${process.versions.node} · ${cpus()[0]?.model ?? "?"} × ${cpus().length}\n`,
);
console.log(
  "| models | types | target | largest type's stock | cheapest single type | its cost | mixed pool found | its cost | lower bound | gap to bound | saving | ms |",
);
console.log("|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|");
for (const [seed, models, types, targetKvpr, largestStock] of CASES) {
  const generated = poolRequest(seed, models, types);
  const largest = generated.gpuTypes.length - 1;
  const gpuTypes = generated.gpuTypes.map((t, j) => (j === largest && largestStock !== undefined ? { ...t, available: largestStock } : t));
  const request = { ...generated, gpuTypes, targetKvpr };
  const single = cheapestSingle(request);
  const start = performance.now();
  const plan = solver.planPool(request, { timeLimitMs: POOL_MS });
  const ms = performance.now() - start;
  const mix = request.gpuTypes
    .filter((t) => (plan.counts[t.name] ?? 0) > 0)
    .map((t) => `${plan.counts[t.name]} × ${t.name}`)
    .join(" + ");
  const gap = plan.optimal ? "0% (optimal)" : `${((plan.cost / plan.lowerBound - 1) * 100).toFixed(1)}%`;
  const saving = single.cost === Infinity ? "—" : `${((1 - plan.cost / single.cost) * 100).toFixed(1)}%`;
  console.log(
    `| ${models} | ${types} | ${targetKvpr} | ${largestStock ?? "unlimited"} | ${single.text} | ${money(single.cost)} | ${mix} | ${money(plan.cost)} | ${money(plan.lowerBound)} | ${gap} | ${saving} | ${Math.round(ms)} |`,
  );
}
