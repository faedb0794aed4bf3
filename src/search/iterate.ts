import { withinCost } from "../engine/ts/kernels/budget.js";
import type { Kernels } from "../engine/kernels.js";
import type { Workspace } from "../engine/workspace.js";
import type { Incumbent } from "./incumbent.js";

/**
 * Iterated local search: `rounds` times, from the best placement, a few random
 * moves or swaps of free models (or, half the time when there are some,
 * moves of a whole colocated set to another node, which the local search
 * cannot make), then the local search again; the best is kept. `random` is
 * seeded by the caller, so a seed replays the same rounds.
 */
export function iterate(inc: Incumbent, rounds: number, random: () => number): void {
  const { ws } = inc;
  const free: number[] = [];
  for (let i = 0; i < ws.n; i++) if ((ws.pin[i] as number) < 0) free.push(i);
  if (free.length < 2 || ws.g < 2 || !Number.isFinite(inc.value)) return;
  const kick = new Kick(inc.kernels, ws, free, inc.budget, inc.costBudget, random);
  for (let r = 0; r < rounds && !inc.proven && !inc.outOfTime; r++) {
    inc.restore();
    kick.begin();
    const kicks = 1 + Math.floor(random() * 3);
    for (let t = 0; t < kicks; t++) kick.once();
    inc.kernels.rebuild();
    inc.offerLocalOptimum();
  }
}

/** Random moves and swaps on `assign` alone, within memory (KV floors and spares included), groups and the migration budgets. */
class Kick {
  /** Per GPU: weights, floors and spare. */
  private readonly used: Float64Array;
  /** The colocated sets none of whose models is pinned, each as its models, and the nodes (indices 0..nodes − 1). */
  private readonly sets: number[][];
  private readonly nodes: number;
  private moved = 0;
  private cost = 0;

  constructor(
    private readonly kernels: Kernels,
    private readonly ws: Workspace,
    private readonly free: number[],
    private readonly budget: number,
    private readonly costBudget: number,
    private readonly random: () => number,
  ) {
    this.used = new Float64Array(ws.g);
    const bySet = new Map<number, number[]>();
    for (let i = 0; i < ws.n; i++) {
      const c = ws.colo[i] as number;
      if (c >= 0) bySet.set(c, [...(bySet.get(c) ?? []), i]);
    }
    this.sets = [...bySet.values()].filter((set) => set.every((i) => (ws.pin[i] as number) < 0));
    this.nodes = ws.nodeHead.filter((j) => j >= 0).length;
  }

  /** Takes the sums of the placement just restored into the workspace. */
  begin(): void {
    const { ws } = this;
    for (let j = 0; j < ws.g; j++) this.used[j] = (ws.gSize[j] as number) + (ws.gFloor[j] as number);
    this.moved = 0;
    this.cost = 0;
    for (let i = 0; i < ws.n; i++) {
      if (!this.away(i, ws.assign[i] as number)) continue;
      this.moved++;
      this.cost += ws.moveCost[i] as number;
    }
  }

  /** One random move of a free model, or a random swap when memory forbids the move; or a colocated set's move. */
  once(): void {
    const { ws, used } = this;
    // Drawn only when there are sets: instances without them replay the rounds they always did.
    if (this.sets.length > 0 && this.random() < 0.5) {
      this.moveSet(this.sets[Math.floor(this.random() * this.sets.length)] as number[]);
      return;
    }
    const i = this.pick();
    const from = ws.assign[i] as number;
    let to = Math.floor(this.random() * (ws.g - 1));
    if (to >= from) to++;
    const si = this.room(i);
    if ((used[to] as number) + si <= (ws.cap[to] as number)) {
      this.apply(i, to, -1, from);
      return;
    }
    const j = this.pick();
    const other = ws.assign[j] as number;
    const sj = this.room(j);
    if (other === from) return;
    if ((used[from] as number) - si + sj <= (ws.cap[from] as number) && (used[other] as number) - sj + si <= (ws.cap[other] as number)) {
      this.apply(i, other, j, from);
    }
  }

  /** Moves i to `to` (and j, if any, to `back`) when groups and the budgets allow it. */
  private apply(i: number, to: number, j: number, back: number): void {
    const { ws, used } = this;
    let moved = this.moved + this.delta(i, to);
    let cost = this.cost + this.delta(i, to) * (ws.moveCost[i] as number);
    if (j >= 0) {
      moved += this.delta(j, back);
      cost += this.delta(j, back) * (ws.moveCost[j] as number);
    }
    const { kernels } = this;
    if (moved > this.budget || !withinCost(cost, this.costBudget) || kernels.clashes(i, to, j) === 1 || (j >= 0 && kernels.clashes(j, back, i) === 1)) return;
    this.moved = moved;
    this.cost = cost;
    const si = this.room(i);
    used[ws.assign[i] as number] = (used[ws.assign[i] as number] as number) - si;
    used[to] = (used[to] as number) + si;
    ws.assign[i] = to;
    if (j >= 0) {
      const sj = this.room(j);
      used[to] = (used[to] as number) - sj;
      used[back] = (used[back] as number) + sj;
      ws.assign[j] = back;
    }
  }

  /**
   * Moves a colocated set to a random other node, its models (largest first)
   * each to the GPU of the node with the most memory left that none of the
   * set took yet, when memory, groups and the budgets allow it.
   */
  private moveSet(set: readonly number[]): void {
    const { ws, used, kernels } = this;
    const from = ws.gNode[ws.assign[set[0] as number] as number] as number;
    if (this.nodes < 2) return;
    let v = Math.floor(this.random() * (this.nodes - 1));
    if (v >= from) v++;
    const gpus: number[] = [];
    for (let j = ws.nodeHead[v] as number; j >= 0; j = ws.nodeNext[j] as number) gpus.push(j);
    if (gpus.length < set.length) return;
    const order = [...set].sort((a, b) => this.room(b) - this.room(a) || a - b);
    const left = gpus.map((j) => (ws.cap[j] as number) - (used[j] as number));
    const to: number[] = [];
    for (const i of order) {
      let pick = -1;
      gpus.forEach((j, t) => {
        if (!to.includes(j) && (left[t] as number) >= this.room(i) && (pick < 0 || (left[t] as number) > (left[pick] as number))) pick = t;
      });
      if (pick < 0) return;
      to.push(gpus[pick] as number);
    }
    let moved = this.moved;
    let cost = this.cost;
    order.forEach((i, t) => {
      const d = this.delta(i, to[t] as number);
      moved += d;
      cost += d * (ws.moveCost[i] as number);
    });
    if (moved > this.budget || !withinCost(cost, this.costBudget)) return;
    const back = order.map((i) => ws.assign[i] as number);
    order.forEach((i, t) => {
      ws.assign[i] = to[t] as number;
    });
    if (order.some((i, t) => kernels.clashes(i, to[t] as number, -1) === 1)) {
      order.forEach((i, t) => {
        ws.assign[i] = back[t] as number;
      });
      return;
    }
    this.moved = moved;
    this.cost = cost;
    order.forEach((i, t) => {
      used[back[t] as number] = (used[back[t] as number] as number) - this.room(i);
      used[to[t] as number] = (used[to[t] as number] as number) + this.room(i);
    });
  }

  private pick(): number {
    return this.free[Math.floor(this.random() * this.free.length)] as number;
  }

  private away(i: number, g: number): boolean {
    const c = this.ws.current[i] as number;
    return c >= 0 && c !== g;
  }

  private delta(i: number, to: number): number {
    return (this.away(i, to) ? 1 : 0) - (this.away(i, this.ws.assign[i] as number) ? 1 : 0);
  }

  /** Memory model i takes: weights and KV floor. */
  private room(i: number): number {
    return (this.ws.size[i] as number) + (this.ws.kvFloor[i] as number);
  }
}
