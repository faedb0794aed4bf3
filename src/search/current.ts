import type { Instance } from "../input/instance.js";
import type { Incumbent } from "./incumbent.js";
import { Completion } from "../engine/kernels.js";

/**
 * Loads the placement as it runs now into the workspace: pinned models on
 * their pin, the others on their current GPU except `leave` (the models that
 * must move to part their group), which are placed greedily with the new
 * models. The current placement itself may break groups, so it is never
 * offered as it stands. False when a model to place fits nowhere.
 */
export function loadCurrentPlacement(inc: Incumbent, inst: Instance, leave: readonly number[]): boolean {
  const { ws, kernels } = inc;
  for (let i = 0; i < inst.n; i++) ws.assign[i] = (inst.pin[i] as number) >= 0 ? (inst.pin[i] as number) : (inst.current[i] as number);
  for (const i of leave) ws.assign[i] = -1;
  kernels.rebuild();
  return kernels.complete(Completion.byDemand) >= 0;
}
