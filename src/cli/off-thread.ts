// Runs a solve, a move frontier or a capacity plan in a worker thread: Solver methods are synchronous,
// and the progress line needs the main thread's timers while they run.
import { Worker } from "node:worker_threads";
import type { CapacityPlan, CapacityRequest } from "../planning/capacity.js";
import type { PoolPlan, PoolRequest } from "../planning/pool.js";
import type { FrontierOptions, MoveFrontier, Problem, Solution, SolveOptions } from "../types.js";
import { errorFromData, type ErrorData } from "../worker/protocol.js";

export type Job =
  | { kind: "solve"; problem: Problem; options: SolveOptions }
  | { kind: "frontier"; problem: Problem; options: FrontierOptions }
  | { kind: "plan"; request: CapacityRequest; options: SolveOptions }
  | { kind: "pool"; request: PoolRequest; options: SolveOptions };

export type JobMessage =
  | { type: "trying"; gpus: number }
  | { type: "done"; result: Solution | MoveFrontier | CapacityPlan | PoolPlan }
  | { type: "failed"; error: ErrorData };

type ResultOf<J extends Job> = J extends { kind: "solve" }
  ? Solution
  : J extends { kind: "frontier" }
    ? MoveFrontier
    : J extends { kind: "plan" }
      ? CapacityPlan
      : PoolPlan;

/** Resolves with the result, rejects with what the worker threw (a PlacementError keeps its code and model). */
export function runOffThread<J extends Job>(job: J, onTrying: (gpus: number) => void = () => {}): Promise<ResultOf<J>> {
  return new Promise((resolve, reject) => {
    // Without the parent's Node flags: a worker inherits them by default, and some stop it from starting.
    const worker = new Worker(new URL("./job-worker.js", import.meta.url), { workerData: job, execArgv: [] });
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      finish();
      void worker.terminate();
    };
    worker.on("message", (message: JobMessage) => {
      if (message.type === "trying") onTrying(message.gpus);
      else if (message.type === "done") settle(() => resolve(message.result as ResultOf<J>));
      else settle(() => reject(errorFromData(message.error)));
    });
    worker.on("error", (e) => settle(() => reject(e)));
    worker.on("exit", (code) => settle(() => reject(new Error(`the solver thread exited with code ${code} before it answered`))));
  });
}
