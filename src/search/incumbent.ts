import type { Kernels } from "../engine/kernels.js";
import type { Workspace } from "../engine/workspace.js";
import type { Instance } from "../input/instance.js";
import { BISECT_TOL } from "../bounds/lower-bounds.js";
import { violations } from "../report/violations.js";

/** A placement this near the lower bound, relative, asks for the bound just below it: a few times the bisection's tolerance. */
const SHARPEN_WITHIN = 4 * BISECT_TOL;
/** Step cap of the local search: high enough that it always stops at a local optimum. */
const LOCAL_OPTIMUM = 1 << 30;

/**
 * The best valid placement found so far, copied out of the workspace, and the
 * clock it races. Whatever a kernel produced, a placement is kept only after
 * an independent check of memory, pins, groups and the migration budget.
 */
export class Incumbent {
  /** A plain array: a typed one of more than 64 bytes has a backing store of its own, about 1 µs to allocate in Node 20. */
  readonly assign: number[];
  value = Infinity;
  readonly kernels: Kernels;
  readonly ws: Workspace;
  private readonly inst: Instance;
  /** The best proven lower bound: raised by `sharpen` when a placement comes near it. */
  lowerBound: number;
  /** The most models that may end off their current GPU. */
  readonly budget: number;
  /** The most their move costs may add up to. */
  readonly costBudget: number;
  private readonly deadline: number;
  /** A proven lower bound near a placement's value (or the bound it is given): see packingBoundBelow. */
  private readonly sharpen: (value: number, bound: number) => number;

  constructor(
    kernels: Kernels,
    ws: Workspace,
    inst: Instance,
    lowerBound: number,
    budget: number,
    costBudget: number,
    deadline: number,
    sharpen: (value: number, bound: number) => number,
  ) {
    this.kernels = kernels;
    this.ws = ws;
    this.inst = inst;
    this.lowerBound = lowerBound;
    this.budget = budget;
    this.costBudget = costBudget;
    this.deadline = deadline;
    this.sharpen = sharpen;
    this.assign = new Array<number>(ws.n).fill(-1);
  }

  /** Runs the local search on the workspace's placement and keeps the result if it beats the best. */
  offerLocalOptimum(): void {
    this.kernels.improve(LOCAL_OPTIMUM, this.budget, this.costBudget);
    const value = this.current();
    if (value < this.value) this.adopt(this.ws.assign, value);
  }

  /** Returns needlessly moved models of the best placement to their current GPU, keeping its max KVPR. */
  settle(): void {
    if (!Number.isFinite(this.value)) return;
    this.restore();
    this.kernels.settle(this.value);
    this.adopt(this.ws.assign, this.current());
  }

  /** Max KVPR of the workspace's placement. */
  private current(): number {
    const gKvpr = this.ws.gKvpr;
    let value = 0;
    for (let j = 0; j < this.ws.g; j++) value = Math.max(value, gKvpr[j] as number);
    return value;
  }

  /** Takes a placement that reaches `value` as the best, if it is valid; says whether it did. */
  adopt(assign: ArrayLike<number>, value: number): boolean {
    if (violations(this.inst, assign, this.budget, this.costBudget).length > 0) return false;
    this.keep(assign, value);
    if (!this.proven && value <= this.lowerBound * (1 + SHARPEN_WITHIN)) this.lowerBound = this.sharpen(value, this.lowerBound);
    return true;
  }

  /**
   * Takes another incumbent's best when it is better, and its bound when higher: that placement passed the same
   * check for the same instance and budgets when the other kept it, so it is not checked again.
   */
  takeFrom(other: Incumbent): void {
    if (other.value < this.value) this.keep(other.assign, other.value);
    this.lowerBound = Math.max(this.lowerBound, other.lowerBound);
  }

  /** Makes a checked placement the best. */
  private keep(assign: ArrayLike<number>, value: number): void {
    this.value = value;
    for (let i = 0; i < assign.length; i++) this.assign[i] = assign[i] as number;
  }

  /** Loads the best placement back into the workspace. */
  restore(): void {
    this.ws.assign.set(this.assign);
    this.kernels.rebuild();
  }

  /** True once the best meets the lower bound: nothing can beat it. */
  get proven(): boolean {
    return this.value <= this.lowerBound * (1 + 1e-12);
  }

  /** Milliseconds left before the deadline. */
  get msLeft(): number {
    return this.deadline - performance.now();
  }

  get outOfTime(): boolean {
    return this.msLeft < 0;
  }
}
