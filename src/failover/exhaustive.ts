import { LEVEL_GPU } from "../engine/ts/kernels/topology.js";
import type { Instance } from "../input/instance.js";
import { breaksGroup, groupMembers } from "../input/topology.js";
import { kvpr, MEM_EPS } from "../kvpr.js";
import { FAILOVER_SLACK } from "./within.js";

/** Where models go and what that leaves: GPU sums per scenario, weights, floors. A GPU of -1 is none. */
type Sums = { assign: Int32Array; load: Float64Array[]; size: Float64Array; floor: Float64Array };

/** A search's share of work, counted in branches; past it the search gives up. */
export type Budget = { left: number };

/**
 * Exhaustive search over small instances, with every constraint checked from
 * the instance (memory with KV floors, pins, spread groups and colocated
 * sets): the placements of least max KVPR that survive every loss of a level,
 * and the best re-placement of one loss. What the heuristics miss on a few
 * GPUs and models, enumeration settles, and a finished search is a proof.
 */
export class Exhaustive {
  private readonly members: number[][];

  constructor(
    private readonly inst: Instance,
    private readonly level: "gpu" | "node",
    private readonly failoverKvpr: number,
  ) {
    this.members = groupMembers(inst);
  }

  /**
   * The placement of least max KVPR below `bound` whose every loss survives,
   * by branch and bound over models (largest first) and GPUs; undefined when
   * there is none below the bound. `finished` says whether the search ran
   * out of branches (a proof) or of budget.
   */
  bestSurvivable(bound: number, budget: Budget): { assign: Int32Array | undefined; value: number; finished: boolean } {
    const { inst } = this;
    const order = Array.from({ length: inst.n }, (_, i) => i).sort((a, b) => this.room(b) - this.room(a) || this.peak(b) - this.peak(a) || a - b);
    const sums = this.empty();
    let best: Int32Array | undefined;
    let value = bound;
    const place = (depth: number): void => {
      if (budget.left <= 0) return;
      if (depth === inst.n) {
        const reached = this.maxKvpr(sums);
        if (reached < value && this.survivesAll(sums, budget)) {
          best = Int32Array.from(sums.assign);
          value = reached;
        }
        return;
      }
      const i = order[depth] as number;
      const pinned = inst.pin[i] as number;
      for (let j = 0; j < inst.g; j++) {
        if ((pinned >= 0 && j !== pinned) || !this.fits(sums, i, j) || this.breaks(sums.assign, i, j)) continue;
        // GPUs alike and still empty lead to the same subtrees: the first of them stands for all.
        if (pinned < 0 && this.twinBefore(sums, j)) continue;
        budget.left--;
        this.add(sums, i, j);
        if (this.kvprOf(sums, j) < value) place(depth + 1);
        this.remove(sums, i, j);
      }
    };
    place(0);
    return { assign: best, value, finished: budget.left > 0 };
  }

  /**
   * The re-placement of the models on `lost` GPUs of least max KVPR over the
   * survivors, everything else staying put; undefined when none exists (or
   * the budget ran out first). `stopAt`: any re-placement at or below it will
   * do (the first found is returned).
   */
  bestReplacement(assignment: ArrayLike<number>, lost: (j: number) => boolean, budget: Budget, stopAt = -1): { to: Int32Array; value: number } | undefined {
    const { inst } = this;
    const sums = this.empty();
    const moving: number[] = [];
    for (let i = 0; i < inst.n; i++) {
      const j = assignment[i] as number;
      if (lost(j)) moving.push(i);
      else this.add(sums, i, j);
    }
    moving.sort((a, b) => this.room(b) - this.room(a) || a - b);
    let best: Int32Array | undefined;
    let value = Infinity;
    let base = 0;
    for (let j = 0; j < inst.g; j++) if (!lost(j)) base = Math.max(base, this.kvprOf(sums, j));
    const place = (depth: number, reached: number): boolean => {
      if (budget.left <= 0) return false;
      if (depth === moving.length) {
        best = Int32Array.from(sums.assign);
        value = reached;
        return reached <= stopAt;
      }
      const i = moving[depth] as number;
      for (let j = 0; j < inst.g; j++) {
        if (lost(j) || !this.fits(sums, i, j) || this.breaks(sums.assign, i, j)) continue;
        budget.left--;
        this.add(sums, i, j);
        const k = Math.max(reached, this.kvprOf(sums, j));
        const done = k < value && k < Infinity && place(depth + 1, k);
        this.remove(sums, i, j);
        if (done) return true;
      }
      return false;
    };
    if (base < Infinity) place(0, base);
    return best === undefined ? undefined : { to: best, value };
  }

  /** Whether every loss of the level has a re-placement within the cap (all KVPRs finite). */
  private survivesAll(sums: Sums, budget: Budget): boolean {
    const { inst } = this;
    const domains = this.level === "gpu" ? inst.g : inst.nodeNames.length;
    const domainOf = (j: number) => (this.level === "gpu" ? j : (inst.node[j] as number));
    const held = new Uint8Array(domains);
    for (let i = 0; i < inst.n; i++) held[domainOf(sums.assign[i] as number)] = 1;
    const limit = this.failoverKvpr * (1 + FAILOVER_SLACK);
    for (let u = 0; u < domains; u++) {
      if (held[u] === 0) continue;
      const found = this.bestReplacement(sums.assign, (j) => domainOf(j) === u, budget, limit);
      if (found === undefined || !(found.value <= limit)) return false;
    }
    return true;
  }

  private empty(): Sums {
    const { inst } = this;
    return {
      assign: new Int32Array(inst.n).fill(-1),
      load: inst.demands.map(() => new Float64Array(inst.g)),
      size: new Float64Array(inst.g),
      floor: new Float64Array(inst.g),
    };
  }

  private add(sums: Sums, i: number, j: number): void {
    sums.assign[i] = j;
    this.inst.demands.forEach((d, k) => {
      (sums.load[k] as Float64Array)[j] = ((sums.load[k] as Float64Array)[j] as number) + (d[i] as number);
    });
    sums.size[j] = (sums.size[j] as number) + (this.inst.size[i] as number);
    sums.floor[j] = (sums.floor[j] as number) + (this.inst.floor[i] as number);
  }

  private remove(sums: Sums, i: number, j: number): void {
    sums.assign[i] = -1;
    this.inst.demands.forEach((d, k) => {
      (sums.load[k] as Float64Array)[j] = ((sums.load[k] as Float64Array)[j] as number) - (d[i] as number);
    });
    sums.size[j] = (sums.size[j] as number) - (this.inst.size[i] as number);
    sums.floor[j] = (sums.floor[j] as number) - (this.inst.floor[i] as number);
  }

  private fits(sums: Sums, i: number, j: number): boolean {
    const { inst } = this;
    return (sums.size[j] as number) + (sums.floor[j] as number) + (inst.size[i] as number) + (inst.floor[i] as number) <= (inst.cap[j] as number) + MEM_EPS;
  }

  /** GPU j's worst KVPR over the scenarios. */
  private kvprOf(sums: Sums, j: number): number {
    const free = (this.inst.cap[j] as number) - (sums.size[j] as number);
    let worst = 0;
    for (const load of sums.load) worst = Math.max(worst, kvpr(load[j] as number, free));
    return worst;
  }

  private maxKvpr(sums: Sums): number {
    let worst = 0;
    for (let j = 0; j < this.inst.g; j++) worst = Math.max(worst, this.kvprOf(sums, j));
    return worst;
  }

  /** Whether an earlier GPU is empty, alike and sited alike (same node when any group or loss cares). */
  private twinBefore(sums: Sums, j: number): boolean {
    const { inst } = this;
    if ((sums.size[j] as number) > 0 || sums.load.some((l) => (l[j] as number) > 0) || this.holdsAny(sums, j)) return false;
    for (let h = 0; h < j; h++) {
      if (inst.cap[h] !== inst.cap[j] || (sums.size[h] as number) > 0 || this.holdsAny(sums, h)) continue;
      if (inst.node[h] === inst.node[j] || (this.level === "gpu" && inst.groupLevel.every((l) => l === LEVEL_GPU))) return true;
    }
    return false;
  }

  private holdsAny(sums: Sums, j: number): boolean {
    return sums.assign.includes(j);
  }

  /** Whether model i on GPU h breaks a group with a model placed in `assign`. */
  private breaks(assign: Int32Array, i: number, h: number): boolean {
    const { inst } = this;
    for (let e = inst.memberStart[i] as number; e < (inst.memberStart[i + 1] as number); e++) {
      const k = inst.memberGroup[e] as number;
      const level = inst.groupLevel[k] as number;
      for (const j of this.members[k] as number[]) {
        const a = assign[j] as number;
        if (j !== i && a >= 0 && breaksGroup(inst, level, i, h, j, a)) return true;
      }
    }
    return false;
  }

  private room(i: number): number {
    return (this.inst.size[i] as number) + (this.inst.floor[i] as number);
  }

  private peak(i: number): number {
    let most = 0;
    for (const d of this.inst.demands) most = Math.max(most, d[i] as number);
    return most;
  }
}
