import { kvpr, MEM_EPS } from "../../kvpr.js";
import { ws } from "./bound.js";

/** Models placed off their current GPU, kept by place/unplace for the migration budget. */
let moved = 0;

export function movedCount(): number {
  return moved;
}

/** Puts model i on GPU g: sums, member list, KVPR and move count in O(1). */
export function place(i: number, g: number): void {
  const { assign, next, prev, head, gDem, gSize, gKvpr, gHot, gGrouped, cap } = ws;
  assign[i] = g;
  const first = head[g];
  next[i] = first;
  prev[i] = -1;
  if (first >= 0) prev[first] = i;
  head[g] = i;
  if (ws.dem[i] > 0) gHot[g]++;
  if (ws.grp[i] >= 0) gGrouped[g]++;
  if (ws.current[i] >= 0 && ws.current[i] !== g) moved++;
  gDem[g] += ws.dem[i];
  gSize[g] += ws.size[i];
  gKvpr[g] = kvpr(gDem[g], cap[g] - gSize[g]);
}

/**
 * Takes model i off its GPU. Sums that must be zero are set to zero, not left
 * to subtraction: a stray 1e-17 of demand on a full GPU would read as infinite.
 */
export function unplace(i: number): void {
  const { assign, next, prev, head, gDem, gSize, gKvpr, gHot, gGrouped, cap } = ws;
  const g = assign[i];
  const a = prev[i];
  const b = next[i];
  if (a >= 0) next[a] = b;
  else head[g] = b;
  if (b >= 0) prev[b] = a;
  assign[i] = -1;
  if (ws.dem[i] > 0) gHot[g]--;
  if (ws.grp[i] >= 0) gGrouped[g]--;
  if (ws.current[i] >= 0 && ws.current[i] !== g) moved--;
  gDem[g] = gHot[g] > 0 ? gDem[g] - ws.dem[i] : 0;
  gSize[g] = head[g] >= 0 ? gSize[g] - ws.size[i] : 0;
  gKvpr[g] = kvpr(gDem[g], cap[g] - gSize[g]);
}

/** Empties every GPU; every model is left unassigned (-1). */
function clear(): void {
  const { n, g, assign, head, gHot, gGrouped, gDem, gSize, gKvpr } = ws;
  for (let j = 0; j < g; j++) {
    head[j] = -1;
    gHot[j] = 0;
    gGrouped[j] = 0;
    gDem[j] = 0;
    gSize[j] = 0;
    gKvpr[j] = 0;
  }
  for (let i = 0; i < n; i++) assign[i] = -1;
  moved = 0;
}

/** Empties every GPU, then places the pinned models; the others are left unassigned (-1). */
export function resetToPins(): void {
  const { n, pin } = ws;
  clear();
  for (let i = 0; i < n; i++) if (pin[i] >= 0) place(i, pin[i]);
}

/** Recomputes all GPU state from `assign` (-1 leaves a model unplaced); returns the max KVPR. */
export function rebuild(): number {
  const { n, assign, scratch } = ws;
  for (let i = 0; i < n; i++) scratch[i] = assign[i];
  clear();
  for (let i = n - 1; i >= 0; i--) if (scratch[i] >= 0) place(i, scratch[i]);
  return ws.gKvpr[worstGpu()];
}

/** The GPU of highest KVPR, lowest index on ties. */
export function worstGpu(): number {
  const { g, gKvpr } = ws;
  let best = -1;
  let bestK = -1;
  for (let j = 0; j < g; j++) {
    if (gKvpr[j] > bestK) {
      bestK = gKvpr[j];
      best = j;
    }
  }
  return best;
}

/** Whether GPU g has room for `extra` more GB. */
export function fits(g: number, extra: number): boolean {
  return ws.gSize[g] + extra <= ws.cap[g] + MEM_EPS;
}

/** Whether GPU h holds a model of model i's spread group, other than `except`. */
export function clash(i: number, h: number, except: number): boolean {
  const { grp, next } = ws;
  const k = grp[i];
  if (k < 0 || ws.gGrouped[h] === 0) return false;
  for (let j = ws.head[h]; j >= 0; j = next[j]) if (j !== except && j !== i && grp[j] === k) return true;
  return false;
}
