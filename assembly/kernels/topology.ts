import { ENTRIES, assign, colo, gNode, gZone, grp, mLevel, mModel, mNext } from "../memory";

// Where GPUs sit (nodes in zones) and what that asks of the models: spread
// groups keep their members on distinct GPUs, nodes or zones; a colocated set
// keeps its members on one node. A model's memberships are the entries
// grp(i), grp(i) + 1, … while mModel is i; the entries of one group form a
// ring through mNext, so a check walks the group, not the GPU. A node or zone
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
 * Whether model i on GPU h would break one of its groups, given where the
 * other members are (`assign`, -1 for unplaced ones) and ignoring `except`,
 * which is leaving for i's old GPU in a swap: a spread group's member in h's
 * domain, or a colocated member on another node. Reads `assign` alone, so it
 * holds for placements the member lists do not know yet.
 */
export function clash(i: i32, h: i32, except: i32): bool {
  for (let e = grp(i); e >= 0 && e < ENTRIES && mModel(e) === i; e++) {
    const level = mLevel(e);
    for (let f = mNext(e); f !== e; f = mNext(f)) {
      const j = mModel(f);
      const a = assign(j);
      if (j !== except && a >= 0 && breaks(i, h, j, a, level)) return true;
    }
  }
  return false;
}

/** `clash` for the host (1: it would break a group, 0: not), which checks random moves on `assign` alone. */
export function clashes(i: i32, h: i32, except: i32): i32 {
  return clash(i, h, except) ? 1 : 0;
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
