import { Completion, type Kernels, Ordering, Policy } from "../engine/kernels.js";
import { LEVEL_GPU, LEVEL_NODE } from "../engine/ts/kernels/topology.js";
import { loadInstance, type Workspace } from "../engine/workspace.js";
import type { Instance } from "../input/instance.js";
import type { FailoverLoss, FailoverReport, Move } from "../types.js";
import { Exhaustive } from "./exhaustive.js";
import { within } from "./within.js";

/** A failover level as the kernels number it. */
const LEVEL_CODES = { gpu: LEVEL_GPU, node: LEVEL_NODE } as const;
/** Step cap of the re-placement's local search: it stops at a local optimum long before. */
const LOCAL_OPTIMUM = 1 << 30;

/**
 * What every single loss of a GPU or node does to a placement: the lost
 * models are placed again on the survivors, everything else staying put,
 * within memory, KV floors and every group, by the greedy that places new
 * models (a colocated set lost whole goes to one node as one) — by pressure,
 * and by memory when that finds no room or breaks the cap — then moved among
 * the survivors by the local search with every other model held in place,
 * which lowers the max KVPR the loss leaves. A loss survives when every lost
 * model found room without leaving a GPU full with demand (an infinite KVPR)
 * and, with `failoverKvpr`, that max KVPR stays within it.
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
  let exhaustive: Exhaustive | undefined;
  for (let u = 0; u < domains; u++) {
    const lost = lostOf[u] as number[];
    const gpus = gpusOf[u] as number[];
    // Pressure first; by memory when that finds no room or breaks the cap; the better is kept.
    let found = loss.attempt(code, u, gpus, lost, Completion.byDemand);
    if (!within(found.value, failoverKvpr)) found = better(found, loss.attempt(code, u, gpus, lost, Completion.byMemory));
    // Then as a pack at the cap (or the placement's own max KVPR), best fit: the large models keep the large rooms.
    if (!within(found.value, failoverKvpr) && lost.length > 0) {
      const target = failoverKvpr < Infinity ? failoverKvpr : kernels.maxKvpr();
      found = better(found, loss.packed(gpus, lost, target, Policy.bestFit));
      if (!within(found.value, failoverKvpr)) found = better(found, loss.packed(gpus, lost, target, Policy.minMax));
    }
    // What the greedy misses on a small loss, enumeration of the lost models' GPUs settles.
    if (!within(found.value, failoverKvpr) && lost.length <= EXHAUSTIVE_MODELS) {
      exhaustive ??= new Exhaustive(inst, level, failoverKvpr);
      const lostHere = new Set(gpus);
      const best = exhaustive.bestReplacement(placed, (j) => lostHere.has(j), { left: EXHAUSTIVE_BRANCHES });
      if (best !== undefined) found = better(found, { value: best.value, to: lost.map((i) => best.to[i] as number) });
    }
    const moves: Move[] = [];
    lost.forEach((i, t) => {
      if ((found.to[t] as number) >= 0) moves.push({ model: i, from: placed[i] as number, to: found.to[t] as number });
    });
    const survives = within(found.value, failoverKvpr);
    losses.push({
      lost: code === LEVEL_GPU ? (inst.gpuIds[u] as string) : (inst.nodeNames[u] as string),
      gpus,
      survives,
      maxKvpr: found.value >= 0 ? found.value : Infinity,
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

/** Lost models up to which a loss the greedy cannot re-place is enumerated, and the branches it may take. */
const EXHAUSTIVE_MODELS = 8;
const EXHAUSTIVE_BRANCHES = 20_000;

/**
 * A re-placement: its max KVPR (-1 when a model found no room) and each lost
 * model's GPU (-1 for one without room, or whose GPU it leaves full with
 * demand: such a move is no re-placement).
 */
type Found = { value: number; to: number[] };

/** The re-placement that survives, else of lower max KVPR, else that places more models. */
function better(a: Found, b: Found): Found {
  const placed = (f: Found) => f.to.filter((j) => j >= 0).length;
  if (within(a.value, Infinity) !== within(b.value, Infinity)) return within(a.value, Infinity) ? a : b;
  if (a.value >= 0 && b.value >= 0) return b.value < a.value ? b : a;
  return placed(b) > placed(a) ? b : a;
}

/** One loss at a time on a loaded placement: re-placed, then undone model by model (a rebuild per loss would cost the whole pool). */
class Loss {
  constructor(
    private readonly kernels: Kernels,
    private readonly ws: Workspace,
    private readonly placed: Int32Array,
    private readonly pins: Int32Array,
  ) {}

  /** The loss of domain u re-placed in `by` order, then spread by the local search; read out, then undone. */
  attempt(code: number, u: number, gpus: readonly number[], lost: readonly number[], by: number): Found {
    const value = this.kernels.loseDomain(code, u, by);
    return this.finish(gpus, lost, value);
  }

  /**
   * The lost models packed anew at `target` by weight with `policy`, every
   * other model pinned where it is and the lost GPUs given no room (an
   * infinite spare, which the pack's reset turns into their floor); then
   * spread, read out and undone.
   */
  packed(gpus: readonly number[], lost: readonly number[], target: number, policy: number): Found {
    const { ws, kernels, placed } = this;
    ws.pin.set(placed);
    for (const i of lost) ws.pin[i] = -1;
    const spares = gpus.map((j) => ws.gSpare[j] as number);
    for (const j of gpus) ws.gSpare[j] = Infinity;
    const value = kernels.pack(target, Ordering.weight, policy);
    ws.pin.set(this.pins);
    gpus.forEach((j, t) => {
      ws.gSpare[j] = spares[t] as number;
    });
    // The lost GPUs keep their infinite floor until restore: the spread must not use them either.
    return this.finish(gpus, lost, value);
  }

  /** Spreads a re-placement of `value` (-1: none), reads where the lost models went, and undoes it. */
  private finish(gpus: readonly number[], lost: readonly number[], reached: number): Found {
    const { ws } = this;
    const value = reached > 0 && lost.length > 0 ? this.spread(lost) : reached;
    const to = lost.map((i) => {
      const j = ws.assign[i] as number;
      return j >= 0 && (ws.gKvpr[j] as number) < Infinity ? j : -1;
    });
    this.restore(gpus, lost);
    return { value, to };
  }

  /** Back to the placement: the lost GPUs' memory, and the lost models on them. */
  private restore(gpus: readonly number[], lost: readonly number[]): void {
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
