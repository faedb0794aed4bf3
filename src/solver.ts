import { createTsKernels } from "./engine/ts/index.js";
import { PlacementError } from "./errors.js";
import { bindWasm } from "./engine/wasm/binding.js";
import { planCapacityWith, type CapacityPlan, type CapacityRequest } from "./planning/capacity.js";
import { moveFrontierWith } from "./frontier.js";
import { planPoolWith, type PoolPlan, type PoolRequest } from "./planning/pool.js";
import { Arena } from "./input/slab.js";
import { solveWith } from "./solve.js";
import type { FrontierOptions, MoveFrontier, Problem, Solution, SolveOptions } from "./types.js";

/** A solver owns one WASM instance and its workspace, reused across calls; its methods are synchronous. */
export type Solver = {
  solve(problem: Problem, options?: SolveOptions): Solution;
  /** The best max KVPR within each of a series of move (or move-cost) budgets, never increasing, each with its placement. */
  moveFrontier(problem: Problem, options?: FrontierOptions): MoveFrontier;
  /** The fewest GPUs of one kind that keep the max KVPR at or below a target. */
  planCapacity(request: CapacityRequest, options?: SolveOptions): CapacityPlan;
  /** The cheapest pool of several GPU types (priced, in limited stock, some owned) that keeps the max KVPR at or below a target. */
  planPool(request: PoolRequest, options?: SolveOptions): PoolPlan;
  /**
   * Bytes of WebAssembly memory the solver holds: the module's static data and
   * the workspace of the largest instance it has solved, in 64 KiB pages. It
   * grows only when an instance needs more and never shrinks (read-only).
   */
  memoryBytes(): number;
};

export type SolverInit = {
  /** The compiled kvplace.wasm, or its bytes, for hosts that load it themselves (CSP, CDN, edge). */
  wasm?: WebAssembly.Module | BufferSource;
};

export async function instantiateSolver(module: WebAssembly.Module): Promise<Solver> {
  const instance = await instantiate(module);
  const wasm = bindWasm(instance);
  const ts = createTsKernels();
  const memory = instance.exports["memory"] as WebAssembly.Memory;
  const arena = new Arena();
  const solve = (problem: Problem, options?: SolveOptions) => solveWith(options?.engine === "ts" ? ts : wasm, problem, options, {}, arena);
  return {
    solve,
    moveFrontier: (problem, options) => moveFrontierWith(options?.engine === "ts" ? ts : wasm, problem, options),
    planCapacity: (request, options) => planCapacityWith(solve, request, options),
    planPool: (request, options) => planPoolWith(solve, request, options),
    memoryBytes: () => memory.buffer.byteLength,
  };
}

/** kvplace.wasm imports nothing: a module that does is another file, refused by name. */
async function instantiate(module: WebAssembly.Module): Promise<WebAssembly.Instance> {
  try {
    return await WebAssembly.instantiate(module, {});
  } catch (e) {
    throw new PlacementError("WASM_LOAD_FAILED", `kvplace.wasm could not be instantiated: ${(e as Error).message} (a foreign module?)`);
  }
}

/** `solve`, `moveFrontier`, `planCapacity` and `planPool` over a lazily created shared solver; the TS engine never waits for WASM. */
export function sharedSolver(create: () => Promise<Solver>) {
  let shared: Promise<Solver> | undefined;
  const ts = createTsKernels();
  const arena = new Arena();
  const solveTs = (problem: Problem, options?: SolveOptions) => solveWith(ts, problem, options, {}, arena);
  return {
    async solve(problem: Problem, options?: SolveOptions): Promise<Solution> {
      if (options?.engine === "ts") return solveTs(problem, options);
      shared ??= create();
      return (await shared).solve(problem, options);
    },
    async moveFrontier(problem: Problem, options?: FrontierOptions): Promise<MoveFrontier> {
      if (options?.engine === "ts") return moveFrontierWith(ts, problem, options);
      shared ??= create();
      return (await shared).moveFrontier(problem, options);
    },
    async planCapacity(request: CapacityRequest, options?: SolveOptions): Promise<CapacityPlan> {
      if (options?.engine === "ts") return planCapacityWith(solveTs, request, options);
      shared ??= create();
      return (await shared).planCapacity(request, options);
    },
    async planPool(request: PoolRequest, options?: SolveOptions): Promise<PoolPlan> {
      if (options?.engine === "ts") return planPoolWith(solveTs, request, options);
      shared ??= create();
      return (await shared).planPool(request, options);
    },
  };
}
