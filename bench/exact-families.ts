// npm run bench:exact: how often the exact search proves the optimum within 1 s
// on generated families of up to 40 models and 12 GPUs, and the gap where not.
import { createSolver, PlacementError, type Problem } from "../dist/index.js";
import { EXACT_FAMILIES } from "./generate.js";

const PER_FAMILY = Number(process.argv[2] ?? 20);
const engine = (process.argv[3] ?? "wasm") as "wasm" | "ts";
const solver = await createSolver();

console.log(`${PER_FAMILY} instances per family, exact: true, timeLimitMs: 1000, engine ${engine}\n`);
console.log("| family | models | GPUs | proved in 1 s | mean ms when proved | mean gap when not | max gap |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
let provedAll = 0;
for (const [family, generate] of Object.entries(EXACT_FAMILIES)) {
  let proved = 0;
  let provedMs = 0;
  const gaps: number[] = [];
  let nMin = Infinity;
  let nMax = 0;
  let gMin = Infinity;
  let gMax = 0;
  for (let seed = 1; seed <= PER_FAMILY; seed++) {
    const problem: Problem = generate(seed);
    const g = typeof problem.gpus === "number" ? problem.gpus : problem.gpus.length;
    [nMin, nMax, gMin, gMax] = [Math.min(nMin, problem.models.length), Math.max(nMax, problem.models.length), Math.min(gMin, g), Math.max(gMax, g)];
    const start = performance.now();
    try {
      const sol = solver.solve(problem, { engine, exact: true, timeLimitMs: 1000 });
      if (sol.optimal) {
        proved++;
        provedMs += sol.stats.ms;
      } else gaps.push(sol.gap);
    } catch (e) {
      // A proof that no placement exists is a proof too.
      if (!(e instanceof PlacementError) || e.code !== "INFEASIBLE") throw e;
      proved++;
      provedMs += performance.now() - start;
    }
  }
  provedAll += proved;
  const mean = gaps.length ? `${((gaps.reduce((a, b) => a + b, 0) / gaps.length) * 100).toFixed(2)}%` : "–";
  const max = gaps.length ? `${(Math.max(...gaps) * 100).toFixed(2)}%` : "–";
  console.log(
    `| ${family} | ${nMin}–${nMax} | ${gMin}–${gMax} | ${proved}/${PER_FAMILY} | ${proved ? (provedMs / proved).toFixed(1) : "–"} | ${mean} | ${max} |`,
  );
}
const total = PER_FAMILY * Object.keys(EXACT_FAMILIES).length;
console.log(`\nproved ${provedAll}/${total} (${((100 * provedAll) / total).toFixed(0)}%)`);
