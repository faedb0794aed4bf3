// npm run bench:migration: re-placement after demand drifts. How close a few
// moves get to the unconstrained optimum, and how much a warm start saves.
import { Bench } from "tinybench";
import { createSolver, evaluate, type Problem } from "../dist/index.js";
import { drifted, fleet } from "./generate.js";

const solver = await createSolver();
const DRIFTS = 10;

const budgets = [0, 1, 2, 4, 8];
for (const [gpus, models] of [
  [8, 32],
  [50, 250],
] as const) {
  const sums = new Map<number | "free" | "warm", { kvpr: number; moves: number }>();
  for (let seed = 1; seed <= DRIFTS; seed++) {
    const base = fleet(gpus, models, seed);
    const before = solver.solve(base, { exact: false });
    const problem = drifted(base, before.assignment, 0.3, seed);
    const free = solver.solve(problem, { timeLimitMs: 2000 });
    const add = (key: number | "free" | "warm", kvpr: number, moves: number) => {
      const s = sums.get(key) ?? { kvpr: 0, moves: 0 };
      sums.set(key, { kvpr: s.kvpr + kvpr / free.maxKvpr, moves: s.moves + moves });
    };
    add("free", free.maxKvpr, free.moves.length);
    const warm = solver.solve(problem, { warmStart: true, timeLimitMs: 2000 });
    add("warm", warm.maxKvpr, warm.moves.length);
    for (const k of budgets) {
      if (k === 0) add(k, evaluate(problem, before.assignment).maxKvpr, 0);
      else {
        const sol = solver.solve(problem, { maxMoves: k, timeLimitMs: 500 });
        add(k, sol.maxKvpr, sol.moves.length);
      }
    }
  }
  console.log(`\n${gpus} GPUs × ${models} models, ${DRIFTS} drifts (rates ±30%, 5% of models spiking 3×)\n`);
  console.log("| moves allowed | mean max KVPR / unconstrained | mean moves made |");
  console.log("|---|---:|---:|");
  for (const key of [...budgets, "warm" as const, "free" as const]) {
    const s = sums.get(key)!;
    const label = key === 0 ? "0 (stay put)" : key === "free" ? "unlimited (the optimum)" : key === "warm" ? "unlimited, warm start" : String(key);
    console.log(`| ${label} | ${(s.kvpr / DRIFTS).toFixed(4)} | ${(s.moves / DRIFTS).toFixed(1)} |`);
  }
}

console.log("\nWarm start (previous placement as `currentGpu`, `warmStart: true`) vs cold, after a ±10% drift:\n");
console.log("| size | cold | warm | cold / warm | warm max KVPR / cold |");
console.log("|---|---:|---:|---:|---:|");
for (const [gpus, models] of [
  [40, 200],
  [400, 2000],
  [1000, 5000],
] as const) {
  const base = fleet(gpus, models, 11);
  const problem = drifted(base, solver.solve(base, { exact: false }).assignment, 0.1, 11);
  const cold: Problem = { ...problem, models: problem.models.map(({ currentGpu: _, ...m }) => m) };
  const bench = new Bench({ time: 1000, iterations: 5 });
  bench.add("cold", () => solver.solve(cold, { exact: false }));
  bench.add("warm", () => solver.solve(problem, { exact: false, warmStart: true }));
  await bench.run();
  const [c, w] = bench.tasks.map((t) => (t.result.state === "completed" ? t.result.latency.mean : NaN)) as [number, number];
  const quality = solver.solve(problem, { exact: false, warmStart: true }).maxKvpr / solver.solve(cold, { exact: false }).maxKvpr;
  console.log(`| ${models} models | ${c.toFixed(2)} ms | ${w.toFixed(2)} ms | ${(c / w).toFixed(1)}× | ${quality.toFixed(4)} |`);
}
