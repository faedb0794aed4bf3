import { ENTRIES, assign, colo, gGrouped, gNode, gZone, grp, head, mGroup, mLevel, mModel, mNext, next, nodeHead, nodeNext } from "../memory";

// Where GPUs sit (nodes in zones) and what that asks of the models: spread
// groups keep their members on distinct GPUs, nodes or zones; a colocated set
// keeps its members on one node. A model's memberships are the entries
// grp(i), grp(i) + 1, … while mModel is i; the entries of one group form a
// ring through mNext. A check walks whichever is short: the ring of a small
// group, the models of the GPU or node for a large GPU or node spread (a
// group may span the pool). A node or zone
// spread keeps apart the group's units: a colocated set (a replica's shards,
// on one node by definition) is one unit, any other member one of its own.

/** Levels of a membership: a spread group's (members on distinct GPUs, nodes, zones), or a colocated set's. */
export const LEVEL_GPU: i32 = 0;
export const LEVEL_NODE: i32 = 1;
export const LEVEL_ZONE: i32 = 2;
export const LEVEL_COLOCATE: i32 = 3;

/** GPU h's failure domain at a spread level: itself, its node or its zone. */
export function domain(h: i32, level: i32): i32 {
  if (level === LEVEL_GPU) return h;
  if (level === LEVEL_ZONE) return gZone(h);
  return gNode(h);
}

/** Whether models i and j of a group at `level` are kept apart: always on distinct GPUs, on distinct nodes or zones unless one colocated set holds both. */
export function apart(i: i32, j: i32, level: i32): bool {
  return level === LEVEL_GPU || colo(i) < 0 || colo(i) !== colo(j);
}

/** Whether model i on GPU h and model j on GPU a break their group of this level. */
export function breaks(i: i32, h: i32, j: i32, a: i32, level: i32): bool {
  if (level === LEVEL_COLOCATE) return gNode(a) !== gNode(h);
  return domain(a, level) === domain(h, level) && apart(i, j, level);
}

/**
 * Whether model i on GPU h would break one of its groups, ignoring `except`,
 * which is leaving for i's old GPU in a swap: a unit of a spread group of its
 * on h, h's node or h's zone, or a member of its colocated set on another
 * node. A group of a few is walked around its ring; a larger GPU or node
 * spread group through the GPU's or node's models, which the member lists
 * give, so the placement must be one place/unplace keep.
 */
export function clash(i: i32, h: i32, except: i32): bool {
  for (let e = grp(i); e >= 0 && e < ENTRIES && mModel(e) === i; e++) {
    const level = mLevel(e);
    if (level === LEVEL_COLOCATE) {
      // The placed members of a colocated set share a node: the first one found tells which.
      for (let f = mNext(e); f !== e; f = mNext(f)) {
        const j = mModel(f);
        if (j === except || assign(j) < 0) continue;
        if (gNode(assign(j)) !== gNode(h)) return true;
        break;
      }
      continue;
    }
    const walked = ringWalk(e, i, h, except, level === LEVEL_ZONE ? ENTRIES : RING_MAX);
    if (walked === CLASH) return true;
    if (walked === NO_CLASH) continue;
    // A group too large to walk: the members on the GPU, or on its node, are few.
    if (level === LEVEL_GPU) {
      if (gGrouped(h) > 0 && holdsGroup(h, e, i, except)) return true;
    } else {
      for (let j = nodeHead(gNode(h)); j >= 0; j = nodeNext(j)) if (gGrouped(j) > 0 && holdsGroup(j, e, i, except)) return true;
    }
  }
  return false;
}

/** Members a check walks around a GPU or node spread group's ring before it looks at the GPU's or node's models instead. */
const RING_MAX: i32 = 16;
/** What ringWalk found. */
const CLASH: i32 = 1;
const NO_CLASH: i32 = 0;
const TOO_LONG: i32 = -1;

/**
 * Walks entry e's group ring for a member (other than `except`, where
 * `assign` has it) that breaks the group with model i on GPU h: CLASH,
 * NO_CLASH once around, TOO_LONG past `most` members.
 */
function ringWalk(e: i32, i: i32, h: i32, except: i32, most: i32): i32 {
  const level = mLevel(e);
  let walked = 0;
  for (let f = mNext(e); f !== e; f = mNext(f)) {
    if (++walked > most) return TOO_LONG;
    const j = mModel(f);
    const a = assign(j);
    if (j !== except && a >= 0 && breaks(i, h, j, a, level)) return CLASH;
  }
  return NO_CLASH;
}

/** Whether GPU g holds a model other than i and `except` in entry e's group and kept apart from i at its level. */
function holdsGroup(g: i32, e: i32, i: i32, except: i32): bool {
  const k = mGroup(e);
  const level = mLevel(e);
  for (let j = head(g); j >= 0; j = next(j)) {
    if (j === i || j === except) continue;
    for (let f = grp(j); f >= 0 && f < ENTRIES && mModel(f) === j; f++) if (mGroup(f) === k && apart(i, j, level)) return true;
  }
  return false;
}

/**
 * `clash` on `assign` alone (1: it would break a group, 0: not), walking each
 * group's ring: for the host, which tries random moves on `assign` before it
 * rebuilds the member lists.
 */
export function clashes(i: i32, h: i32, except: i32): i32 {
  for (let e = grp(i); e >= 0 && e < ENTRIES && mModel(e) === i; e++) if (ringWalk(e, i, h, except, ENTRIES) === CLASH) return 1;
  return 0;
}

/** The entry of model i's colocated set, or -1. */
export function colocateEntry(i: i32): i32 {
  for (let e = grp(i); e >= 0 && e < ENTRIES && mModel(e) === i; e++) if (mLevel(e) === LEVEL_COLOCATE) return e;
  return -1;
}

/** Whether a model of the colocated set through entry e other than model i is placed. */
export function setStarted(e: i32): bool {
  for (let f = mNext(e); f !== e; f = mNext(f)) if (assign(mModel(f)) >= 0) return true;
  return false;
}
