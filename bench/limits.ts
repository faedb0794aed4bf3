// npm run bench:limits: how far past timeLimitMs each hard instance returns, in
// both engines, next to the slack README documents. The figures behind LIMITS.
import { cpus } from "node:os";
import { createSolver, PlacementError, type Problem } from "../dist/index.js";
import { HARD_CASES, slackMs } from "./hard.js";

const LIMITS_MS = [1, 10, 100];
const REPEATS = 2;
const solver = await createSolver();

const count = (p: Problem) => ({ n: p.models.length, g: typeof p.gpus === "number" ? p.gpus : p.gpus.length, k: p.scenarios?.length ?? 1 });

console.log(`${new Date().toISOString().slice(0, 10)} · Node ${process.versions.node} · ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}`);
console.log("| instance | engine | outcome | worst ms past the limit (limit 1 / 10 / 100 ms) | documented slack |");
console.log("|---|---|---|---:|---:|");
let worstShare = 0;
for (const c of HARD_CASES) {
  const problem = c.problem();
  const { n, g, k } = count(problem);
  const slack = slackMs(n, g, k);
  for (const engine of ["wasm", "ts"] as const) {
    const past: string[] = [];
    let outcome = "";
    for (const timeLimitMs of LIMITS_MS) {
      let worst = -Infinity;
      for (let r = 0; r < REPEATS; r++) {
        const start = performance.now();
        try {
          const sol = solver.solve(problem, { engine, timeLimitMs, exact: c.exact ?? "auto" });
          outcome = `gap ${sol.gap.toExponential(1)}`;
        } catch (e) {
          if (!(e instanceof PlacementError)) throw e;
          outcome = e.code;
        }
        worst = Math.max(worst, performance.now() - start - timeLimitMs);
      }
      worstShare = Math.max(worstShare, worst / slack);
      past.push(worst.toFixed(0));
    }
    console.log(`| ${c.name} | ${engine} | ${outcome} | ${past.join(" / ")} | ${slack.toFixed(0)} |`);
  }
}
console.log(`\nWorst overshoot: ${(100 * worstShare).toFixed(0)}% of the documented slack.`);

const start = performance.now();
try {
  solver.solve({ gpus: 8, models: Array.from({ length: 100_000 }, () => ({ sizeGB: 1, reqRate: 1, slo: 1 })) });
} catch (e) {
  console.log(`100,000 models: ${(e as PlacementError).code} in ${(performance.now() - start).toFixed(2)} ms`);
}
