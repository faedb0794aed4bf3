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
 * models (a colocated set lost whole goes to one node as one) — by pressure,
 * and by memory when that finds no room or breaks the cap — then moved among
 * the survivors by the local search with every other model held in place,
 * which lowers the max KVPR the loss leaves. A loss survives when every lost
 * model found room and, with `failoverKvpr`, that max KVPR stays within it.
 * With `untilFailure`, the report stops at the first loss that does not
 * survive (a search needs no more).
 */
export function failoverReport(
  kernels: Kernels,
  inst: Instance,
  assignment: ArrayLike<number>,
  level: "gpu" | "node",
  failoverKvpr = Infinity,
  untilFailure = false,
): FailoverReport {
  const ws = kernels.workspace(inst.n, inst.g, inst.k, inst.m);
  loadInstance(ws, inst);
  const placed = Int32Array.from(assignment);
  ws.assign.set(placed);
  kernels.rebuild();
  const code = LEVEL_CODES[level];
  const domainOf = (j: number) => (code === LEVEL_GPU ? j : (inst.node[j] as number));
  const domains = code === LEVEL_GPU ? inst.g : inst.nodeNames.length;
  const gpusOf: number[][] = Array.from({ length: domains }, () => []);
  for (let j = 0; j < inst.g; j++) gpusOf[domainOf(j)]?.push(j);
  const lostOf: number[][] = Array.from({ length: domains }, () => []);
  for (let i = 0; i < inst.n; i++) lostOf[domainOf(placed[i] as number)]?.push(i);
  const loss = new Loss(kernels, ws, placed, Int32Array.from(ws.pin));
  const losses: FailoverLoss[] = [];
  for (let u = 0; u < domains; u++) {
    const lost = lostOf[u] as number[];
    const gpus = gpusOf[u] as number[];
    // Pressure first; by memory when that finds no room or breaks the cap (the better of the two is kept).
    let value = loss.replace(code, u, lost, Completion.byDemand);
    let to = lost.map((i) => ws.assign[i] as number);
    loss.restore(gpus, lost);
    if (value < 0 || value > failoverKvpr) {
      const second = loss.replace(code, u, lost, Completion.byMemory);
      if (second >= 0 && (value < 0 || second < value)) value = second;
      if (value === second || to.some((j) => j < 0)) to = lost.map((i) => ws.assign[i] as number);
      loss.restore(gpus, lost);
    }
    const moves: Move[] = [];
    lost.forEach((i, t) => {
      if ((to[t] as number) >= 0) moves.push({ model: i, from: placed[i] as number, to: to[t] as number });
    });
    const found = value >= 0;
    const survives = found && value <= failoverKvpr * (1 + FAILOVER_SLACK);
    losses.push({
      lost: code === LEVEL_GPU ? (inst.gpuIds[u] as string) : (inst.nodeNames[u] as string),
      gpus,
      survives,
      maxKvpr: found ? value : Infinity,
      moves,
    });
    if (untilFailure && !survives) break;
  }
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

/** One loss at a time on a loaded placement: re-placed, then undone model by model (a rebuild per loss would cost the whole pool). */
class Loss {
  constructor(
    private readonly kernels: Kernels,
    private readonly ws: Workspace,
    private readonly placed: Int32Array,
    private readonly pins: Int32Array,
  ) {}

  /** The loss of domain u re-placed in `by` order, then spread by the local search; returns the max KVPR after, -1 when a model fits nowhere. */
  replace(code: number, u: number, lost: readonly number[], by: number): number {
    const value = this.kernels.loseDomain(code, u, by);
    return value > 0 && lost.length > 0 ? this.spread(lost) : value;
  }

  /** Back to the placement: the lost GPUs' memory, and the lost models on them. */
  restore(gpus: readonly number[], lost: readonly number[]): void {
    for (const j of gpus) this.ws.gFloor[j] = this.ws.gSpare[j] as number;
    for (const i of lost) this.kernels.moveTo(i, this.placed[i] as number);
  }

  /**
   * The local search over the lost models alone: every other model is pinned
   * where it is for the while (a lost model's own pin went with its GPU), then
   * the pins are restored. Returns the max KVPR it ends at.
   */
  private spread(lost: readonly number[]): number {
    const { ws, kernels } = this;
    ws.pin.set(ws.assign);
    for (const i of lost) ws.pin[i] = -1;
    kernels.improve(LOCAL_OPTIMUM, Infinity, Infinity);
    ws.pin.set(this.pins);
    return kernels.maxKvpr();
  }
}
