import { ScenarioCoverBound, unitPrice, type Covers } from "./cost-bound.js";
import type { PoolType } from "./gpu-types.js";

/** GPUs to buy per type (in the order of the type list) and what they cost. */
export type Purchase = { bought: number[]; cost: number };

type Node = { bought: number[]; depth: number; key: number };

/** Nodes the search may hold before it stops early, as when its time is up: memory stays small. */
const MAX_OPEN = 500_000;

/** What GPUs cost, summed in type order, so that equal purchases always cost the same to the last bit. */
export function purchaseCost(types: readonly PoolType[], bought: readonly number[]): number {
  let cost = 0;
  types.forEach((t, j) => {
    if ((bought[j] as number) > 0) cost += t.cost * (bought[j] as number);
  });
  return cost;
}

/**
 * Best-first branch and bound over how many GPUs of each type to buy, types
 * taken cheapest capacity first: a node fixes the counts of the first types,
 * its key is their cost plus the cover bound on the rest. Leaves (every count
 * fixed, every scenario's covers met) come out in increasing cost, each below `cutoff`.
 */
export class CountSearch {
  private readonly order: number[];
  private readonly bound: ScenarioCoverBound;
  private readonly open = new Heap();
  private stopped = false;

  constructor(
    private readonly types: readonly PoolType[],
    /** The covers of each demand scenario: a purchase must meet every one. */
    covers: readonly Covers[],
    /** Per type, the GPUs in the pool before any is bought (owned, and free ones). */
    private readonly base: readonly number[],
    /** Per type, the most GPUs that may be bought. */
    private readonly maxBuy: readonly number[],
    private readonly cutoff: number,
  ) {
    this.bound = new ScenarioCoverBound(covers, types);
    // A type's T·C is the same in every scenario, so any scenario's covers give the order.
    const units = covers[0] as Covers;
    this.order = types
      .map((_, j) => j)
      .sort((a, b) => unitPrice(types, units, a) - unitPrice(types, units, b) || (types[a] as PoolType).memGB - (types[b] as PoolType).memGB);
    const root: Node = {
      bought: types.map(() => 0),
      depth: 0,
      key: this.key(
        types.map(() => 0),
        0,
      ),
    };
    if (root.key < cutoff) this.open.push(root);
  }

  /** The next cheapest purchase that meets the covers, or undefined when none is left below the cutoff or the deadline passed. */
  next(deadline = Infinity): Purchase | undefined {
    for (;;) {
      const node = this.open.peek();
      if (node === undefined) return undefined;
      if (performance.now() > deadline || this.open.size > MAX_OPEN) {
        this.stopped = true;
        return undefined;
      }
      this.open.pop();
      if (node.depth === this.types.length) return { bought: node.bought, cost: node.key };
      this.expand(node);
    }
  }

  /**
   * No purchase not yet returned costs less than this: the least key still
   * open, or the cutoff when none is. After a stop, that is all the proof there is.
   */
  floor(): number {
    return this.open.peek()?.key ?? this.cutoff;
  }

  /** Whether `next` gave up on time or size, rather than running out of purchases. */
  get incomplete(): boolean {
    return this.stopped;
  }

  private expand(node: Node): void {
    const j = this.order[node.depth] as number;
    const price = (this.types[j] as PoolType).cost;
    for (let b = 0; b <= (this.maxBuy[j] as number); b++) {
      const bought = [...node.bought];
      bought[j] = b;
      const key = this.key(bought, node.depth + 1);
      if (key < this.cutoff) this.open.push({ bought, depth: node.depth + 1, key });
      // More of a type that costs something only costs more.
      else if (price > 0 && purchaseCost(this.types, bought) >= this.cutoff) break;
    }
  }

  /** A leaf's key is its exact cost; a node's, its cost so far plus the bound on the types not yet fixed. */
  private key(bought: readonly number[], depth: number): number {
    const fixed = new Set(this.order.slice(0, depth));
    const present = this.base.map((b, j) => b + (bought[j] as number));
    const extra = this.types.map((_, j) => (fixed.has(j) ? 0 : (this.maxBuy[j] as number)));
    const rest = this.bound.rest(present, extra);
    if (rest === Infinity) return Infinity;
    const spent = purchaseCost(this.types, bought);
    return depth === this.types.length ? spent : spent + rest;
  }
}

/** A binary heap of nodes: least key first, and among equal keys the deepest, so that leaves come out early. */
class Heap {
  private readonly items: Node[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Node | undefined {
    return this.items[0];
  }

  push(node: Node): void {
    const items = this.items;
    items.push(node);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(node, items[parent] as Node)) break;
      items[i] = items[parent] as Node;
      i = parent;
    }
    items[i] = node;
  }

  pop(): Node | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right] as Node, items[left] as Node) ? right : left;
      if (!before(items[child] as Node, last)) break;
      items[i] = items[child] as Node;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: Node, b: Node): boolean {
  return a.key < b.key || (a.key === b.key && a.depth > b.depth);
}
