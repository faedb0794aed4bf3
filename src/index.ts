import { instantiateSolver, sharedSolve, type Solver, type SolverInit } from "./solver.js";
import { compileGiven, compileShipped } from "./engine/wasm/load.js";

/** A solver running kvplace.wasm, found next to this module unless `init.wasm` provides it. */
export async function createSolver(init: SolverInit = {}): Promise<Solver> {
  const module = init.wasm === undefined ? await compileShipped() : await compileGiven(init.wasm);
  return instantiateSolver(module);
}

/** Solves on a shared solver, created on first use. */
export const solve = sharedSolve(() => createSolver());

export { evaluate } from "./report/evaluate.js";
export { lowerBound } from "./bounds/lower-bound.js";
export { parseModelsCsv } from "./io/csv.js";
export { PlacementError, type PlacementErrorCode } from "./errors.js";
export type { Solver, SolverInit } from "./solver.js";
export type * from "./types.js";
