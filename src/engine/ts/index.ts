import type { Kernels } from "../kernels.js";
import { workspaceCache } from "../workspace.js";
import { binsAtLeast } from "./kernels/bins.js";
import { exactBest, exactNodes, exactRun, exactStart } from "./kernels/exact.js";
import { loseDomain } from "./kernels/failover.js";
import { clashes } from "./kernels/topology.js";
import { complete, greedy } from "./kernels/greedy.js";
import { improve } from "./kernels/improve.js";
import { pack } from "./kernels/pack.js";
import { maxKvpr, movedCost, movedCount, moveTo, rebuild } from "./kernels/place.js";
import { settle } from "./kernels/settle.js";
import { sortByKey } from "./kernels/sort.js";
import { bind } from "./memory.js";

/** The pure-TypeScript engine: the shared kernels compiled by tsc, over a workspace of its own. */
export function createTsKernels(): Kernels {
  let buffer = new ArrayBuffer(0);
  // Doubling: a solver that sees ever larger instances replaces its buffer a few times only.
  const views = workspaceCache(0, (bytes) => {
    if (buffer.byteLength < bytes) buffer = new ArrayBuffer(Math.max(bytes, 2 * buffer.byteLength));
    return buffer;
  });
  let w = views(0, 0, 1, 0);
  // The kernels' accessor layer is one per process: each call binds this engine's workspace first.
  return {
    engine: "ts",
    workspace(n, g, k = 1, m = 0) {
      if (w.n === n && w.g === g && w.k === k && w.m === m) return w;
      w = views(n, g, k, m);
      return w;
    },
    sortByKey: (count) => (bind(w), sortByKey(count)),
    binsAtLeast: (T, demandWeight, s, B) => (bind(w), binsAtLeast(T, demandWeight, s, B)),
    rebuild: () => (bind(w), rebuild()),
    greedy: () => (bind(w), greedy()),
    complete: (by) => (bind(w), complete(by)),
    pack: (T, ordering, policy) => (bind(w), pack(T, ordering, policy)),
    improve: (maxSteps, maxMoved, maxCost) => (bind(w), improve(maxSteps, maxMoved, maxCost)),
    settle: (limit) => (bind(w), settle(limit)),
    movedCount: () => (bind(w), movedCount()),
    movedCost: () => (bind(w), movedCost()),
    moveTo: (i, g) => (bind(w), moveTo(i, g)),
    maxKvpr: () => (bind(w), maxKvpr()),
    exactStart: (incumbent, maxMoved, maxCost) => (bind(w), exactStart(incumbent, maxMoved, maxCost)),
    exactRun: (maxNodes) => (bind(w), exactRun(maxNodes)),
    exactBest: () => (bind(w), exactBest()),
    exactNodes: () => (bind(w), exactNodes()),
    clashes: (i, h, except) => (bind(w), clashes(i, h, except)),
    loseDomain: (level, u, by) => (bind(w), loseDomain(level, u, by)),
  };
}
