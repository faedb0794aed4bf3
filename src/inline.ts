import { instantiateSolver, sharedSolver, type Solver, type SolverInit } from "./solver.js";
import { scalarWasmBase64, wasmBase64 } from "./engine/wasm/bytes.js";
import { compileBytes, compileGiven } from "./engine/wasm/compile.js";
import { hasSimd } from "./engine/wasm/simd.js";

/** Like the main entry's createSolver, with both builds of kvplace.wasm embedded: no file to serve or fetch. */
export async function createSolver(init: SolverInit = {}): Promise<Solver> {
  const embedded = () => (hasSimd() ? compileBytes(decode(wasmBase64)) : compileBytes(decode(scalarWasmBase64), "kvplace-scalar.wasm"));
  const module = init.wasm === undefined ? await embedded() : await compileGiven(init.wasm);
  return instantiateSolver(module);
}

export const { solve, moveFrontier, planCapacity, planPool } = sharedSolver(() => createSolver());

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export * from "./exports.js";
