import type { Kernels } from "../kernels.js";
import { layoutWorkspace, workspaceBytes } from "../workspace.js";
import { bind } from "./bound.js";
import { exactBest, exactNodes, exactRun, exactStart } from "./exact.js";
import { complete, greedy } from "./greedy.js";
import { improve } from "./improve.js";
import { pack } from "./pack.js";
import { movedCount, rebuild } from "./place.js";
import { settle } from "./settle.js";
import { sortByKey } from "./sort.js";

/** The pure-TypeScript engine: the reference twin of the WASM kernels. */
export function createTsKernels(): Kernels {
  let buffer = new ArrayBuffer(0);
  let w = layoutWorkspace(buffer, 0, 0, 0);
  // Kernels share one module-level binding, so each call re-binds its own workspace.
  return {
    engine: "ts",
    workspace(n, g) {
      if (w.n === n && w.g === g) return w;
      const bytes = workspaceBytes(n, g);
      if (buffer.byteLength < bytes) buffer = new ArrayBuffer(Math.max(bytes, 2 * buffer.byteLength));
      w = layoutWorkspace(buffer, 0, n, g);
      return w;
    },
    sortByKey: (count) => (bind(w), sortByKey(count)),
    rebuild: () => (bind(w), rebuild()),
    greedy: () => (bind(w), greedy()),
    complete: () => (bind(w), complete()),
    pack: (T, ordering, policy) => (bind(w), pack(T, ordering, policy)),
    improve: (maxSteps, maxMoved) => (bind(w), improve(maxSteps, maxMoved)),
    settle: (limit) => (bind(w), settle(limit)),
    movedCount,
    exactStart: (incumbent, maxMoved) => (bind(w), exactStart(incumbent, maxMoved)),
    exactRun: (maxNodes) => (bind(w), exactRun(maxNodes)),
    exactBest,
    exactNodes,
  };
}
