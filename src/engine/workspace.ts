/**
 * The flat arrays every kernel works on, laid out once in one buffer by the
 * shared layout table (assembly/kernels/layout.ts): the TS engine owns a plain
 * ArrayBuffer; the WASM engine lays the same arrays in its linear memory and
 * binds the kernels to the same offsets.
 */
import type { Instance } from "../input/instance.js";
import { elementBytes, Field, FIELD_COUNT, fieldLength, fieldOffset } from "./ts/kernels/layout.js";

/** One view per field of the layout, named as its `Field` member (see the layout for what each holds). */
export type Workspace = {
  n: number;
  g: number;
  /** Demand scenarios (1 without scenarios). */
  k: number;
  /** Byte offset of the workspace in its buffer. */
  base: number;
  bytes: number;
  dem: Float64Array;
  size: Float64Array;
  moveCost: Float64Array;
  key: Float64Array;
  cap: Float64Array;
  gDem: Float64Array;
  gSize: Float64Array;
  gKvpr: Float64Array;
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
  next: Int32Array;
  prev: Int32Array;
  scratch: Int32Array;
  head: Int32Array;
  gHot: Int32Array;
  gGrouped: Int32Array;
  sgHot: Int32Array;
  exLastG: Int32Array;
  exBest: Int32Array;
  rank: Int32Array;
  rankOf: Int32Array;
  counters: Int32Array;
};

/** Bytes a workspace for `n` models, `g` GPUs and `k` demand scenarios needs. */
export function workspaceBytes(n: number, g: number, k = 1): number {
  return fieldOffset(FIELD_COUNT, n, g, k);
}

/** Views over `buffer` from byte `base` (8-aligned). Rebuild them whenever the buffer is replaced. */
export function layoutWorkspace(buffer: ArrayBuffer, base: number, n: number, g: number, k = 1): Workspace {
  const views: Record<string, Float64Array | Int32Array> = {};
  // The fields in layout order, each after the last: the sums fieldOffset makes, kept as they go.
  let at = base;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const length = fieldLength(f, n, g, k);
    views[Field[f] as string] = elementBytes(f) === 8 ? new Float64Array(buffer, at, length) : new Int32Array(buffer, at, length);
    at += length * elementBytes(f);
  }
  return { n, g, k, base, bytes: at - base, ...(views as Omit<Workspace, "n" | "g" | "k" | "base" | "bytes">) };
}

/** Shapes whose views a buffer keeps: a control plane cycling through a few pool sizes lays each out once. */
const CACHED_SHAPES = 8;

/**
 * Views by shape over one buffer, laid out on first use: a solver that sees
 * instances of the same few sizes again and again allocates no views per solve.
 * A new buffer (memory grown, or a larger one allocated) drops them all.
 */
export function workspaceCache(base: number): (buffer: ArrayBuffer, n: number, g: number, k: number) => Workspace {
  let views = new Map<number, Workspace>();
  let of: ArrayBuffer | undefined;
  return (buffer, n, g, k) => {
    if (buffer !== of) {
      views = new Map();
      of = buffer;
    }
    // Unique while g < 2^13 and k < 2^11: LIMITS allows at most 4,096 GPUs and
    // 1,024 scenarios; with at most 32,768 models the key stays below 2^53.
    const key = (n * 8192 + g) * 2048 + k;
    let ws = views.get(key);
    if (ws === undefined) {
      if (views.size >= CACHED_SHAPES) views.delete(views.keys().next().value as number);
      ws = layoutWorkspace(buffer, base, n, g, k);
      views.set(key, ws);
    }
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
  ws.cap.set(inst.cap);
  ws.pin.set(inst.pin);
  ws.current.set(inst.current);
  ws.grp.set(inst.group);
}
