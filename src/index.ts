import { compileGiven } from "./engine/wasm/compile.js";
import { compileShipped } from "./engine/wasm/load-shipped.js";
import { instantiateSolver, sharedSolver, type Solver, type SolverInit } from "./solver.js";

/** A solver running kvplace.wasm, found next to this module unless `init.wasm` provides it. */
export async function createSolver(init: SolverInit = {}): Promise<Solver> {
  const module = init.wasm === undefined ? await compileShipped() : await compileGiven(init.wasm);
  return instantiateSolver(module);
}

/** Solves, sweeps move budgets, plans capacity or plans a pool, on a shared solver created on first use. */
export const { solve, moveFrontier, planCapacity, planPool } = sharedSolver(() => createSolver());

export * from "./exports.js";
