// The worker side of kvplace/worker: one Solver, its WASM workspace reused across solves.
// Started by spawn.ts as a module Web Worker or a worker_threads Worker.
import { createSolver } from "../index.js";
import type { Solver } from "../solver.js";
import type { SolveOptions } from "../types.js";
import { errorToData, type FromWorker, type TaskResult, type ToWorker } from "./protocol.js";

type Reply = (message: FromWorker) => void;

let solver: Promise<Solver> | undefined;

function handle(message: ToWorker, reply: Reply): void {
  if (message.type === "init") {
    solver = createSolver(message.wasm === undefined ? {} : { wasm: message.wasm });
    solver.then(
      () => reply({ type: "ready" }),
      (e: unknown) => reply({ type: "failed", error: errorToData(e) }),
    );
    return;
  }
  const { id } = message;
  if (solver === undefined) {
    reply({ type: "rejected", id, error: errorToData(new Error(`the solver worker got a ${message.type} before init`)) });
    return;
  }
  solver.then((s) => {
    try {
      reply({ type: "done", id, result: run(s, message) });
    } catch (e) {
      reply({ type: "rejected", id, error: errorToData(e) });
    }
  });
}

/** A task on the solver; options were checked on the calling side only as far as the worker needs, the solver checks the rest. */
function run(s: Solver, message: Exclude<ToWorker, { type: "init" }>): TaskResult {
  if (message.type === "solve") return s.solve(message.problem, message.options as SolveOptions | undefined);
  if (message.type === "moveFrontier") return s.moveFrontier(message.problem, message.options);
  return s.planPool(message.request, message.options as SolveOptions | undefined);
}

type WorkerScope = {
  postMessage?: (message: FromWorker) => void;
  addEventListener?: (type: "message", listener: (e: MessageEvent<ToWorker>) => void) => void;
};
const scope = globalThis as WorkerScope;

if (typeof scope.postMessage === "function" && typeof scope.addEventListener === "function") {
  // Attached synchronously: messages posted before the module ran are delivered once it has.
  const post = scope.postMessage.bind(globalThis);
  scope.addEventListener("message", (e) => handle(e.data, post));
} else {
  // worker_threads queues messages until a listener is attached, so the async import loses none.
  const specifier = "node:worker_threads";
  void (import(/* @vite-ignore */ specifier) as Promise<typeof import("node:worker_threads")>).then(({ parentPort }) => {
    const port = parentPort;
    if (port === null) throw new Error("solver-worker.js must run as a worker");
    port.on("message", (message: ToWorker) => handle(message, (r) => port.postMessage(r)));
  });
}
