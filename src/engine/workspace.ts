/**
 * The flat arrays every kernel works on, laid out once in one buffer: f64 arrays
 * first, then i32 arrays. The TS engine owns a plain ArrayBuffer; the WASM engine
 * lays the same arrays in its linear memory and passes their byte offsets.
 */
import type { Instance } from "../input/instance.js";

export type Workspace = {
  n: number;
  g: number;
  /** Byte offset of the workspace in its buffer. */
  base: number;
  bytes: number;
  /** Per model: demand, size, sort key. */
  dem: Float64Array;
  size: Float64Array;
  key: Float64Array;
  /** Per GPU: capacity, sums of demand and size, KVPR. */
  cap: Float64Array;
  gDem: Float64Array;
  gSize: Float64Array;
  gKvpr: Float64Array;
  /** Per depth of the exact search: the last branch's KVPR; demand and size still to place, and their least values. */
  exLastK: Float64Array;
  exRestD: Float64Array;
  exRestS: Float64Array;
  exMinD: Float64Array;
  exMinS: Float64Array;
  /** Per model: GPU, sort order, pin (-1 free), current GPU (-1 new), spread group (-1 none), member list links, scratch. */
  assign: Int32Array;
  order: Int32Array;
  pin: Int32Array;
  current: Int32Array;
  grp: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  scratch: Int32Array;
  /** Per GPU: first model of its member list (-1 empty), how many of its models carry demand, and how many have a group. */
  head: Int32Array;
  gHot: Int32Array;
  gGrouped: Int32Array;
  /** Exact search: the last branch's GPU per depth, and the best assignment found. */
  exLastG: Int32Array;
  exBest: Int32Array;
  /** GPUs by ascending KVPR, and each GPU's rank in it (kept by the local search). */
  rank: Int32Array;
  rankOf: Int32Array;
};

const F64_FIELDS = [
  ["dem", "n"],
  ["size", "n"],
  ["key", "n"],
  ["cap", "g"],
  ["gDem", "g"],
  ["gSize", "g"],
  ["gKvpr", "g"],
  ["exLastK", "n"],
  ["exRestD", "n"],
  ["exRestS", "n"],
  ["exMinD", "n"],
  ["exMinS", "n"],
] as const;
const I32_FIELDS = [
  ["assign", "n"],
  ["order", "n"],
  ["pin", "n"],
  ["current", "n"],
  ["grp", "n"],
  ["next", "n"],
  ["prev", "n"],
  ["scratch", "n"],
  ["head", "g"],
  ["gHot", "g"],
  ["gGrouped", "g"],
  ["exLastG", "n"],
  ["exBest", "n"],
  ["rank", "g"],
  ["rankOf", "g"],
] as const;

/** Array names in layout order: the order the WASM `bind` takes their offsets in. */
export const WORKSPACE_FIELDS = [...F64_FIELDS, ...I32_FIELDS].map(([name]) => name);

/** Bytes a workspace for `n` models and `g` GPUs needs. */
export function workspaceBytes(n: number, g: number): number {
  const count = (fields: readonly (readonly [string, "n" | "g"])[]) => fields.reduce((sum, [, per]) => sum + (per === "n" ? n : g), 0);
  return 8 * count(F64_FIELDS) + 4 * count(I32_FIELDS);
}

/** Views over `buffer` from byte `base` (8-aligned). Rebuild them whenever the buffer is replaced. */
export function layoutWorkspace(buffer: ArrayBuffer, base: number, n: number, g: number): Workspace {
  const views: Record<string, Float64Array | Int32Array> = {};
  let at = base;
  for (const [name, per] of F64_FIELDS) {
    const len = per === "n" ? n : g;
    views[name] = new Float64Array(buffer, at, len);
    at += 8 * len;
  }
  for (const [name, per] of I32_FIELDS) {
    const len = per === "n" ? n : g;
    views[name] = new Int32Array(buffer, at, len);
    at += 4 * len;
  }
  return { n, g, base, bytes: at - base, ...(views as Omit<Workspace, "n" | "g" | "base" | "bytes">) };
}

/** Writes a problem's inputs into a workspace laid out for it. */
export function loadInstance(ws: Workspace, inst: Instance): void {
  ws.dem.set(inst.demand);
  ws.size.set(inst.size);
  ws.cap.set(inst.cap);
  ws.pin.set(inst.pin);
  ws.current.set(inst.current);
  ws.grp.set(inst.group);
}
