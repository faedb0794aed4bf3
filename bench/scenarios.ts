// npm run bench:scenarios: one placement for every demand scenario. What the
// robust placement gains over placing for the mean demand or for one scenario,
// how it scales (24 scenarios on 1,000 GPUs × 5,000 models, both engines), and
// what the SIMD build of the kernels gains over the scalar one.
import { readFileSync } from "node:fs";
import { createSolver, evaluate, type Problem, type SolveOptions } from "../dist/index.js";
import { adrsLike, bursty, diurnal, fleet } from "./generate.js";
import { interleaved } from "./interleave.js";
import { formatTime } from "./kernel-tasks.js";

const solver = await createSolver();
const SEEDS = 3;
/** Timed runs per engine at scale, after one to warm up; the median is reported (the machine may be shared). */
const RUNS = 3;

function medianMs(run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

/** The same models with no scenarios and, as their rate, the mean over the scenarios (the summed demand places the same). */
function meanDemand(p: Problem): Problem {
  const scenarios = p.scenarios ?? [];
  const models = p.models.map((m, i) => ({ ...m, reqRate: scenarios.reduce((sum, s) => sum + (s.reqRate[i] as number), 0) / scenarios.length }));
  return { gpus: p.gpus, models };
}

/** Worst max KVPR over all scenarios of the best placement made for one scenario alone. */
function bestSingle(p: Problem, timeLimitMs: number): number {
  let best = Infinity;
  for (const s of p.scenarios ?? []) {
    const one = solver.solve({ ...p, scenarios: [s] }, { timeLimitMs });
    best = Math.min(best, evaluate(p, one.assignment).maxKvpr);
  }
  return best;
}

const FAMILIES: [string, (seed: number) => Problem, number][] = [
  ["ADRS-like, 6 diurnal hours (exact)", (seed) => diurnal(adrsLike(seed), 6, seed), 2000],
  ["50 GPUs × 250 models, 24 diurnal hours", (seed) => diurnal(fleet(50, 250, seed), 24, seed), 300],
  ["50 GPUs × 250 models, 8 bursts", (seed) => bursty(fleet(50, 250, seed), 8, seed), 300],
];

console.log(`\nWorst max KVPR over all scenarios, mean of ${SEEDS} seeds, relative to the robust placement's\n`);
console.log("| scenario set | robust (kvplace, all scenarios) | placed for the mean demand | best single-scenario placement | lower bound |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, generate, timeLimitMs] of FAMILIES) {
  const sum = { mean: 0, single: 0, bound: 0, proved: 0 };
  for (let seed = 1; seed <= SEEDS; seed++) {
    const p = generate(seed);
    const robust = solver.solve(p, { timeLimitMs });
    sum.mean += evaluate(p, solver.solve(meanDemand(p), { timeLimitMs }).assignment).maxKvpr / robust.maxKvpr;
    sum.single += bestSingle(p, timeLimitMs) / robust.maxKvpr;
    sum.bound += robust.lowerBound / robust.maxKvpr;
    if (robust.optimal) sum.proved++;
  }
  const cell = (x: number) => `${(x / SEEDS).toFixed(3)}`;
  const proved = sum.proved > 0 ? ` (${sum.proved}/${SEEDS} proved optimal)` : "";
  console.log(`| ${name} | 1${proved} | ${cell(sum.mean)} | ${cell(sum.single)} | ${cell(sum.bound)} |`);
}

console.log("\n24 scenarios on 1,000 GPUs × 5,000 models (`timeLimitMs: 5000`; the solve ends at a local optimum first)\n");
console.log("| scenario set | WASM | TS | TS / WASM | max KVPR / lower bound | engines agree |");
console.log("|---|---:|---:|---:|---:|---|");
for (const [name, p] of [
  ["24 diurnal hours", diurnal(fleet(1000, 5000, 1), 24, 1)],
  ["24 bursts", bursty(fleet(1000, 5000, 1), 24, 1)],
] as const) {
  const options = { timeLimitMs: 5000 };
  const w = medianMs(() => solver.solve(p, { ...options, engine: "wasm" }));
  const t = medianMs(() => solver.solve(p, { ...options, engine: "ts" }));
  const wasm = solver.solve(p, { ...options, engine: "wasm" });
  const ts = solver.solve(p, { ...options, engine: "ts" });
  const agree = JSON.stringify(wasm.assignment) === JSON.stringify(ts.assignment);
  console.log(
    `| ${name} | ${(w / 1000).toFixed(2)} s | ${(t / 1000).toFixed(2)} s | ${(t / w).toFixed(2)}× | ${(1 + wasm.gap).toFixed(4)} | ${agree ? "yes" : "no"} |`,
  );
}

// The scan over scenarios is the one place the SIMD build differs from the scalar one (for runtimes without SIMD).
const BUILD_ROUNDS = 5;
const BUILD_ROUND_MS = 400;
const builds = await Promise.all(
  ["kvplace.wasm", "kvplace-scalar.wasm"].map((file) => createSolver({ wasm: readFileSync(new URL(`../dist/engine/wasm/${file}`, import.meta.url)) })),
);
console.log(
  `\nkvplace.wasm (SIMD) against kvplace-scalar.wasm: process CPU time per solve, median of ${BUILD_ROUNDS} interleaved rounds of ${BUILD_ROUND_MS} ms\n`,
);
console.log("| instance | SIMD | scalar | scalar / SIMD | same placement |");
console.log("|---|---:|---:|---:|---|");
for (const [name, p, options] of [
  ["ADRS-like, no scenarios (exact)", adrsLike(1), {}],
  ["ADRS-like, 6 diurnal hours (exact)", diurnal(adrsLike(1), 6, 1), {}],
  ["50 GPUs × 250 models, 24 diurnal hours", diurnal(fleet(50, 250, 1), 24, 1), { exact: false }],
  ["50 GPUs × 250 models, 8 bursts", bursty(fleet(50, 250, 1), 8, 1), { exact: false }],
  ["1,000 GPUs × 5,000 models, 24 diurnal hours", diurnal(fleet(1000, 5000, 1), 24, 1), { exact: false }],
] as [string, Problem, SolveOptions][]) {
  const contenders = builds.map((b, k) => ({ name: String(k), run: () => void b.solve(p, options) }));
  const [simd, scalar] = (await interleaved(contenders, BUILD_ROUNDS, BUILD_ROUND_MS)) as [number, number];
  const same = JSON.stringify(builds[0]!.solve(p, options).assignment) === JSON.stringify(builds[1]!.solve(p, options).assignment);
  console.log(`| ${name} | ${formatTime(simd)} | ${formatTime(scalar)} | ${(scalar / simd).toFixed(2)}× | ${same ? "yes" : "no"} |`);
}
