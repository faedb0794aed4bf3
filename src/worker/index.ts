// kvplace/worker: the solver off the calling thread, behind promises.
export {
  createWorkerSolver,
  type WorkerFrontierOptions,
  type WorkerSolver,
  type WorkerSolverInit,
  type WorkerSolveOptions,
} from "./create-worker-solver.js";
export { PlacementError, type PlacementErrorCode } from "../errors.js";
export type * from "../types.js";
export type { PoolPlan, PoolRequest } from "../planning/pool.js";
export type { GpuType } from "../planning/gpu-types.js";
