/**
 * The flat arrays every kernel works on, laid out once in one buffer by the
 * shared layout table (assembly/kernels/layout.ts): the TS engine owns a plain
 * ArrayBuffer; the WASM engine lays the same arrays in its linear memory and
 * binds the kernels to the same offsets.
 */
import type { Instance } from "../input/instance.js";
import { elementBytes, Field, FIELD_COUNT, fieldLength, fieldOffset, SET_SLACK } from "./ts/kernels/layout.js";

/** One view per field of the layout, named as its `Field` member (see the layout for what each holds). */
export type Workspace = {
  n: number;
  g: number;
  /** Demand scenarios (1 without scenarios). */
  k: number;
  /** Membership entries (a model's spread groups and colocated set). */
  m: number;
  /** Byte offset of the workspace in its buffer. */
  base: number;
  bytes: number;
  dem: Float64Array;
  size: Float64Array;
  moveCost: Float64Array;
  key: Float64Array;
  kvFloor: Float64Array;
  cap: Float64Array;
  gDem: Float64Array;
  gSize: Float64Array;
  gKvpr: Float64Array;
  gFloor: Float64Array;
  gSpare: Float64Array;
  exLastK: Float64Array;
  exRestD: Float64Array;
  exRestS: Float64Array;
  exMinD: Float64Array;
  exMinS: Float64Array;
  sDem: Float64Array;
  sgDem: Float64Array;
  sExRestD: Float64Array;
  sExMinD: Float64Array;
  scalars: Float64Array;
  assign: Int32Array;
  order: Int32Array;
  pin: Int32Array;
  current: Int32Array;
  grp: Int32Array;
  colo: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  scratch: Int32Array;
  head: Int32Array;
  gHot: Int32Array;
  gGrouped: Int32Array;
  sgHot: Int32Array;
  gNode: Int32Array;
  gZone: Int32Array;
  nodeHead: Int32Array;
  nodeNext: Int32Array;
  mModel: Int32Array;
  mNext: Int32Array;
  mLevel: Int32Array;
  mGroup: Int32Array;
  exLastG: Int32Array;
  exBest: Int32Array;
  rank: Int32Array;
  rankOf: Int32Array;
  counters: Int32Array;
};

/** Bytes a workspace for `n` models, `g` GPUs, `k` demand scenarios and `m` membership entries needs. */
export function workspaceBytes(n: number, g: number, k = 1, m = 0): number {
  return fieldOffset(FIELD_COUNT, n, g, k, m);
}

/** Views over `buffer` from byte `base` (8-aligned). Rebuild them whenever the buffer is replaced. */
export function layoutWorkspace(buffer: ArrayBuffer, base: number, n: number, g: number, k = 1, m = 0): Workspace {
  const views: Record<string, Float64Array | Int32Array> = {};
  // The fields in layout order, each after the last: the sums fieldOffset makes, kept as they go.
  let at = base;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const length = fieldLength(f, n, g, k, m);
    views[Field[f] as string] = elementBytes(f) === 8 ? new Float64Array(buffer, at, length) : new Int32Array(buffer, at, length);
    at += length * elementBytes(f);
  }
  return { n, g, k, m, base, bytes: at - base, ...(views as Omit<Workspace, "n" | "g" | "k" | "m" | "base" | "bytes">) };
}

/** Shapes whose views a buffer keeps: a control plane cycling through a few pool sizes lays each out once. */
const CACHED_SHAPES = 8;

/**
 * Views by shape, laid out on first use: a solver that sees instances of the
 * same few sizes again and again allocates no views per solve, and does not
 * even size a shape it has laid out. `reserve(bytes)` gives the buffer to lay
 * a new shape in, at least `bytes` long; when it is another buffer (memory
 * grown, or a larger one allocated) every earlier view is dropped.
 */
export function workspaceCache(base: number, reserve: (bytes: number) => ArrayBuffer): (n: number, g: number, k: number, m: number) => Workspace {
  let views = new Map<number, Workspace>();
  let of: ArrayBuffer | undefined;
  return (n, g, k, m) => {
    // Unique while g < 2^13 and k < 2^11: LIMITS allows at most 4,096 GPUs and
    // 1,024 scenarios; with at most 32,768 models the key stays below 2^53.
    // The membership count is not in the key: one shape keeps the latest.
    const key = (n * 8192 + g) * 2048 + k;
    let ws = views.get(key);
    if (ws !== undefined && ws.m === m) return ws;
    const buffer = reserve(base + workspaceBytes(n, g, k, m));
    if (buffer !== of) {
      views = new Map();
      of = buffer;
      ws = undefined;
    }
    if (ws === undefined && views.size >= CACHED_SHAPES) views.delete(views.keys().next().value as number);
    ws = layoutWorkspace(buffer, base, n, g, k, m);
    views.set(key, ws);
    return ws;
  };
}

/** Writes a problem's inputs into a workspace laid out for it. */
export function loadInstance(ws: Workspace, inst: Instance): void {
  ws.dem.set(inst.demand);
  // Scenarios 1..k-1 in slots 1..k-1 of each model's k, as the layout has them.
  for (let s = 1; s < inst.k; s++) {
    const demand = inst.demands[s] as Float64Array;
    for (let i = 0; i < inst.n; i++) ws.sDem[i * inst.k + s] = demand[i] as number;
  }
  ws.size.set(inst.size);
  ws.moveCost.set(inst.moveCost);
  ws.kvFloor.set(inst.floor);
  ws.cap.set(inst.cap);
  ws.gSpare.fill(0);
  ws.counters[SET_SLACK] = 0;
  ws.pin.set(inst.pin);
  ws.current.set(inst.current);
  loadTopology(ws, inst);
}

/**
 * The nodes as lists of GPUs, and the memberships as entries: a model's
 * adjacent (`grp` its first, -1 for none), each group's linked in a ring.
 */
function loadTopology(ws: Workspace, inst: Instance): void {
  const { n, g, memberStart, memberGroup, groupLevel } = inst;
  ws.colo.set(inst.colocated);
  ws.gNode.set(inst.node);
  ws.gZone.set(inst.zone);
  ws.nodeHead.fill(-1);
  for (let j = g - 1; j >= 0; j--) {
    const v = inst.node[j] as number;
    ws.nodeNext[j] = ws.nodeHead[v] as number;
    ws.nodeHead[v] = j;
  }
  if (inst.m === 0) {
    ws.grp.fill(-1);
    return;
  }
  const first = new Int32Array(groupLevel.length).fill(-1);
  const last = new Int32Array(groupLevel.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const start = memberStart[i] as number;
    const end = memberStart[i + 1] as number;
    ws.grp[i] = end > start ? start : -1;
    for (let e = start; e < end; e++) {
      const k = memberGroup[e] as number;
      ws.mModel[e] = i;
      ws.mLevel[e] = groupLevel[k] as number;
      ws.mGroup[e] = k;
      if (first[k] === -1) first[k] = e;
      else ws.mNext[last[k] as number] = e;
      last[k] = e;
    }
  }
  // Close each ring: the last entry of a group leads back to its first.
  for (let k = 0; k < groupLevel.length; k++) if ((last[k] as number) >= 0) ws.mNext[last[k] as number] = first[k] as number;
}
