import { complete } from "./greedy";
import { unplace } from "./place";
import { LEVEL_GPU } from "./topology";
import { head, nodeHead, nodeNext, setGFloor } from "../memory";

/**
 * Loses GPU u (level LEVEL_GPU) or node u (LEVEL_NODE): takes their models
 * off and places them again on the survivors, by `complete` in the order `by`, everything else
 * staying put. A lost GPU is given an infinite floor, so that nothing fits it
 * while nothing else about it changes; `rebuild` restores it (floors start
 * from the spare again). Returns the max KVPR after, or -1 when a lost model
 * fits nowhere (the ones placed so far stay placed).
 */
export function loseDomain(level: i32, u: i32, by: i32): f64 {
  if (level === LEVEL_GPU) evacuate(u);
  else for (let j = nodeHead(u); j >= 0; j = nodeNext(j)) evacuate(j);
  return complete(by);
}

function evacuate(j: i32): void {
  while (head(j) >= 0) unplace(head(j));
  setGFloor(j, Infinity);
}
