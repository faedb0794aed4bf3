// The traffic of a control plane re-planning all day: mostly small instances of
// every family, now and then a fleet, a tight time limit and node budget, some
// instances rejected. Shared by test/stability.test.ts and bench/stability.ts.
import type { Problem, SolveOptions } from "../dist/index.js";
import { FAMILIES, fleet } from "./generate.js";
import { workspaceBytes } from "../dist/engine/workspace.js";

const families = Object.values(FAMILIES);

/** The largest instance of the mix: solved first, it sizes the WebAssembly memory once and for all. */
export const LARGEST = { gpus: 400, models: 2000 } as const;

/** The k-th instance of the mix. */
export function mixed(k: number): Problem {
  if (k % 1000 === 999) return fleet(LARGEST.gpus, LARGEST.models, k);
  if (k % 100 === 99) return fleet(50, 250, k);
  return families[k % families.length]!(1 + (k % 997));
}

/** The k-th solve's options: one in five on the TypeScript engine. */
export function mixedOptions(k: number): SolveOptions {
  return { engine: k % 5 === 4 ? "ts" : "wasm", timeLimitMs: 20, maxNodes: 20_000, seed: k };
}

/** WebAssembly memory README documents for a largest instance of `models` × `gpus`: a page of static data and the workspace, in 64 KiB pages. */
export function memoryBound(models: number, gpus: number): number {
  const page = 65536;
  return page * (1 + Math.ceil(workspaceBytes(models, gpus) / page));
}
