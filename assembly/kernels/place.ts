import { kvpr, MEM_EPS } from "./kvpr";
import { MOVED, MOVED_COST } from "./layout";
import {
  N,
  G,
  K,
  dem,
  sDem,
  sgDem,
  setSgDem,
  sgHot,
  setSgHot,
  size,
  cap,
  gDem,
  setGDem,
  gSize,
  setGSize,
  gKvpr,
  setGKvpr,
  assign,
  setAssign,
  pin,
  current,
  grp,
  next,
  setNext,
  prev,
  setPrev,
  head,
  setHead,
  gHot,
  setGHot,
  gGrouped,
  setGGrouped,
  scratch,
  setScratch,
  counter,
  setCounter,
  moveCost,
  scalar,
  setScalar,
  floor,
  gFloor,
  setGFloor,
  gSpare,
} from "../memory";

/** Models placed off their current GPU, kept by place/unplace for the migration budget. */
export function movedCount(): i32 {
  return counter(MOVED);
}

/** Move cost of the models placed off their current GPU, kept by place/unplace for the move-cost budget. */
export function movedCost(): f64 {
  return scalar(MOVED_COST);
}

/** Puts model i on GPU g: sums, member list, KVPR, move count and cost in O(1). */
export function place(i: i32, g: i32): void {
  setAssign(i, g);
  const first = head(g);
  setNext(i, first);
  setPrev(i, -1);
  if (first >= 0) setPrev(first, i);
  setHead(g, i);
  if (dem(i) > 0) setGHot(g, gHot(g) + 1);
  if (grp(i) >= 0) setGGrouped(g, gGrouped(g) + 1);
  if (current(i) >= 0 && current(i) !== g) {
    setCounter(MOVED, counter(MOVED) + 1);
    setScalar(MOVED_COST, scalar(MOVED_COST) + moveCost(i));
  }
  setGDem(g, gDem(g) + dem(i));
  // The GPU's peak over scenarios, kept while its sums are updated.
  let peak = gDem(g);
  for (let s = 1; s < K; s++) {
    if (sDem(i, s) > 0) setSgHot(g, s, sgHot(g, s) + 1);
    setSgDem(g, s, sgDem(g, s) + sDem(i, s));
    peak = Math.max(peak, sgDem(g, s));
  }
  setGSize(g, gSize(g) + size(i));
  setGFloor(g, gFloor(g) + floor(i));
  setGKvpr(g, kvpr(peak, cap(g) - gSize(g)));
}

/**
 * Takes model i off its GPU. Sums that must be zero are set to zero, not left
 * to subtraction: a stray 1e-17 of demand on a full GPU would read as infinite.
 */
export function unplace(i: i32): void {
  const g = assign(i);
  const a = prev(i);
  const b = next(i);
  if (a >= 0) setNext(a, b);
  else setHead(g, b);
  if (b >= 0) setPrev(b, a);
  setAssign(i, -1);
  if (dem(i) > 0) setGHot(g, gHot(g) - 1);
  if (grp(i) >= 0) setGGrouped(g, gGrouped(g) - 1);
  if (current(i) >= 0 && current(i) !== g) {
    setCounter(MOVED, counter(MOVED) - 1);
    // With no model moved the cost is zero, not what subtraction left of it.
    setScalar(MOVED_COST, counter(MOVED) > 0 ? scalar(MOVED_COST) - moveCost(i) : 0);
  }
  setGDem(g, gHot(g) > 0 ? gDem(g) - dem(i) : 0);
  let peak = gDem(g);
  for (let s = 1; s < K; s++) {
    if (sDem(i, s) > 0) setSgHot(g, s, sgHot(g, s) - 1);
    setSgDem(g, s, sgHot(g, s) > 0 ? sgDem(g, s) - sDem(i, s) : 0);
    peak = Math.max(peak, sgDem(g, s));
  }
  setGSize(g, head(g) >= 0 ? gSize(g) - size(i) : 0);
  setGFloor(g, head(g) >= 0 ? gFloor(g) - floor(i) : gSpare(g));
  setGKvpr(g, kvpr(peak, cap(g) - gSize(g)));
}

/** Model i's demand in its busiest scenario: what orderings by demand sort on. */
export function peakDem(i: i32): f64 {
  let peak = dem(i);
  for (let s = 1; s < K; s++) peak = Math.max(peak, sDem(i, s));
  return peak;
}

/** Empties every GPU; every model is left unassigned (-1). */
function clear(): void {
  for (let j = 0; j < G; j++) {
    setHead(j, -1);
    setGHot(j, 0);
    setGGrouped(j, 0);
    setGDem(j, 0);
    for (let s = 1; s < K; s++) {
      setSgHot(j, s, 0);
      setSgDem(j, s, 0);
    }
    setGSize(j, 0);
    setGFloor(j, gSpare(j));
    setGKvpr(j, 0);
  }
  for (let i = 0; i < N; i++) setAssign(i, -1);
  setCounter(MOVED, 0);
  setScalar(MOVED_COST, 0);
}

/** Empties every GPU, then places the pinned models; the others are left unassigned (-1). */
export function resetToPins(): void {
  clear();
  for (let i = 0; i < N; i++) if (pin(i) >= 0) place(i, pin(i));
}

/** Recomputes all GPU state from `assign` (-1 leaves a model unplaced); returns the max KVPR. */
export function rebuild(): f64 {
  for (let i = 0; i < N; i++) setScratch(i, assign(i));
  clear();
  for (let i = N - 1; i >= 0; i--) if (scratch(i) >= 0) place(i, scratch(i));
  return gKvpr(worstGpu());
}

/** Moves model i to GPU g (-1: off every GPU), its sums and lists kept as place/unplace keep them. */
export function moveTo(i: i32, g: i32): void {
  if (assign(i) >= 0) unplace(i);
  if (g >= 0) place(i, g);
}

/** The highest KVPR of any GPU. */
export function maxKvpr(): f64 {
  return gKvpr(worstGpu());
}

/** The GPU of highest KVPR, lowest index on ties. */
export function worstGpu(): i32 {
  let best = -1;
  let bestK: f64 = -1;
  for (let j = 0; j < G; j++) {
    if (gKvpr(j) > bestK) {
      bestK = gKvpr(j);
      best = j;
    }
  }
  return best;
}

/**
 * Memory GPU g has left for weights: what its models' weights, their KV
 * floors and its spare leave. The KVPR is on what the weights alone leave.
 */
export function room(g: i32): f64 {
  return cap(g) - gSize(g) - gFloor(g);
}

/** Whether model i's weights and KV floor fit GPU g's room. */
export function fits(g: i32, i: i32): bool {
  return size(i) + floor(i) <= room(g) + MEM_EPS;
}
