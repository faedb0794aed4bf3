// The TypeScript engine's accessor layer: the workspace's typed arrays
// themselves, named as the WebAssembly layer's accessors (assembly/memory.ts);
// scripts/share-kernels.mjs turns the kernels' accessor calls into indexing
// (`dem(i)` → `dem[i]`, `setKey(i, v)` → `key[i] = v`) in tsc's copy. A
// scenario field is one view per item (`sDem(i, s)` → `sDem[i][s]`).
import type { Workspace } from "../workspace.js";

export let N = 0;
export let G = 0;
export let K = 1;
export let ENTRIES = 0;
export let dem: Float64Array = new Float64Array(0);
export let size: Float64Array = dem;
export let moveCost: Float64Array = dem;
export let key: Float64Array = dem;
export let kvFloor: Float64Array = dem;
export let cap: Float64Array = dem;
export let gDem: Float64Array = dem;
export let gSize: Float64Array = dem;
export let gKvpr: Float64Array = dem;
export let gFloor: Float64Array = dem;
export let gSpare: Float64Array = dem;
export let exLastK: Float64Array = dem;
export let exRestD: Float64Array = dem;
export let exRestS: Float64Array = dem;
export let exMinD: Float64Array = dem;
export let exMinS: Float64Array = dem;
export let scalar: Float64Array = dem;
export let sDem: Float64Array[] = [];
export let sgDem: Float64Array[] = [];
export let sExRestD: Float64Array[] = [];
export let sExMinD: Float64Array[] = [];
export let sgHot: Int32Array[] = [];
export let assign: Int32Array = new Int32Array(0);
export let order: Int32Array = assign;
export let pin: Int32Array = assign;
export let current: Int32Array = assign;
export let grp: Int32Array = assign;
export let colo: Int32Array = assign;
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
export let gNode: Int32Array = assign;
export let gZone: Int32Array = assign;
export let nodeHead: Int32Array = assign;
export let nodeNext: Int32Array = assign;
export let mModel: Int32Array = assign;
export let mNext: Int32Array = assign;
export let mLevel: Int32Array = assign;
export let mGroup: Int32Array = assign;
export let counter: Int32Array = assign;
let bound: Workspace | undefined;

/**
 * GPU j's demand in its busiest scenario once model `out` leaves it and model
 * `inn` joins it (−1: none), each scenario summed in the order of
 * `gDem[j] - dem[out] + dem[inn]`; may stop once past `above`. The one
 * computation the kernels leave to the accessor layers: assembly/memory.ts
 * does the scan two scenarios per SIMD instruction, with the same sums.
 */
export function peakLoad(j: number, out: number, inn: number, above: number): number {
  let peak = gDem[j] as number;
  if (out >= 0) peak -= dem[out] as number;
  if (inn >= 0) peak += dem[inn] as number;
  if (K === 1 || peak > above) return peak;
  const row = sgDem[j] as Float64Array;
  // One loop per case: no test, and no lookup of a row −1, in the hot one (a model joining a GPU).
  if (out < 0 && inn >= 0) {
    const innRow = sDem[inn] as Float64Array;
    for (let s = 1; s < K && peak <= above; s++) {
      const load = (row[s] as number) + (innRow[s] as number);
      if (load > peak) peak = load;
    }
    return peak;
  }
  const outRow = out >= 0 ? (sDem[out] as Float64Array) : undefined;
  const innRow = inn >= 0 ? (sDem[inn] as Float64Array) : undefined;
  for (let s = 1; s < K && peak <= above; s++) {
    let load = row[s] as number;
    if (outRow !== undefined) load -= outRow[s] as number;
    if (innRow !== undefined) load += innRow[s] as number;
    if (load > peak) peak = load;
  }
  return peak;
}
/** Per-item views of each workspace's scenario fields, built once: binding happens at every kernel call. */
const scenarioViews = new WeakMap<Workspace, ScenarioViews>();

type ScenarioViews = { sDem: Float64Array[]; sgDem: Float64Array[]; sExRestD: Float64Array[]; sExMinD: Float64Array[]; sgHot: Int32Array[] };

/** A scenario field (k slots per item) as one view per item, indexed by scenario; none without scenarios. */
function split<T extends Float64Array | Int32Array>(all: T, count: number, k: number): T[] {
  const views: T[] = [];
  if (k > 1) for (let i = 0; i < count; i++) views.push(all.subarray(i * k, (i + 1) * k) as T);
  return views;
}

function viewsOf(w: Workspace): ScenarioViews {
  let v = scenarioViews.get(w);
  if (v === undefined) {
    const { n, g, k } = w;
    v = {
      sDem: split(w.sDem, n, k),
      sgDem: split(w.sgDem, g, k),
      sExRestD: split(w.sExRestD, n, k),
      sExMinD: split(w.sExMinD, n, k),
      sgHot: split(w.sgHot, g, k),
    };
    scenarioViews.set(w, v);
  }
  return v;
}

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
  K = w.k;
  ENTRIES = w.m;
  ({ dem, size, moveCost, key, kvFloor, cap, gDem, gSize, gKvpr, gFloor, gSpare, exLastK, exRestD, exRestS, exMinD, exMinS } = w);
  ({ assign, order, pin, current, grp, next, prev, scratch, head, gHot, gGrouped, exLastG, exBest, rank, rankOf } = w);
  ({ colo, gNode, gZone, nodeHead, nodeNext, mModel, mNext, mLevel, mGroup } = w);
  scalar = w.scalars;
  counter = w.counters;
  ({ sDem, sgDem, sExRestD, sExMinD, sgHot } = viewsOf(w));
}
