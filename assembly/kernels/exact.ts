import { kvpr, loadAbove, MEM_EPS } from "./kvpr";
import { withinCost } from "./budget";
import { fits, movedCost, movedCount, peakDem, place, resetToPins, unplace, worstGpu } from "./place";
import { sortByKey } from "./sort";
import { clash, LEVEL_GPU } from "./topology";
import { EX_BEST, EX_BUDGET, EX_COST_BUDGET, EX_COUNT, EX_DEPTH, EX_NODES, EX_SWAPS, EX_TARGET, EX_WIDE } from "./layout";
import {
  N,
  G,
  K,
  dem,
  sDem,
  sgDem,
  sExRestD,
  setSExRestD,
  sExMinD,
  setSExMinD,
  size,
  setKey,
  order,
  setOrder,
  pin,
  cap,
  gDem,
  gSize,
  gKvpr,
  assign,
  exLastK,
  setExLastK,
  exLastG,
  setExLastG,
  setExBest,
  current,
  grp,
  gGrouped,
  exRestD,
  setExRestD,
  exRestS,
  setExRestS,
  exMinD,
  setExMinD,
  exMinS,
  setExMinS,
  scalar,
  setScalar,
  counter,
  setCounter,
  peakLoad,
  moveCost,
  kvFloor,
  gFloor,
  gSpare,
  gNode,
  gZone,
  ENTRIES,
  mLevel,
} from "../memory";

/** An improvement must beat the incumbent by this relative margin. */
const MARGIN: f64 = 1e-12;
/** The bound prunes only when the shortfall exceeds this relative slack, so rounding never cuts a real branch. */
const BOUND_SLACK: f64 = 1e-9;

// The search is resumable: its position lives in the workspace (the counters
// and scalars of the layout), so the host can run it in slices and stop it
// anywhere with the incumbent intact.

/**
 * Starts a branch and bound over assignments for a placement whose max KVPR
 * beats `incumbent` (Infinity: any finite placement). Free models are branched
 * on in decreasing transformed weight at the incumbent (size when there is
 * none), each onto the GPUs in increasing resulting KVPR, pruning every branch
 * that reaches the target; GPUs of equal capacity and equal sums are
 * interchangeable, so only the first of them is tried (unless groups, nodes
 * or a migration budget set them apart). Branches keep spread groups apart and
 * colocated sets together, within KV floors and spares, and at most `maxMoved`
 * models, of move cost at most `maxCost` in all, off their current GPU.
 */
export function exactStart(incumbent: f64, maxMoved: f64, maxCost: f64): void {
  resetToPins();
  let count = 0;
  for (let i = 0; i < N; i++) {
    if (pin(i) >= 0) continue;
    setKey(i, incumbent < Infinity ? peakDem(i) + incumbent * size(i) : size(i));
    setOrder(count++, i);
  }
  sortByKey(count);
  for (let k = count - 1; k >= 0; k--) {
    const i = order(k);
    const later = k + 1 < count;
    setExRestD(k, dem(i) + (later ? exRestD(k + 1) : 0));
    setExRestS(k, size(i) + (later ? exRestS(k + 1) : 0));
    setExMinD(k, later ? Math.min(dem(i), exMinD(k + 1)) : dem(i));
    setExMinS(k, later ? Math.min(size(i), exMinS(k + 1)) : size(i));
    for (let s = 1; s < K; s++) {
      setSExRestD(k, s, sDem(i, s) + (later ? sExRestD(k + 1, s) : 0));
      setSExMinD(k, s, later ? Math.min(sDem(i, s), sExMinD(k + 1, s)) : sDem(i, s));
    }
  }
  setCounter(EX_COUNT, count);
  // Memberships beyond distinct GPUs tell GPUs of different nodes apart; floors and spares break the closing rule's swap.
  let wide = 0;
  for (let e = 0; e < ENTRIES; e++) if (mLevel(e) !== LEVEL_GPU) wide = 1;
  let swaps = 1;
  for (let i = 0; i < N && swaps === 1; i++) if (kvFloor(i) > 0) swaps = 0;
  for (let j = 0; j < G && swaps === 1; j++) if (gSpare(j) > 0) swaps = 0;
  setCounter(EX_WIDE, wide);
  setCounter(EX_SWAPS, swaps);
  // Pins alone may already move more models (or cost) than the budgets allow: then no branch is within them.
  setCounter(EX_DEPTH, <f64>movedCount() > maxMoved || !withinCost(movedCost(), maxCost) ? -1 : 0);
  setScalar(EX_BUDGET, maxMoved);
  setScalar(EX_COST_BUDGET, maxCost);
  setScalar(EX_BEST, incumbent);
  setScalar(EX_TARGET, incumbent < Infinity ? incumbent - incumbent * MARGIN : Infinity);
  setScalar(EX_NODES, 0);
  if (count > 0) setExLastG(0, -1);
}

/** Runs the search for at most `maxNodes` more nodes; returns 1 once the tree is exhausted, else 0. */
export function exactRun(maxNodes: f64): i32 {
  const count = counter(EX_COUNT);
  const budget = scalar(EX_BUDGET);
  const costBudget = scalar(EX_COST_BUDGET);
  let depth = counter(EX_DEPTH);
  let nodes = scalar(EX_NODES);
  let target = scalar(EX_TARGET);
  const stop = nodes + maxNodes;
  let exhausted = 1;
  while (depth >= 0) {
    if (depth === count) {
      // GPUs holding only pinned models were never checked against the target.
      const reached = gKvpr(worstGpu());
      if (reached < target) {
        setScalar(EX_BEST, reached);
        target = reached - reached * MARGIN;
        for (let i = 0; i < N; i++) setExBest(i, assign(i));
        // The closing rule below keeps a solution at the target it saw, not the
        // best one: branches it cut before this find may beat it, so start over.
        // Where the rule never runs, the search goes on from here as it was.
        if (closes(budget, costBudget)) {
          for (let m = count - 1; m >= 0; m--) unplace(order(m));
          depth = 0;
          setExLastG(0, -1);
          continue;
        }
      }
      depth--;
      continue;
    }
    if (nodes >= stop) {
      exhausted = 0;
      break;
    }
    const i = order(depth);
    let g = -1;
    if (exLastG(depth) >= 0) unplace(i);
    else if (!restFits(depth, target)) {
      depth--;
      continue;
    } else g = closingGpu(depth, target, budget, costBudget);
    if (g >= 0) {
      // The only branch: with Infinity as the last branch's KVPR, nextBranch finds none after it.
      setExLastK(depth, Infinity);
      setExLastG(depth, g);
      place(i, g);
      nodes++;
      depth++;
      if (depth < count) setExLastG(depth, -1);
      continue;
    }
    g = nextBranch(i, exLastK(depth), exLastG(depth), target, budget, costBudget);
    if (g < 0) {
      depth--;
      continue;
    }
    setExLastK(depth, kvpr(peakLoad(g, -1, i, Infinity), cap(g) - gSize(g) - size(i)));
    setExLastG(depth, g);
    place(i, g);
    nodes++;
    depth++;
    if (depth < count) setExLastG(depth, -1);
  }
  setCounter(EX_DEPTH, depth);
  setScalar(EX_NODES, nodes);
  setScalar(EX_TARGET, target);
  return exhausted;
}

/** Max KVPR of the best placement found (Infinity if none beat the incumbent yet); it is in `exBest`. */
export function exactBest(): f64 {
  return scalar(EX_BEST);
}

export function exactNodes(): f64 {
  return scalar(EX_NODES);
}

/**
 * Whether the models from depth k on can still fit: in memory, and at the
 * target in transformed space (weight d + t·s into residual t·free − demand),
 * counting only GPUs with room for at least the smallest remaining model;
 * with demand scenarios, in every scenario.
 */
function restFits(k: i32, target: f64): bool {
  const minS = exMinS(k);
  const weighed = target < Infinity;
  const minW = weighed ? exMinD(k) + target * minS : 0;
  let room: f64 = 0;
  let residual: f64 = 0;
  for (let j = 0; j < G; j++) {
    const free = cap(j) - gSize(j);
    if (free < minS) continue;
    room += free;
    if (weighed) {
      const r = target * free - gDem(j);
      if (r >= minW) residual += r;
    }
  }
  const needS = exRestS(k);
  if (needS > room + BOUND_SLACK * (room + needS) + MEM_EPS) return false;
  if (!weighed) return true;
  const needW = exRestD(k) + target * needS;
  if (needW > residual + BOUND_SLACK * (residual + needW)) return false;
  for (let s = 1; s < K; s++) if (!restFitsIn(s, k, target, needS)) return false;
  return countsFit(k, target);
}

/** restFits' weighed test in scenario s ≥ 1 (memory is the same in every scenario). */
function restFitsIn(s: i32, k: i32, target: f64, needS: f64): bool {
  const minS = exMinS(k);
  const minW = sExMinD(k, s) + target * minS;
  let residual: f64 = 0;
  for (let j = 0; j < G; j++) {
    const free = cap(j) - gSize(j);
    if (free < minS) continue;
    const r = target * free - sgDem(j, s);
    if (r >= minW) residual += r;
  }
  const needW = sExRestD(k, s) + target * needS;
  return needW <= residual + BOUND_SLACK * (residual + needW);
}

/**
 * Whether the models from depth k on can still fit by count: the first m of
 * them all weigh at least w (their least transformed weight at the target),
 * a GPU with residual r holds at most ⌊r / w⌋ models that heavy, and none
 * when r < w, so their weight must fit in the residuals of at least w. Volume
 * alone misses the fragments that no remaining model fills. It weighs scenario
 * 0 alone: every placement within the target meets it there, whatever the
 * other scenarios and the move budgets ask, so the bound stays a relaxation.
 */
function countsFit(k: i32, target: f64): bool {
  const count = counter(EX_COUNT);
  let least: f64 = Infinity;
  let weight: f64 = 0;
  let holds: f64 = 0;
  let room: f64 = 0;
  // Counts taken at a heavier least weight: a lighter one only lets more models into more GPUs, so they are
  // retaken (a pass over the GPUs) only when they would prune; every prune is decided on counts at the least.
  let stale = false;
  for (let m = k; m < count; m++) {
    const i = order(m);
    const w = dem(i) + target * size(i);
    // A weight past the largest double has no count to divide into: no prune.
    if (!(w < Infinity)) return true;
    weight += w;
    if (w < least) {
      least = w;
      if (!(w > 0)) return true;
      stale = true;
    }
    if (<f64>(m - k + 1) <= holds && weight <= room + BOUND_SLACK * (room + weight)) continue;
    if (!stale) return false;
    stale = false;
    const slack = least * BOUND_SLACK;
    holds = 0;
    room = 0;
    for (let j = 0; j < G; j++) {
      const r = target * (cap(j) - gSize(j)) - gDem(j);
      if (r + slack < least) continue;
      holds += Math.floor((r + slack) / least);
      room += r;
    }
    if (<f64>(m - k + 1) > holds || weight > room + BOUND_SLACK * (room + weight)) return false;
  }
  return true;
}

/**
 * A GPU that model i, the heaviest left, must close, or -1: one where i fits
 * and no two of the models left fit together. Any placement below the target
 * then has one with i there: that GPU takes at most one model left, no heavier
 * than i, and swapping the two keeps both GPUs below the target (the other
 * one's weight d + t·s only falls). The swap must not break a spread group or
 * a move budget, nor turn a memory-only GPU into one with demand, so the rule
 * waits for models without group or zero demand and for no budget of either
 * kind (a swap changes which models move, and what their moves cost), and for
 * no KV floor or spare (memory is then more than the weight at the target
 * says). It needs one weight per model, too: with demand scenarios the model swapped out may
 * be lighter than i in scenario 0 yet heavier in another, where the swap could
 * break the target, so it holds only for a single scenario.
 */
function closingGpu(k: i32, target: f64, budget: f64, costBudget: f64): i32 {
  if (!closes(budget, costBudget) || !(target < Infinity)) return -1;
  const count = counter(EX_COUNT);
  if (count - k < 2) return -1;
  const i = order(k);
  const heaviest = dem(i) + target * size(i);
  let w1: f64 = Infinity;
  let w2: f64 = Infinity;
  for (let m = k; m < count; m++) {
    const a = order(m);
    if (grp(a) >= 0 || !(dem(a) > 0)) return -1;
    const w = dem(a) + target * size(a);
    if (w > heaviest) return -1;
    if (w < w1) {
      w2 = w1;
      w1 = w;
    } else if (w < w2) w2 = w;
  }
  const pair = w1 + w2;
  for (let j = 0; j < G; j++) {
    if (!fits(j, i) || !(kvpr(gDem(j) + dem(i), cap(j) - gSize(j) - size(i)) < target)) continue;
    const r = target * (cap(j) - gSize(j)) - gDem(j);
    if (pair > r + BOUND_SLACK * (Math.abs(r) + pair)) return j;
  }
  return -1;
}

/** Whether the closing rule may run: one demand scenario, no budget of either kind, no floor or spare (see closingGpu). */
function closes(budget: f64, costBudget: f64): bool {
  return K === 1 && budget === Infinity && costBudget === Infinity && counter(EX_SWAPS) === 1;
}

/** Whether GPUs a and b sit alike: the same node and zone, where memberships care about nodes and zones. */
function sameSite(a: i32, b: i32): bool {
  return counter(EX_WIDE) === 0 || (gNode(a) === gNode(b) && gZone(a) === gZone(b));
}

/** Whether GPUs a and b carry the same demand in every scenario but scenario 0. */
function sameOtherScenarios(a: i32, b: i32): bool {
  for (let s = 1; s < K; s++) if (sgDem(a, s) !== sgDem(b, s)) return false;
  return true;
}

/**
 * The next GPU for model i after the branch (lastK, lastG), in increasing
 * (resulting KVPR, index); skips GPUs in the same state as lastG, since their
 * subtrees are the same (their KVPR with i is lastK too, so one pass finds the
 * first GPU after lastG's twins). Returns -1 when no branch is left below the target.
 */
function nextBranch(i: i32, lastK: f64, lastG: i32, target: f64, budget: f64, costBudget: f64): i32 {
  const d = dem(i);
  const s = size(i);
  const f = kvFloor(i);
  const c = current(i);
  const spent = <f64>movedCount() >= budget || !withinCost(movedCost() + moveCost(i), costBudget);
  const grouped = grp(i) >= 0;
  const twins = lastG >= 0 && budget === Infinity && costBudget === Infinity && gGrouped(lastG) === 0;
  let bestG = -1;
  let bestK: f64 = Infinity;
  for (let j = 0; j < G; j++) {
    // fits(j, i), written out: this loop runs at every node of the search.
    const free = cap(j) - gSize(j) - s;
    if (free - gFloor(j) - f < -MEM_EPS || (spent && c >= 0 && j !== c) || (grouped && clash(i, j, -1))) continue;
    const k = kvpr(K > 1 ? peakLoad(j, -1, i, loadAbove(target, free)) : gDem(j) + d, free);
    if (!(k < target)) continue;
    // The branch just explored never comes again: sums restored after its
    // subtree may differ from before by rounding, and a KVPR an ulp above
    // lastK would otherwise pick the same GPU again, round after round.
    if (j === lastG || (lastG >= 0 && (k < lastK || (k === lastK && j <= lastG)))) continue;
    if (bestG >= 0 && !(k < bestK)) continue;
    if (twins && twin(j, lastG)) continue;
    bestG = j;
    bestK = k;
  }
  return bestG;
}

/** Whether GPU j is in the same state as GPU g, which holds no grouped model: the subtrees below them are the same. */
function twin(j: i32, g: i32): bool {
  return (
    gGrouped(j) === 0 &&
    cap(j) === cap(g) &&
    gDem(j) === gDem(g) &&
    gSize(j) === gSize(g) &&
    gFloor(j) === gFloor(g) &&
    sameSite(j, g) &&
    sameOtherScenarios(j, g)
  );
}
