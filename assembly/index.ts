// The WASM ABI: the workspace binding and the kernels, all over raw offsets in
// linear memory. Nothing here allocates, so memory grows only from the host.
export { bind } from "./workspace";
export { sortByKey } from "./sort";
export { rebuild, movedCount } from "./place";
export { greedy, complete } from "./greedy";
export { pack } from "./pack";
export { improve } from "./improve";
export { settle } from "./settle";
export { exactStart, exactRun, exactBest, exactNodes } from "./exact";

/** First free byte after static data and the stack: where the host may lay its workspace. */
export function heapBase(): usize {
  return __heap_base;
}
