import { kvpr, MEM_EPS } from "../../kvpr.js";
import { ws } from "./bound.js";

/** Puts model i on GPU g: sums, member list and KVPR in O(1). */
export function place(i: number, g: number): void {
  const { assign, next, prev, head, gDem, gSize, gKvpr, gHot, cap } = ws;
  assign[i] = g;
  const first = head[g];
  next[i] = first;
  prev[i] = -1;
  if (first >= 0) prev[first] = i;
  head[g] = i;
  if (ws.dem[i] > 0) gHot[g]++;
  gDem[g] += ws.dem[i];
  gSize[g] += ws.size[i];
  gKvpr[g] = kvpr(gDem[g], cap[g] - gSize[g]);
}

/**
 * Takes model i off its GPU. Sums that must be zero are set to zero, not left
 * to subtraction: a stray 1e-17 of demand on a full GPU would read as infinite.
 */
export function unplace(i: number): void {
  const { assign, next, prev, head, gDem, gSize, gKvpr, gHot, cap } = ws;
  const g = assign[i];
  const a = prev[i];
  const b = next[i];
  if (a >= 0) next[a] = b;
  else head[g] = b;
  if (b >= 0) prev[b] = a;
  assign[i] = -1;
  if (ws.dem[i] > 0) gHot[g]--;
  gDem[g] = gHot[g] > 0 ? gDem[g] - ws.dem[i] : 0;
  gSize[g] = head[g] >= 0 ? gSize[g] - ws.size[i] : 0;
  gKvpr[g] = kvpr(gDem[g], cap[g] - gSize[g]);
}

/** Empties every GPU, then places the pinned models; the others are left unassigned (-1). */
export function resetToPins(): void {
  const { n, g, assign, pin, head, gHot, gDem, gSize, gKvpr } = ws;
  for (let j = 0; j < g; j++) {
    head[j] = -1;
    gHot[j] = 0;
    gDem[j] = 0;
    gSize[j] = 0;
    gKvpr[j] = 0;
  }
  for (let i = 0; i < n; i++) {
    assign[i] = -1;
    if (pin[i] >= 0) place(i, pin[i]);
  }
}

/** Recomputes all GPU state from `assign`; returns the max KVPR. */
export function rebuild(): number {
  const { n, g, assign, head, gHot, gDem, gSize, gKvpr } = ws;
  for (let j = 0; j < g; j++) {
    head[j] = -1;
    gHot[j] = 0;
    gDem[j] = 0;
    gSize[j] = 0;
    gKvpr[j] = 0;
  }
  for (let i = n - 1; i >= 0; i--) {
    const j = assign[i];
    assign[i] = -1;
    place(i, j);
  }
  return gKvpr[worstGpu(-1)];
}

/** The GPU of highest KVPR other than `skip`, lowest index on ties. */
export function worstGpu(skip: number): number {
  const { g, gKvpr } = ws;
  let best = -1;
  let bestK = -1;
  for (let j = 0; j < g; j++) {
    if (j !== skip && gKvpr[j] > bestK) {
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
