// The instances that push a time limit hardest, and the slack kvplace documents
// for them (README, "Limits"). Shared by test/time-limit.test.ts and bench/limits.ts.
import type { Model, Problem } from "../dist/index.js";
import { bursty, diurnal, fleet } from "./generate.js";

export type HardCase = { name: string; problem: () => Problem; exact?: boolean };

/**
 * How far past `timeLimitMs` a solve of `models` × `gpus` may return: the
 * longest work kvplace cannot interrupt. Before its first placement a solve
 * validates, bounds and packs (a pack visits every model × GPU pair, and up to
 * four packs run when packs run out of memory); after it, one local-search
 * step (the bottleneck's models, about models/GPUs, against every model) or
 * one slice of GPU ranking or exact search (up to GPUs² pairs). Each demand
 * scenario past the first adds to every model × GPU visit of a pack.
 * Measured with bench/limits.ts on 2 cores, Node 20, both engines, with room
 * for a loaded machine.
 */
export function slackMs(models: number, gpus: number, scenarios = 1): number {
  return 50 + 40e-6 * models * gpus + 20e-6 * ((models * models) / gpus) + 2e-6 * gpus * gpus + 4e-6 * models * gpus * (scenarios - 1);
}

const withEmpty = (p: Problem, count: number): Problem => {
  const empty: Model[] = Array.from({ length: count }, () => ({ sizeGB: 0, reqRate: 0, slo: 1 }));
  return { ...p, models: [...p.models, ...empty] };
};

/** g + 1 models too big to share a GPU, with small ones: infeasible, though all weights fit in all memory. */
function overfull(g: number, n: number): Problem {
  const models: Model[] = [];
  for (let i = 0; i < n; i++) models.push(i <= g ? { sizeGB: 41 + (i % 7), reqRate: 1 + (i % 3), slo: 1 } : { sizeGB: 0.01, reqRate: 1, slo: 5 });
  return { gpus: g, models };
}

/** At or near every limit, and the shapes whose single kernel calls are longest; two ordinary fleets first, for scale. */
export const HARD_CASES: readonly HardCase[] = [
  { name: "fleet, 100 GPUs × 1,000 models", problem: () => fleet(100, 1000, 1) },
  { name: "fleet, 1,000 GPUs × 5,000 models", problem: () => fleet(1000, 5000, 1) },
  { name: "fleet, 4,096 GPUs × 20,480 models", problem: () => fleet(4096, 20480, 2) },
  { name: "fleet, 4,096 GPUs × 20,480 models, 97% of memory", problem: () => fleet(4096, 20480, 4, 0.97) },
  { name: "fleet, 4,096 GPUs × 32,768 models, 95% of memory (the most models × GPUs)", problem: () => fleet(4096, 32768, 2, 0.95) },
  { name: "2 GPUs × 8,192 models (the most models per GPU)", problem: () => fleet(2, 8192, 1) },
  { name: "8 GPUs × 16,384 models", problem: () => fleet(8, 16384, 3) },
  { name: "32 GPUs × 32,768 models, half of them empty", problem: () => withEmpty(fleet(32, 16384, 5), 16384) },
  { name: "4,096 GPUs × 64 models, exact search", problem: () => fleet(4096, 64, 6, 0.001), exact: true },
  { name: "4,096 GPUs × 12,000 models, exact search", problem: () => fleet(4096, 12000, 3, 0.8), exact: true },
  { name: "4,096 GPUs × 5,000 models, more big models than GPUs (infeasible)", problem: () => overfull(4096, 5000) },
  { name: "1,000 GPUs × 5,000 models, 24 diurnal hours", problem: () => diurnal(fleet(1000, 5000, 1), 24, 1) },
  { name: "4,096 GPUs × 20,480 models, 25 bursts (the most models × GPUs × scenarios)", problem: () => bursty(fleet(4096, 20480, 2), 25, 2) },
];
