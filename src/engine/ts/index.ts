import type { Kernels } from "../kernels.js";
import { layoutWorkspace, workspaceBytes } from "../workspace.js";
import { bind } from "./bound.js";
import { exactBest, exactNodes, exactRun, exactStart } from "./exact.js";
import { greedy } from "./greedy.js";
import { improve } from "./improve.js";
import { pack } from "./pack.js";
import { rebuild } from "./place.js";
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
    pack: (T, ordering, policy) => (bind(w), pack(T, ordering, policy)),
    improve: (maxSteps) => (bind(w), improve(maxSteps)),
    exactStart: (incumbent) => (bind(w), exactStart(incumbent)),
    exactRun: (maxNodes) => (bind(w), exactRun(maxNodes)),
    exactBest,
    exactNodes,
  };
}
