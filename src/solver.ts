import { createTsKernels } from "./engine/ts/index.js";
import { solveWith } from "./solve.js";
import type { Problem, Solution, SolveOptions } from "./types.js";
import { bindWasm } from "./engine/wasm/binding.js";

/** A solver owns one WASM instance and its workspace, reused across solves; `solve` is synchronous. */
export type Solver = {
  solve(problem: Problem, options?: SolveOptions): Solution;
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
  const instance = await WebAssembly.instantiate(module, {});
  const wasm = bindWasm(instance);
  const ts = createTsKernels();
  const memory = instance.exports["memory"] as WebAssembly.Memory;
  return {
    solve: (problem, options) => solveWith(options?.engine === "ts" ? ts : wasm, problem, options),
    memoryBytes: () => memory.buffer.byteLength,
  };
}

/** `solve` over a lazily created shared solver; the TS engine never waits for WASM. */
export function sharedSolve(create: () => Promise<Solver>): (problem: Problem, options?: SolveOptions) => Promise<Solution> {
  let shared: Promise<Solver> | undefined;
  const ts = createTsKernels();
  return async (problem, options) => {
    if (options?.engine === "ts") return solveWith(ts, problem, options);
    shared ??= create();
    return (await shared).solve(problem, options);
  };
}
