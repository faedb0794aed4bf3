// The workspace layout, the one table both engines derive their arrays from:
// the WebAssembly `bind` computes its offsets with it, the TypeScript engine its
// views, and src/engine/workspace.ts the names of those views.

/**
 * Bump whenever a field is added, removed, reordered or resized: the binding
 * refuses a kvplace.wasm built for another layout (a stale file from a cache).
 */
export const LAYOUT_VERSION: i32 = 7;

/**
 * The arrays in layout order: f64 arrays first, then i32 arrays, so every
 * array is aligned to its element. The member names are the names of the
 * TypeScript views (src/engine/workspace.ts reads them from this enum).
 */
export enum Field {
  /** Per model: demand, size, move cost (what ending off its current GPU costs), sort key, KV-cache floor (GB its GPU must keep free for it). */
  dem,
  size,
  moveCost,
  key,
  kvFloor,
  /**
   * Per GPU: capacity, sums of demand and size, KVPR; the memory it must keep
   * free (its models' floors, and its spare); the spare alone (set by the host).
   */
  cap,
  gDem,
  gSize,
  gKvpr,
  gFloor,
  gSpare,
  /** Per depth of the exact search: the last branch's KVPR; demand and size still to place, and their least values. */
  exLastK,
  exRestD,
  exRestS,
  exMinD,
  exMinS,
  /**
   * Demand scenarios 1..k-1, k slots per model, GPU or depth, slot s for
   * scenario s (slot 0 unused: scenario 0 is in the fields above, and without
   * scenarios these are empty): per model its demand; per GPU the sum of
   * demand; per depth of the exact search the demand still to place and its
   * least value. An item's scenarios are adjacent, as the scans over them want.
   */
  sDem,
  sgDem,
  sExRestD,
  sExMinD,
  /** The f64 scalars of the resumable kernels (Scalar). */
  scalars,
  /**
   * Per model: GPU, sort order, pin (-1 free), current GPU (-1 new), first
   * membership entry (-1 none), colocated set (-1 none), member list links, scratch.
   */
  assign,
  order,
  pin,
  current,
  grp,
  colo,
  next,
  prev,
  scratch,
  /** Per GPU: first model of its member list (-1 empty), how many of its models carry demand, and how many have a group. */
  head,
  gHot,
  gGrouped,
  /** Per GPU, k slots as above: how many models with demand in scenario s it holds. */
  sgHot,
  /** Per GPU: its node and zone (indices below g); per node (by index) its first GPU, per GPU the next of its node (-1 ends). */
  gNode,
  gZone,
  nodeHead,
  nodeNext,
  /** Per membership entry (m of them, a model's adjacent): its model, the next entry of its group (a ring), the group's level (see topology) and index. */
  mModel,
  mNext,
  mLevel,
  mGroup,
  /** Exact search: the last branch's GPU per depth, and the best assignment found. */
  exLastG,
  exBest,
  /** GPUs by ascending KVPR, and each GPU's rank in it (kept by the local search). */
  rank,
  rankOf,
  /** The i32 scalars of the resumable kernels (Counter). */
  counters,
}

export const FIELD_COUNT: i32 = Field.counters + 1;
/** Fields from this one on hold i32, the ones before it f64. */
const FIRST_I32: i32 = Field.assign;

// Kernel state that outlives a call lives in the workspace, not in module
// variables: each solver then has its own, in both engines, and the exact
// search can be resumed in slices whatever else ran in between.
/**
 * Slots of `scalars`: the exact search's best value, its target, nodes opened,
 * its move budget and move-cost budget; the move cost of the models off their
 * current GPU (kept by place/unplace).
 */
export const EX_BEST: i32 = 0;
export const EX_TARGET: i32 = 1;
export const EX_NODES: i32 = 2;
export const EX_BUDGET: i32 = 3;
export const EX_COST_BUDGET: i32 = 4;
export const MOVED_COST: i32 = 5;
const SCALAR_SLOTS: i32 = 6;
/**
 * Slots of `counters`: models off their current GPU (kept by place/unplace);
 * the exact search's free models and depth, and what it found of the instance
 * at its start: memberships beyond distinct GPUs (1, else 0), and no KV floor
 * or spare anywhere (1, else 0).
 */
export const MOVED: i32 = 0;
export const EX_COUNT: i32 = 1;
export const EX_DEPTH: i32 = 2;
export const EX_WIDE: i32 = 3;
export const EX_SWAPS: i32 = 4;
/** Set by the host, read by placeSet: the GPUs a colocated set's node should have beyond its members (1 when a GPU loss must be survived). */
export const SET_SLACK: i32 = 5;
const COUNTER_SLOTS: i32 = 6;

/**
 * Elements of a field for `n` models, `g` GPUs, `k` demand scenarios and `m` membership entries (in f64: products of
 * counts). A switch: binding a new shape sizes every field, once per solve on a loop over pools of several sizes.
 */
export function fieldLength(field: i32, n: i32, g: i32, k: i32, m: i32): f64 {
  const slots: f64 = k > 1 ? <f64>k : 0;
  switch (field) {
    case Field.scalars:
      return <f64>SCALAR_SLOTS;
    case Field.counters:
      return <f64>COUNTER_SLOTS;
    case Field.sgDem:
    case Field.sgHot:
      return slots * <f64>g;
    case Field.sDem:
    case Field.sExRestD:
    case Field.sExMinD:
      return slots * <f64>n;
    case Field.mModel:
    case Field.mNext:
    case Field.mLevel:
    case Field.mGroup:
      return <f64>m;
    case Field.cap:
    case Field.gDem:
    case Field.gSize:
    case Field.gKvpr:
    case Field.gFloor:
    case Field.gSpare:
    case Field.gNode:
    case Field.gZone:
    case Field.nodeHead:
    case Field.nodeNext:
    case Field.head:
    case Field.gHot:
    case Field.gGrouped:
    case Field.rank:
    case Field.rankOf:
      return <f64>g;
    default:
      return <f64>n;
  }
}

export function elementBytes(field: i32): i32 {
  return field < FIRST_I32 ? 8 : 4;
}

/**
 * Byte offset of a field from the workspace's start (FIELD_COUNT: the whole
 * size). In f64, so that no sum wraps around in either engine.
 */
export function fieldOffset(field: i32, n: i32, g: i32, k: i32, m: i32): f64 {
  let at: f64 = 0;
  for (let f = 0; f < field; f++) at += fieldLength(f, n, g, k, m) * <f64>elementBytes(f);
  return at;
}
