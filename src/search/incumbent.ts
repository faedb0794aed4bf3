import type { Kernels } from "../engine/kernels.js";
import type { Workspace } from "../engine/workspace.js";

/** Step cap of the local search: high enough that it always stops at a local optimum. */
const LOCAL_OPTIMUM = 1 << 30;

/** The best placement found so far, copied out of the workspace, and the clock it races. */
export class Incumbent {
  readonly assign: Int32Array;
  value = Infinity;
  readonly kernels: Kernels;
  readonly ws: Workspace;
  readonly lowerBound: number;
  private readonly deadline: number;

  constructor(kernels: Kernels, ws: Workspace, lowerBound: number, deadline: number) {
    this.kernels = kernels;
    this.ws = ws;
    this.lowerBound = lowerBound;
    this.deadline = deadline;
    this.assign = new Int32Array(ws.n);
  }

  /** Runs the local search on the workspace's placement and keeps the result if it beats the best. */
  offerLocalOptimum(): void {
    this.kernels.improve(LOCAL_OPTIMUM);
    const gKvpr = this.ws.gKvpr;
    let value = 0;
    for (let j = 0; j < gKvpr.length; j++) value = Math.max(value, gKvpr[j] as number);
    if (value < this.value) this.adopt(this.ws.assign, value);
  }

  /** Takes a placement known to reach `value` as the best. */
  adopt(assign: Int32Array, value: number): void {
    this.value = value;
    this.assign.set(assign);
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

  get outOfTime(): boolean {
    return performance.now() > this.deadline;
  }
}
