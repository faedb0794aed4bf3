// The TypeScript engine's accessor layer: the workspace's typed arrays
// themselves, named as the WebAssembly layer's accessors (assembly/memory.ts);
// scripts/share-kernels.mjs turns the kernels' accessor calls into indexing
// (`dem(i)` → `dem[i]`, `setKey(i, v)` → `key[i] = v`) in tsc's copy.
import type { Workspace } from "../workspace.js";

export let N = 0;
export let G = 0;
export let dem: Float64Array = new Float64Array(0);
export let size: Float64Array = dem;
export let moveCost: Float64Array = dem;
export let key: Float64Array = dem;
export let cap: Float64Array = dem;
export let gDem: Float64Array = dem;
export let gSize: Float64Array = dem;
export let gKvpr: Float64Array = dem;
export let exLastK: Float64Array = dem;
export let exRestD: Float64Array = dem;
export let exRestS: Float64Array = dem;
export let exMinD: Float64Array = dem;
export let exMinS: Float64Array = dem;
export let scalar: Float64Array = dem;
export let assign: Int32Array = new Int32Array(0);
export let order: Int32Array = assign;
export let pin: Int32Array = assign;
export let current: Int32Array = assign;
export let grp: Int32Array = assign;
export let next: Int32Array = assign;
export let prev: Int32Array = assign;
export let scratch: Int32Array = assign;
export let head: Int32Array = assign;
export let gHot: Int32Array = assign;
export let gGrouped: Int32Array = assign;
export let exLastG: Int32Array = assign;
export let exBest: Int32Array = assign;
export let rank: Int32Array = assign;
export let rankOf: Int32Array = assign;
export let counter: Int32Array = assign;
let bound: Workspace | undefined;

/**
 * Points the kernels at a solver's workspace. Every call into the kernels
 * binds first, and all state that outlives a call is in the workspace, so
 * solvers never share anything, however their calls interleave.
 */
export function bind(w: Workspace): void {
  if (w === bound) return;
  bound = w;
  N = w.n;
  G = w.g;
  ({ dem, size, moveCost, key, cap, gDem, gSize, gKvpr, exLastK, exRestD, exRestS, exMinD, exMinS } = w);
  ({ assign, order, pin, current, grp, next, prev, scratch, head, gHot, gGrouped, exLastG, exBest, rank, rankOf } = w);
  scalar = w.scalars;
  counter = w.counters;
}
