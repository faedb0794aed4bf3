// The WASM ABI: the workspace binding and the kernels, all over raw offsets in
// linear memory. Nothing here allocates, so memory grows only from the host.
// The kernels are shared with the TypeScript engine (see docs/CONTRIBUTING.md).
import { LAYOUT_VERSION } from "./kernels/layout";

export { bind } from "./memory";
export { sortByKey } from "./kernels/sort";
export { binsAtLeast } from "./kernels/bins";
export { rebuild, movedCount, movedCost, moveTo, maxKvpr } from "./kernels/place";
export { greedy, complete } from "./kernels/greedy";
export { pack } from "./kernels/pack";
export { improve } from "./kernels/improve";
export { settle } from "./kernels/settle";
export { exactStart, exactRun, exactBest, exactNodes } from "./kernels/exact";
export { clashes } from "./kernels/topology";
export { loseDomain } from "./kernels/failover";

/** First free byte after static data and the stack: where the host may lay its workspace. */
export function heapBase(): usize {
  return __heap_base;
}

/** The workspace layout this module was built for: the host refuses a module of another. */
export function layoutVersion(): i32 {
  return LAYOUT_VERSION;
}
