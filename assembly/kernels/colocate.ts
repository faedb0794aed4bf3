import { kvpr, MEM_EPS } from "./kvpr";
import { fits, place, room, unplace } from "./place";
import { clash, colocateEntry, setStarted } from "./topology";
import { SET_SLACK } from "./layout";
import { G, assign, counter, cap, kvFloor, gKvpr, gSize, mModel, mNext, nodeHead, nodeNext, peakLoad, scratch, setScratch, size } from "../memory";

// A colocated set (tensor-parallel shards) must end on one node, so it is
// placed as one: placed one member at a time, the first would pick a node by
// its own weight alone and could leave the others no room there.

/** Whether model i belongs to a colocated set none of whose other members is placed: it is then placed by `placeSet`. */
export function leadsSet(i: i32): bool {
  const e = colocateEntry(i);
  return e >= 0 && !setStarted(e);
}

/**
 * Places model i's colocated set, none of it placed yet: tries each node,
 * putting the members (heaviest first) each on the node's GPU of lowest
 * resulting KVPR that it fits and its groups allow. With a `target` (a pack's
 * T) it keeps, of the nodes where the set stays at or below it, the one of
 * fewest GPUs, then the one it fills fullest (best fit), so that wide and
 * empty nodes are left for the sets to come, which may need them; without
 * one (-1), or when no node keeps the set at the target, the node where the
 * set's worst KVPR is lowest. Before all that, a node with `SET_SLACK` GPUs
 * more than the set's members (a solve that must survive a GPU loss asks for
 * one: a lost shard then has a GPU of its node to go to). Ties: the lowest
 * node. Returns
 * the set's worst KVPR, or -1 when no node takes the whole set. Uses
 * `scratch` for the members.
 */
export function placeSet(i: i32, target: f64): f64 {
  const count = gatherSet(i);
  let best = -1;
  let bestK = Infinity;
  let bestLeft = Infinity;
  let bestWidth = 0;
  let bestUnder = false;
  let bestRoomy = false;
  const slack = counter(SET_SLACK);
  let need: f64 = 0;
  for (let t = 0; t < count; t++) need += size(scratch(t)) + kvFloor(scratch(t));
  for (let v = 0; v < G; v++) {
    // A node without the memory for the whole set is passed over before any member is tried on it.
    if (nodeHead(v) < 0 || roomLeft(v) + MEM_EPS < need) continue;
    const k = onNode(v, count);
    const left = roomLeft(v);
    for (let t = 0; t < count; t++) if (assign(scratch(t)) >= 0) unplace(scratch(t));
    if (k < 0) continue;
    const under = target >= 0 && k <= target;
    const width = nodeWidth(v);
    const roomy = width >= count + slack;
    const fitter = width < bestWidth || (width === bestWidth && left < bestLeft);
    const better = (under && !bestUnder) || (under === bestUnder && (under ? fitter : k < bestK));
    if (best < 0 || (roomy && !bestRoomy) || (roomy === bestRoomy && better)) {
      best = v;
      bestK = k;
      bestLeft = left;
      bestWidth = width;
      bestUnder = under;
      bestRoomy = roomy;
    }
  }
  if (best < 0) return -1;
  return onNode(best, count);
}

/** GPUs of node v. */
function nodeWidth(v: i32): i32 {
  let width = 0;
  for (let j = nodeHead(v); j >= 0; j = nodeNext(j)) width++;
  return width;
}

/** Memory node v has left for weights. */
function roomLeft(v: i32): f64 {
  let left: f64 = 0;
  for (let j = nodeHead(v); j >= 0; j = nodeNext(j)) left += room(j);
  return left;
}

/** Puts model i's set into scratch[0..count), heaviest (weights and floor) first; returns the count. */
function gatherSet(i: i32): i32 {
  const e = colocateEntry(i);
  let count = 0;
  let f = e;
  do {
    const m = mModel(f);
    // Insertion by decreasing room needed, then index: sets are a few shards.
    let t = count;
    while (t > 0 && heavier(m, scratch(t - 1))) {
      setScratch(t, scratch(t - 1));
      t--;
    }
    setScratch(t, m);
    count++;
    f = mNext(f);
  } while (f !== e);
  return count;
}

function heavier(a: i32, b: i32): bool {
  const ra = size(a) + kvFloor(a);
  const rb = size(b) + kvFloor(b);
  return ra > rb || (ra === rb && a < b);
}

/**
 * Places the set's members on node v, greedily; returns the worst KVPR of
 * their GPUs, or -1 when a member fits no GPU of the node (the members placed
 * so far stay placed: the caller takes them off).
 */
function onNode(v: i32, count: i32): f64 {
  let worst: f64 = 0;
  for (let t = 0; t < count; t++) {
    const m = scratch(t);
    let best = -1;
    let bestK = Infinity;
    for (let j = nodeHead(v); j >= 0; j = nodeNext(j)) {
      if (!fits(j, m) || clash(m, j, -1)) continue;
      const k = kvpr(peakLoad(j, -1, m, Infinity), cap(j) - gSize(j) - size(m));
      if (best < 0 || k < bestK) {
        best = j;
        bestK = k;
      }
    }
    if (best < 0) return -1;
    place(m, best);
    worst = Math.max(worst, gKvpr(best));
  }
  return worst;
}
