// What every entry point shares; each entry adds its own way to load kvplace.wasm.
export { evaluate, evaluateFailover } from "./report/evaluate.js";
export { lowerBound } from "./bounds/lower-bound.js";
export { parseGpusCsv, parseGpuTypesCsv, parseModelsCsv, parseProblemCsv, type CsvOptions } from "./io/csv.js";
export { parseGpuList } from "./io/gpu-list.js";
export { expandReplicas, type ReplicaSpec } from "./planning/replicas.js";
export type { CapacityPlan, CapacityRequest } from "./planning/capacity.js";
export type { PoolPlan, PoolRequest } from "./planning/pool.js";
export type { GpuType } from "./planning/gpu-types.js";
export { PlacementError, type PlacementErrorCode } from "./errors.js";
export type { Solver, SolverInit } from "./solver.js";
export type * from "./types.js";
