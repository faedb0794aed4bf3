import { kvpr, MEM_EPS } from "../../kvpr.js";
import { ws } from "./bound.js";
import { clash, fits, movedCount, place, resetToPins, unplace, worstGpu } from "./place.js";
import { sortByKey } from "./sort.js";

/** An improvement must beat the incumbent by this relative margin. */
const MARGIN = 1e-12;
/** The bound prunes only when the shortfall exceeds this relative slack, so rounding never cuts a real branch. */
const BOUND_SLACK = 1e-9;

// The search is resumable: its position lives here and in the workspace, so the
// host can run it in slices and stop it anywhere with the incumbent intact.
let count = 0;
let depth = 0;
let best = Infinity;
let target = Infinity;
let nodes = 0;
let budget = Infinity;

/**
 * Starts a branch and bound over assignments for a placement whose max KVPR
 * beats `incumbent` (Infinity: any finite placement). Free models are branched
 * on in decreasing transformed weight at the incumbent (size when there is
 * none), each onto the GPUs in increasing resulting KVPR, pruning every branch
 * that reaches the target; GPUs of equal capacity and equal sums are
 * interchangeable, so only the first of them is tried (unless groups or a
 * migration budget set them apart). Branches keep spread groups apart and at
 * most `maxMoved` models off their current GPU.
 */
export function exactStart(incumbent: number, maxMoved: number): void {
  const { n, dem, size, key, order, pin, exLastG } = ws;
  resetToPins();
  count = 0;
  for (let i = 0; i < n; i++) {
    if (pin[i] >= 0) continue;
    key[i] = incumbent < Infinity ? dem[i] + incumbent * size[i] : size[i];
    order[count++] = i;
  }
  sortByKey(count);
  const { exRestD, exRestS, exMinD, exMinS } = ws;
  for (let k = count - 1; k >= 0; k--) {
    const i = order[k];
    const later = k + 1 < count;
    exRestD[k] = dem[i] + (later ? exRestD[k + 1] : 0);
    exRestS[k] = size[i] + (later ? exRestS[k + 1] : 0);
    exMinD[k] = later ? Math.min(dem[i], exMinD[k + 1]) : dem[i];
    exMinS[k] = later ? Math.min(size[i], exMinS[k + 1]) : size[i];
  }
  budget = maxMoved;
  best = incumbent;
  target = incumbent < Infinity ? incumbent - incumbent * MARGIN : Infinity;
  depth = 0;
  nodes = 0;
  if (count > 0) exLastG[0] = -1;
}

/** Runs the search for at most `maxNodes` more nodes; returns 1 once the tree is exhausted, else 0. */
export function exactRun(maxNodes: number): number {
  const { order, exLastK, exLastG, exBest, assign, n, gKvpr } = ws;
  const stop = nodes + maxNodes;
  while (depth >= 0) {
    if (depth === count) {
      // GPUs holding only pinned models were never checked against the target.
      const reached = gKvpr[worstGpu()];
      if (reached < target) {
        best = reached;
        target = best - best * MARGIN;
        for (let i = 0; i < n; i++) exBest[i] = assign[i];
      }
      depth--;
      continue;
    }
    if (nodes >= stop) return 0;
    const i = order[depth];
    if (exLastG[depth] >= 0) unplace(i);
    else if (!restFits(depth)) {
      depth--;
      continue;
    }
    const g = nextBranch(i, exLastK[depth], exLastG[depth]);
    if (g < 0) {
      depth--;
      continue;
    }
    exLastK[depth] = kvpr(ws.gDem[g] + ws.dem[i], ws.cap[g] - ws.gSize[g] - ws.size[i]);
    exLastG[depth] = g;
    place(i, g);
    nodes++;
    depth++;
    if (depth < count) exLastG[depth] = -1;
  }
  return 1;
}

/** Max KVPR of the best placement found (Infinity if none beat the incumbent yet); it is in `exBest`. */
export function exactBest(): number {
  return best;
}

export function exactNodes(): number {
  return nodes;
}

/**
 * Whether the models from depth k on can still fit: in memory, and at the
 * target in transformed space (weight d + t·s into residual t·free − demand),
 * counting only GPUs with room for at least the smallest remaining model.
 */
function restFits(k: number): boolean {
  const { g, cap, gDem, gSize, exRestD, exRestS, exMinD, exMinS } = ws;
  const minS = exMinS[k];
  const weighed = target < Infinity;
  const minW = weighed ? exMinD[k] + target * minS : 0;
  let room = 0;
  let residual = 0;
  for (let j = 0; j < g; j++) {
    const free = cap[j] - gSize[j];
    if (free < minS) continue;
    room += free;
    if (weighed) {
      const r = target * free - gDem[j];
      if (r >= minW) residual += r;
    }
  }
  const needS = exRestS[k];
  if (needS > room + BOUND_SLACK * (room + needS) + MEM_EPS) return false;
  if (!weighed) return true;
  const needW = exRestD[k] + target * needS;
  return needW <= residual + BOUND_SLACK * (residual + needW);
}

/**
 * The next GPU for model i after the branch (lastK, lastG), in increasing
 * (resulting KVPR, index); skips GPUs in the same state as lastG, since their
 * subtrees are the same. Returns -1 when no branch is left below the target.
 */
function nextBranch(i: number, lastK0: number, lastG0: number): number {
  const { g, cap, gDem, gSize, dem, size } = ws;
  const d = dem[i];
  const s = size[i];
  const c = ws.current[i];
  const spent = movedCount() >= budget;
  const grouped = ws.grp[i] >= 0;
  let lastK = lastK0;
  let lastG = lastG0;
  let bestG = -1;
  let twin = true;
  while (twin) {
    bestG = -1;
    let bestK = Infinity;
    for (let j = 0; j < g; j++) {
      if (!fits(j, s) || (spent && c >= 0 && j !== c) || (grouped && clash(i, j, -1))) continue;
      const k = kvpr(gDem[j] + d, cap[j] - gSize[j] - s);
      if (!(k < target)) continue;
      if (lastG >= 0 && (k < lastK || (k === lastK && j <= lastG))) continue;
      if (bestG < 0 || k < bestK) {
        bestG = j;
        bestK = k;
      }
    }
    twin =
      bestG >= 0 && lastG >= 0 && budget === Infinity && ws.gGrouped[bestG] === 0 && ws.gGrouped[lastG] === 0 &&
      cap[bestG] === cap[lastG] && gDem[bestG] === gDem[lastG] && gSize[bestG] === gSize[lastG];
    lastK = bestK;
    lastG = bestG;
  }
  return bestG;
}
