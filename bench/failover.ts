// npm run bench:failover: the price of safety and the scale of failover.
// On generated pools (nodes in zones, tensor-parallel shards, replicas):
// the max KVPR with no failure when every single GPU or node loss must be
// survived, against the placement made without that demand, and the max KVPR
// after the worst loss for each; then, with failoverKvpr, what capping that
// worst loss costs. Last, 512 nodes × 8 GPUs with 10,000 models, failover
// "node", timed.
import { createSolver, evaluateFailover, PlacementError, type Problem, type Solution, type SolveOptions } from "../dist/index.js";
import { topologyPool } from "./topology.js";

const solver = await createSolver();
/**
 * Pools of the price table: seed and nodes. Tensor-parallel replicas of at most
 * 4 shards: a GPU loss must leave a replica's node a GPU for the lost shard,
 * which a replica as wide as every node it fits cannot have.
 */
const POOLS: [number, number][] = [
  [1, 8],
  [2, 16],
  [3, 32],
];
/**
 * Caps tried, as shares of the worst loss of the placement made without failover (of the uncapped failover
 * answer when that placement does not survive).
 */
const CAP_SHARES = [0.9, 0.75];
/** Timed runs at scale, after one to warm up; the median is reported (the machine may be shared). */
const RUNS = Number(process.env["KVPLACE_RUNS"] ?? 3);

const gpuCount = (p: Problem) => (typeof p.gpus === "number" ? p.gpus : p.gpus.length);
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : "∞");
const times = (x: number) => `${x.toFixed(2)}×`;

type Outcome = { solution: Solution; ms: number } | { error: string; ms: number };

function attempt(problem: Problem, options: SolveOptions): Outcome {
  const start = performance.now();
  try {
    return { solution: solver.solve(problem, options), ms: performance.now() - start };
  } catch (e) {
    if (e instanceof PlacementError) return { error: e.code, ms: performance.now() - start };
    throw e;
  }
}

console.log("## The price of safety\n");
console.log("| pool | loss | failoverKvpr | max KVPR, no failure | × without failover | worst loss after | without failover: worst loss | ms |");
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const [seed, nodes] of POOLS) {
  const problem = topologyPool(seed, { nodes, maxShards: 4 });
  const name = `${nodes} nodes, ${gpuCount(problem)} GPUs, ${problem.models.length} models`;
  const plain = solver.solve(problem);
  for (const level of ["gpu", "node"] as const) {
    const plainWorst = evaluateFailover(problem, plain.assignment, { failover: level }).worstKvpr;
    let basis = plainWorst;
    for (const share of [undefined, ...CAP_SHARES]) {
      const cap = share === undefined ? undefined : share * basis;
      // No surviving answer without a cap: nothing to scale a cap from.
      if (cap !== undefined && !Number.isFinite(cap)) break;
      const run = attempt(problem, { failover: level, ...(cap === undefined ? {} : { failoverKvpr: cap }) });
      const capText = cap === undefined ? "–" : fmt(cap);
      if ("error" in run) {
        console.log(`| ${name} | ${level} | ${capText} | ${run.error} | | | ${fmt(plainWorst)} | ${run.ms.toFixed(0)} |`);
        if (cap === undefined) break;
        continue;
      }
      const { solution } = run;
      const worst = Math.max(...(solution.failover ?? []).map((l) => l.maxKvpr));
      if (cap === undefined && !Number.isFinite(basis)) basis = worst;
      console.log(
        `| ${name} | ${level} | ${capText} | ${fmt(solution.maxKvpr)} | ${times(solution.maxKvpr / plain.maxKvpr)} | ${fmt(worst)} | ${fmt(plainWorst)} | ${run.ms.toFixed(0)} |`,
      );
    }
  }
}

console.log("\n## Scale: 512 nodes × 8 GPUs, 10,000 models, failover node\n");
const big = topologyPool(1, { nodes: 512, gpusPerNode: 8, models: 10_000 });
const shards = big.models.filter((m) => m.colocate !== undefined).length;
console.log(`${gpuCount(big)} GPUs in 512 nodes, ${big.models.length} models (${shards} tensor-parallel shards)\n`);
console.log("| engine | failover | median s | max KVPR | lower bound | worst loss after |");
console.log("|---|---|---:|---:|---:|---:|");
for (const engine of ["wasm", "ts"] as const) {
  for (const failover of [undefined, "node"] as const) {
    const options: SolveOptions = { engine, ...(failover === undefined ? {} : { failover }) };
    let last: Solution | undefined;
    const ms: number[] = [];
    for (let r = 0; r <= RUNS; r++) {
      const start = performance.now();
      last = solver.solve(big, options);
      if (r > 0) ms.push(performance.now() - start);
    }
    const s = last as Solution;
    const median = (ms.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number) / 1000;
    const worst = s.failover === undefined ? "–" : fmt(Math.max(...s.failover.map((l) => l.maxKvpr)));
    console.log(`| ${engine} | ${failover ?? "none"} | ${median.toFixed(2)} | ${fmt(s.maxKvpr)} | ${fmt(s.lowerBound)} | ${worst} |`);
  }
}
