// The worker thread of the CLI: runs one solve, move frontier, capacity plan or pool plan, so the main thread stays free to draw progress.
import { parentPort, workerData } from "node:worker_threads";
import { createSolver } from "../index.js";
import { planCapacityWith } from "../planning/capacity.js";
import type { Problem } from "../types.js";
import { errorToData } from "../worker/protocol.js";
import type { Job, JobMessage } from "./off-thread.js";

const port = parentPort;
if (port === null) throw new Error("job-worker.js must run as a worker thread");
const post = (message: JobMessage) => port.postMessage(message);
const job = workerData as Job;

try {
  const solver = await createSolver();
  if (job.kind === "solve") {
    post({ type: "done", result: solver.solve(job.problem, job.options) });
  } else if (job.kind === "pool") {
    post({ type: "done", result: solver.planPool(job.request, job.options) });
  } else if (job.kind === "frontier") {
    post({ type: "done", result: solver.moveFrontier(job.problem, job.options) });
  } else {
    // The same search as Solver.planCapacity, told which pool size it tries, for the progress line.
    const solve = (problem: Problem, options?: typeof job.options) => {
      post({ type: "trying", gpus: typeof problem.gpus === "number" ? problem.gpus : problem.gpus.length });
      return solver.solve(problem, options);
    };
    post({ type: "done", result: planCapacityWith(solve, job.request, job.options) });
  }
} catch (e) {
  post({ type: "failed", error: errorToData(e) });
}
