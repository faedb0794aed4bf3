import { Completion, type Kernels } from "../engine/kernels.js";
import { LEVEL_GPU, LEVEL_NODE } from "../engine/ts/kernels/topology.js";
import { loadInstance, type Workspace } from "../engine/workspace.js";
import type { Instance } from "../input/instance.js";
import type { FailoverLoss, FailoverReport, Move } from "../types.js";

/** A failover level as the kernels number it. */
const LEVEL_CODES = { gpu: LEVEL_GPU, node: LEVEL_NODE } as const;
/** Step cap of the re-placement's local search: it stops at a local optimum long before. */
const LOCAL_OPTIMUM = 1 << 30;
/** A loss stays within `failoverKvpr` when its max KVPR exceeds it by no more than this relative slack (rounding). */
export const FAILOVER_SLACK = 1e-12;

/**
 * What every single loss of a GPU or node does to a placement: the lost
 * models are placed again on the survivors, everything else staying put,
 * within memory, KV floors and every group, by the greedy that places new
 * models (a colocated set lost whole goes to one node as one), then moved
 * among the survivors by the local search with every other model held in
 * place, which lowers the max KVPR the loss leaves. A loss survives when
 * every lost model found room, and, with `failoverKvpr`, that max KVPR stays
 * within it.
 */
export function failoverReport(
  kernels: Kernels,
  inst: Instance,
  assignment: ArrayLike<number>,
  level: "gpu" | "node",
  failoverKvpr = Infinity,
): FailoverReport {
  const ws = kernels.workspace(inst.n, inst.g, inst.k, inst.m);
  loadInstance(ws, inst);
  const placed = Int32Array.from(assignment);
  const code = LEVEL_CODES[level];
  const domainOf = (j: number) => (code === LEVEL_GPU ? j : (inst.node[j] as number));
  const domains = code === LEVEL_GPU ? inst.g : inst.nodeNames.length;
  const gpusOf: number[][] = Array.from({ length: domains }, () => []);
  for (let j = 0; j < inst.g; j++) gpusOf[domainOf(j)]?.push(j);
  const lostOf: number[][] = Array.from({ length: domains }, () => []);
  for (let i = 0; i < inst.n; i++) lostOf[domainOf(placed[i] as number)]?.push(i);
  const pins = Int32Array.from(ws.pin);
  const losses: FailoverLoss[] = [];
  for (let u = 0; u < domains; u++) {
    const lost = lostOf[u] as number[];
    // Pressure first; by memory when that finds no room or breaks the cap (the better of the two is kept).
    let value = replace(kernels, ws, placed, code, u, lost, pins, Completion.byDemand);
    let to = Int32Array.from(ws.assign);
    if (value < 0 || value > failoverKvpr) {
      const second = replace(kernels, ws, placed, code, u, lost, pins, Completion.byMemory);
      if (second >= 0 && (value < 0 || second < value)) {
        value = second;
        to = Int32Array.from(ws.assign);
      } else if (value < 0) to = Int32Array.from(ws.assign);
    }
    const moves: Move[] = [];
    for (const i of lost) if ((to[i] as number) >= 0) moves.push({ model: i, from: placed[i] as number, to: to[i] as number });
    const found = value >= 0;
    losses.push({
      lost: code === LEVEL_GPU ? (inst.gpuIds[u] as string) : (inst.nodeNames[u] as string),
      gpus: gpusOf[u] as number[],
      survives: found && value <= failoverKvpr * (1 + FAILOVER_SLACK),
      maxKvpr: found ? value : Infinity,
      moves,
    });
  }
  ws.assign.set(placed);
  kernels.rebuild();
  let worst = -1;
  for (let u = 0; u < losses.length; u++) if (worst < 0 || (losses[u] as FailoverLoss).maxKvpr > (losses[worst] as FailoverLoss).maxKvpr) worst = u;
  return {
    level,
    losses,
    survives: losses.every((l) => l.survives),
    worstKvpr: worst < 0 ? 0 : (losses[worst] as FailoverLoss).maxKvpr,
    worst,
  };
}

/** One re-placement of the loss of domain u, from the placement `placed`, in `by` order then spread by the local search; leaves it in the workspace. */
function replace(kernels: Kernels, ws: Workspace, placed: Int32Array, code: number, u: number, lost: readonly number[], pins: Int32Array, by: number): number {
  ws.assign.set(placed);
  kernels.rebuild();
  const value = kernels.loseDomain(code, u, by);
  return value > 0 && lost.length > 0 ? spreadLost(kernels, ws, lost, pins) : value;
}

/**
 * The local search over the lost models alone: every other model is pinned
 * where it is for the while (a lost model's own pin went with its GPU), then
 * the pins are restored. Returns the max KVPR it ends at.
 */
function spreadLost(kernels: Kernels, ws: Workspace, lost: readonly number[], pins: Int32Array): number {
  ws.pin.set(ws.assign);
  for (const i of lost) ws.pin[i] = -1;
  kernels.improve(LOCAL_OPTIMUM, Infinity, Infinity);
  ws.pin.set(pins);
  return kernels.rebuild();
}
