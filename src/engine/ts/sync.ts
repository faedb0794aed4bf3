import type { Kernels } from "../kernels.js";
import { createTsKernels } from "./index.js";

let shared: Kernels | undefined;

/**
 * The engine of the synchronous helpers (`lowerBound`, `evaluate`'s and
 * `evaluateFailover`'s failover report): the TypeScript one, which needs no
 * loading, created on first use and shared by them all.
 */
export function syncKernels(): Kernels {
  shared ??= createTsKernels();
  return shared;
}
