import type { Engine } from "../types.js";
import type { Workspace } from "./workspace.js";

/** Orderings of the items a pack places, most demanding first. */
export const Ordering = { weight: 0, pressure: 1, demandPerGB: 2 } as const;
/** The orders in which `complete` places models. */
export const Completion = { byDemand: 0, byMemory: 1 } as const;
/** How a pack picks among the GPUs an item fits on. */
export const Policy = { bestFit: 0, minMax: 1, hybrid: 2 } as const;

/**
 * The hot loops, written once in assembly/kernels/ and compiled twice: by asc
 * into kvplace.wasm and by tsc into the TypeScript engine (engine/ts/). Every
 * kernel reads and writes the bound workspace only, so both engines stay
 * interchangeable and return the same results bit for bit.
 */
export interface Kernels {
  readonly engine: Engine;
  /**
   * A workspace for `n` models, `g` GPUs, `k` demand scenarios (default 1) and `m` membership entries
   * (default 0), reusing memory; earlier views are dead after this.
   */
  workspace(n: number, g: number, k?: number, m?: number): Workspace;
  /** Sorts `order[0..count)` by `key[model]` descending, ties by model index ascending. */
  sortByKey(count: number): void;
  /**
   * Weighs every model at target `T` (demand of scenario `s` times `demandWeight`, plus T·size) into `key` and gives
   * a lower bound on the bins of capacity `B` they need (Martello–Toth L2; 0 with no model over B/2, their count when
   * they outnumber the GPUs); `order` is left sorted by weight when it sorted.
   */
  binsAtLeast(T: number, demandWeight: number, s: number, B: number): number;
  /** Recomputes GPU sums, member lists and KVPRs from `assign`; returns the max KVPR. */
  rebuild(): number;
  /** Places unpinned models by descending demand on the GPU of lowest resulting KVPR; returns the max KVPR, -1 if stuck. */
  greedy(): number;
  /** The same for the unassigned models only, keeping the others in place, by demand (`by` = 0) or by memory, the most first (1). */
  complete(by: number): number;
  /** Packs at target `T` with re-tuning; returns the max KVPR reached, -1 if memory ran out. */
  pack(T: number, ordering: number, policy: number): number;
  /**
   * Local search off the bottleneck GPU, at most `maxSteps` accepted steps, `maxMoved` moved models and
   * `maxCost` of move cost; returns the steps taken.
   */
  improve(maxSteps: number, maxMoved: number, maxCost: number): number;
  /** Returns moved models to their current GPU where every GPU stays at KVPR ≤ `limit`; gives how many returned. */
  settle(limit: number): number;
  /** Models of the workspace's placement that are off their current GPU. */
  movedCount(): number;
  /** Their move cost in all. */
  movedCost(): number;
  /** Moves model i to GPU g (-1: off every GPU), keeping the GPU sums. */
  moveTo(i: number, g: number): void;
  /** The highest KVPR of any GPU. */
  maxKvpr(): number;
  /** Starts the exact search for a placement better than `incumbent` (Infinity: any placement) within `maxMoved` moves costing at most `maxCost`. */
  exactStart(incumbent: number, maxMoved: number, maxCost: number): void;
  /** Continues it for at most `maxNodes` nodes; 1 when the tree is exhausted (the best is optimal), else 0. */
  exactRun(maxNodes: number): number;
  /** Max KVPR of the best placement the search found, in `exBest`; Infinity if none beat the incumbent. */
  exactBest(): number;
  /** Nodes the search has opened since it started. */
  exactNodes(): number;
  /** 1 when model i on GPU h would break one of its spread groups or colocated sets (ignoring model `except`), judged on `assign` alone; else 0. */
  clashes(i: number, h: number, except: number): number;
  /**
   * Loses GPU `u` (level 0) or node `u` (level 1): its models are placed again on the survivors (by `complete`
   * in the order `by`), the rest staying put; returns the max KVPR after, -1 if a lost model fits nowhere. `rebuild` restores the GPUs.
   */
  loseDomain(level: number, u: number, by: number): number;
}

export type KernelName = Exclude<keyof Kernels, "engine" | "workspace">;

/** Every kernel of the contract: a Record over the union, so the list cannot miss one. */
const KERNEL_SET: Record<KernelName, true> = {
  sortByKey: true,
  binsAtLeast: true,
  rebuild: true,
  greedy: true,
  complete: true,
  pack: true,
  improve: true,
  settle: true,
  movedCount: true,
  movedCost: true,
  moveTo: true,
  maxKvpr: true,
  exactStart: true,
  exactRun: true,
  exactBest: true,
  exactNodes: true,
  clashes: true,
  loseDomain: true,
};
export const KERNEL_NAMES = Object.keys(KERNEL_SET) as KernelName[];
