import { checkGiven } from "../engine/wasm/compile.js";
import { PlacementError } from "../errors.js";
import { describeValue } from "../input/label.js";
import type { SolverInit } from "../solver.js";
import type { PoolPlan, PoolRequest } from "../planning/pool.js";
import type { FrontierOptions, MoveFrontier, Problem, Solution, SolveOptions } from "../types.js";
import { errorFromData, type FromWorker, type Task, type TaskResult, type ToWorker } from "./protocol.js";
import { spawn, type Channel } from "./spawn.js";

export type WorkerSolveOptions = SolveOptions & {
  /** Aborting cancels this solve only: it leaves the queue, or, if running, its worker is stopped. */
  signal?: AbortSignal;
};

export type WorkerFrontierOptions = FrontierOptions & {
  /** Aborting cancels this frontier only, as for a solve. */
  signal?: AbortSignal;
};

/**
 * A Solver in a Web Worker (worker_threads in Node): solves never block the
 * calling thread. Solves run one at a time, in call order.
 */
export type WorkerSolver = {
  solve(problem: Problem, options?: WorkerSolveOptions): Promise<Solution>;
  /** The moves-versus-pressure frontier (see Solver.moveFrontier), queued with the solves. */
  moveFrontier(problem: Problem, options?: WorkerFrontierOptions): Promise<MoveFrontier>;
  /** `Solver.planPool` in the worker, queued with the solves and cancelled like them. */
  planPool(request: PoolRequest, options?: WorkerSolveOptions): Promise<PoolPlan>;
  /** Cancels the running solve and every queued one: each rejects with PlacementError "CANCELLED". */
  cancel(): void;
  /** `cancel()`, and stops the worker now; a later `solve` starts a new one. */
  terminate(): void;
};

export type WorkerSolverInit = SolverInit;

/**
 * Starts a worker running a Solver and resolves once it is ready, so a
 * kvplace.wasm that cannot be loaded rejects here, as with `createSolver`.
 */
export async function createWorkerSolver(init: WorkerSolverInit = {}): Promise<WorkerSolver> {
  if (init.wasm !== undefined) checkGiven(init.wasm);
  const host = new Host(init);
  await host.start();
  return {
    solve: (problem, options) => host.run({ type: "solve", problem }, options) as Promise<Solution>,
    moveFrontier: (problem, options) => host.run({ type: "moveFrontier", problem }, options) as Promise<MoveFrontier>,
    planPool: (request, options) => host.run({ type: "planPool", request }, options) as Promise<PoolPlan>,
    cancel: () => host.cancel(),
    terminate: () => host.terminate(),
  };
}

type Job = {
  id: number;
  task: Task;
  options: SolveOptions | FrontierOptions | undefined;
  resolve(result: TaskResult): void;
  reject(error: unknown): void;
  /** Removes the abort listener, so a long-lived signal does not keep finished jobs alive. */
  detach(): void;
};

const cancelled = (what: string) => new PlacementError("CANCELLED", what);

/** An AbortSignal, or anything that behaves as one (a polyfill, another realm's): what `solve` listens to. */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return typeof s["aborted"] === "boolean" && typeof s["addEventListener"] === "function" && typeof s["removeEventListener"] === "function";
}

/** What the worker threw while it started, as a PlacementError: its own when it is one. */
function startFailure(error: Error): PlacementError {
  return error instanceof PlacementError ? error : new PlacementError("WORKER_FAILED", `the solver worker could not start: ${error.message}`);
}

/** One worker, from spawn until it is stopped; `ready` settles when its solver is loaded. */
class Connection {
  readonly ready: Promise<Channel>;
  private channel: Channel | undefined;
  private closed = false;
  private rejectReady: (error: unknown) => void = () => {};

  constructor(init: WorkerSolverInit, onMessage: (message: FromWorker) => void, onFailure: (c: Connection, e: PlacementError) => void) {
    this.ready = new Promise<Channel>((resolve, reject) => {
      this.rejectReady = reject;
      let started = false;
      spawn({
        message: (message) => {
          if (message.type === "ready") {
            started = true;
            resolve(this.channel as Channel);
          } else if (message.type === "failed") {
            reject(startFailure(errorFromData(message.error)));
            this.close();
          } else {
            onMessage(message);
          }
        },
        failure: (error) => {
          this.closed = true;
          if (started) onFailure(this, error);
          else reject(error);
        },
      }).then(
        (channel) => {
          if (this.closed) return channel.terminate();
          this.channel = channel;
          try {
            channel.post(init.wasm === undefined ? { type: "init" } : { type: "init", wasm: init.wasm });
          } catch (e) {
            // A DataCloneError: bytes whose buffer was detached (transferred elsewhere) since checkGiven.
            reject(new PlacementError("WASM_LOAD_FAILED", `init.wasm cannot be sent to the worker: ${(e as Error).message}`));
            this.close();
          }
        },
        (e: unknown) => reject(e instanceof PlacementError ? e : new PlacementError("WORKER_FAILED", `the solver worker could not start: ${String(e)}`)),
      );
    });
    // Whoever awaits `ready` sees the failure; this only keeps an unawaited one from being reported as unhandled.
    this.ready.catch(() => {});
  }

  close(): void {
    this.closed = true;
    this.channel?.terminate();
    this.rejectReady(cancelled("the solver worker was stopped while it started"));
  }
}

class Host {
  private connection: Connection | undefined;
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private nextId = 1;

  constructor(private readonly init: WorkerSolverInit) {}

  async start(): Promise<void> {
    const channel = await this.connect().ready;
    channel.hold(false);
  }

  run(task: Task, options?: WorkerSolveOptions | WorkerFrontierOptions): Promise<TaskResult> {
    // Options that are not an object go to the worker as they are, to be rejected there like in-thread.
    const isObject = typeof options === "object" && options !== null;
    const signal = isObject ? options.signal : undefined;
    let solveOptions = options as SolveOptions | FrontierOptions | undefined;
    if (isObject && "signal" in options) {
      const { signal: _, ...rest } = options;
      solveOptions = rest;
    }
    return new Promise<TaskResult>((resolve, reject) => {
      if (signal != null && !isAbortSignal(signal)) {
        reject(new PlacementError("INVALID_OPTIONS", `signal must be an AbortSignal, got ${describeValue(signal)}`));
        return;
      }
      if (signal?.aborted) {
        reject(cancelled("the solve was cancelled before it started"));
        return;
      }
      const job: Job = { id: this.nextId++, task, options: solveOptions, resolve, reject, detach: () => {} };
      if (signal != null) {
        const onAbort = () => this.cancelJob(job);
        signal.addEventListener("abort", onAbort, { once: true });
        job.detach = () => signal.removeEventListener("abort", onAbort);
      }
      this.queue.push(job);
      this.pump();
    });
  }

  cancel(): void {
    for (const job of this.queue.splice(0)) this.fail(job, cancelled("the solve was cancelled"));
    const running = this.running;
    if (running !== undefined) this.cancelJob(running);
  }

  terminate(): void {
    this.cancel();
    this.stopWorker();
  }

  private cancelJob(job: Job): void {
    const k = this.queue.indexOf(job);
    if (k >= 0) {
      this.queue.splice(k, 1);
      this.fail(job, cancelled("the solve was cancelled"));
    } else if (this.running === job) {
      // A synchronous solve cannot be interrupted from outside: stop its worker; the next solve starts another.
      this.running = undefined;
      this.stopWorker();
      this.fail(job, cancelled("the solve was cancelled"));
      this.pump();
    }
  }

  private connect(): Connection {
    if (this.connection === undefined) {
      const connection = new Connection(
        this.init,
        (m) => this.receive(m),
        (c, e) => this.crashed(c, e),
      );
      this.connection = connection;
      connection.ready.catch(() => {
        if (this.connection === connection) this.connection = undefined;
      });
    }
    return this.connection;
  }

  private stopWorker(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  /** Sends the next queued job once the worker is ready; one job at a time, so cancelling one spares the rest. */
  private pump(): void {
    if (this.running !== undefined) return;
    const job = this.queue.shift();
    if (job === undefined) {
      void this.connection?.ready.then(
        (channel) => this.running === undefined && channel.hold(false),
        () => {},
      );
      return;
    }
    this.running = job;
    this.connect().ready.then(
      (channel) => {
        if (this.running !== job) return;
        try {
          channel.hold(true);
          const options = job.options === undefined ? {} : { options: job.options };
          channel.post({ ...job.task, id: job.id, ...options } as ToWorker);
        } catch (e) {
          // postMessage throws a DataCloneError for functions, symbols and the like.
          this.finish(() =>
            this.fail(job, new PlacementError("INVALID_PROBLEM", `the problem or its options cannot be sent to the worker: ${(e as Error).message}`)),
          );
        }
      },
      (error: unknown) => {
        if (this.running === job) this.finish(() => this.fail(job, error));
      },
    );
  }

  private receive(message: FromWorker): void {
    const job = this.running;
    if (job === undefined || !("id" in message) || message.id !== job.id) return;
    if (message.type === "done") {
      this.finish(() => {
        job.detach();
        job.resolve(message.result);
      });
    } else if (message.type === "rejected") {
      this.finish(() => this.fail(job, errorFromData(message.error)));
    }
  }

  private crashed(connection: Connection, error: PlacementError): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    const job = this.running;
    if (job !== undefined) this.finish(() => this.fail(job, error));
  }

  private finish(settle: () => void): void {
    this.running = undefined;
    settle();
    this.pump();
  }

  private fail(job: Job, error: unknown): void {
    job.detach();
    job.reject(error);
  }
}
