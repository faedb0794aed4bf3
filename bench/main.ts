// npm start: every algorithm on the bundled ADRS cases, one table.
import { createSolver, evaluate, type Problem } from "../dist/index.js";
import { loadSuite } from "./adrs50.js";
import { greedy, roundRobin } from "./baselines.js";

const REPEATS = 20;
const suitePath = process.argv[2] ?? new URL("../bench/data/adrs50.json", import.meta.url);
const suite = loadSuite(suitePath);
const solver = await createSolver();

type Row = { algorithm: string; place: (p: Problem) => { assignment: number[]; optimal?: boolean } };
const rows: Row[] = [
  { algorithm: "round-robin", place: (p) => ({ assignment: roundRobin(p) }) },
  { algorithm: "greedy", place: (p) => ({ assignment: greedy(p) }) },
  { algorithm: "kvplace heuristic (wasm)", place: (p) => solver.solve(p, { exact: false }) },
  { algorithm: "kvplace exact (wasm)", place: (p) => solver.solve(p, { exact: true }) },
  { algorithm: "kvplace exact (ts)", place: (p) => solver.solve(p, { exact: true, engine: "ts" }) },
];

const table = rows.map(({ algorithm, place }) => {
  let sum = 0;
  let atOptimum = 0;
  let proved = 0;
  let infeasible = 0;
  for (const c of suite) {
    const result = place(c.problem);
    const { maxKvpr, feasible } = evaluate(c.problem, result.assignment);
    if (!feasible) infeasible++;
    sum += maxKvpr;
    if (Math.abs(maxKvpr / c.optimum - 1) <= 1e-9) atOptimum++;
    if (result.optimal) proved++;
  }
  const start = performance.now();
  for (let r = 0; r < REPEATS; r++) for (const c of suite) place(c.problem);
  const us = ((performance.now() - start) * 1000) / (REPEATS * suite.length);
  return [algorithm, (sum / suite.length).toFixed(7), `${atOptimum}/${suite.length}`, `${proved}`, `${infeasible}`, us.toFixed(1)];
});

const optimum = suite.reduce((a, c) => a + c.optimum, 0) / suite.length;
console.log(`${suite.length} cases; mean proven optimum ${optimum.toFixed(7)}\n`);
console.log("| algorithm | mean max KVPR | at optimum | proved optimal | infeasible | µs per case |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const row of table) console.log(`| ${row.join(" | ")} |`);
