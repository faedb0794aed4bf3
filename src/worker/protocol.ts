// Messages between a WorkerSolver and its worker: plain structured-clone data only,
// since a class instance (PlacementError) loses its prototype on the way.
import { PlacementError, type PlacementErrorCode } from "../errors.js";
import type { PoolPlan, PoolRequest } from "../planning/pool.js";
import type { FrontierOptions, MoveFrontier, Problem, Solution, SolveOptions } from "../types.js";

/** What a job asks of the worker's Solver, without its id and options: one of its methods and that method's input. */
export type Task = { type: "solve"; problem: Problem } | { type: "moveFrontier"; problem: Problem } | { type: "planPool"; request: PoolRequest };

/** What each task's method returns. */
export type TaskResult = Solution | MoveFrontier | PoolPlan;

export type ToWorker = { type: "init"; wasm?: WebAssembly.Module | BufferSource } | (Task & { id: number; options?: SolveOptions | FrontierOptions });

export type FromWorker =
  | { type: "ready" }
  | { type: "failed"; error: ErrorData }
  | { type: "done"; id: number; result: TaskResult }
  | { type: "rejected"; id: number; error: ErrorData };

export type ErrorData = { name: string; message: string; code?: PlacementErrorCode; model?: number; gpu?: number; scenario?: number; stack?: string };

export function errorToData(e: unknown): ErrorData {
  if (e instanceof PlacementError) {
    const data: ErrorData = { name: e.name, message: e.message, code: e.code };
    if (e.model !== undefined) data.model = e.model;
    if (e.gpu !== undefined) data.gpu = e.gpu;
    if (e.scenario !== undefined) data.scenario = e.scenario;
    return data;
  }
  if (e instanceof Error) return e.stack === undefined ? { name: e.name, message: e.message } : { name: e.name, message: e.message, stack: e.stack };
  return { name: "Error", message: String(e) };
}

/** The host-side twin of what the worker threw: a PlacementError keeps its code, model, gpu and scenario. */
export function errorFromData(data: ErrorData): Error {
  if (data.code !== undefined) {
    const where: { model?: number; gpu?: number; scenario?: number } = {};
    if (data.model !== undefined) where.model = data.model;
    if (data.gpu !== undefined) where.gpu = data.gpu;
    if (data.scenario !== undefined) where.scenario = data.scenario;
    return new PlacementError(data.code, data.message, where);
  }
  const error = new Error(data.message);
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}
