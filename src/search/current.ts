import type { Instance } from "../input/instance.js";
import type { Incumbent } from "./incumbent.js";

/**
 * Loads the placement as it runs now into the workspace: pinned models on
 * their pin, the others on their current GPU, new models placed greedily.
 * False when a new model fits nowhere.
 */
export function loadCurrentPlacement(inc: Incumbent, inst: Instance): boolean {
  const { ws, kernels } = inc;
  for (let i = 0; i < inst.n; i++) ws.assign[i] = (inst.pin[i] as number) >= 0 ? (inst.pin[i] as number) : (inst.current[i] as number);
  kernels.rebuild();
  return kernels.complete() >= 0;
}
