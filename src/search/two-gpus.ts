import { subsetSumIn } from "../bounds/subset-sum.js";
import type { Instance } from "../input/instance.js";
import type { Incumbent } from "./incumbent.js";

/**
 * Most free models the two-GPU split enumerates: 2^(n/2) subset sums per half,
 * 2^18 (2 MB, some 20 ms) at 36, so one round stays short of a time limit's slack.
 */
export const TWO_GPU_MAX_MODELS = 36;
/** The target tested below a placement's value: near enough that meeting it is meeting the placement (see Incumbent.proven). */
const BELOW = 0.9e-12;
/** Milliseconds a round may be expected to take per subset sum of one half, to start it only with that much time left. */
const MS_PER_SUM = 1e-4;

/**
 * Two GPUs: below target T the models must split into two sets each within
 * its GPU at T — in transformed weights d + T·s, a subset of the free models
 * whose weight lies in [W − B₁, B₀] (B the GPUs' T·C less their pinned
 * models' weight). That is a subset sum, decided exactly by meeting in the
 * middle; groups, KV floors, move budgets and the other demand scenarios only
 * forbid more splits, so "no split" proves the incumbent optimal whatever
 * they say. It is the exact test only where every free model has demand: a
 * GPU with demand must keep memory free, so its weight is within T·C, while a
 * GPU of memory-only models may be MEM_EPS over its memory. A split found is offered as a placement; when it beats the
 * incumbent the test runs again just below it, and when it does not (a
 * constraint the sums do not see), the proof is left to the exact search.
 */
export function splitTwoGpus(inc: Incumbent, inst: Instance): void {
  if (inst.g !== 2) return;
  const free: number[] = [];
  for (let i = 0; i < inst.n; i++) if ((inst.pin[i] as number) < 0) free.push(i);
  if (free.length > TWO_GPU_MAX_MODELS || free.some((i) => inst.demands.every((demand) => !((demand[i] as number) > 0)))) return;
  const roundMs = MS_PER_SUM * 2 ** Math.ceil(free.length / 2);
  while (Number.isFinite(inc.value) && !inc.proven && inc.msLeft > roundMs) {
    const value = inc.value;
    const T = value * (1 - BELOW);
    const split = splitAt(inst, free, T);
    if (split === "none") {
      inc.lowerBound = Math.max(inc.lowerBound, T);
      return;
    }
    if (split === "unknown") return;
    inc.ws.assign.set(inst.pin);
    free.forEach((i, t) => {
      inc.ws.assign[i] = split[t] === 1 ? 0 : 1;
    });
    inc.kernels.rebuild();
    inc.offerLocalOptimum();
    if (!(inc.value < value)) return;
  }
}

/**
 * A split of the free models (1: GPU 0) that keeps both GPUs within T in
 * scenario 0; "none" when no split does in some scenario; "unknown" when a
 * weight or a room is past the largest double (the sums would prove nothing).
 */
function splitAt(inst: Instance, free: readonly number[], T: number): Uint8Array | "none" | "unknown" {
  let first: Uint8Array | undefined;
  for (const demand of inst.demands) {
    const room = [T * (inst.cap[0] as number), T * (inst.cap[1] as number)];
    for (let i = 0; i < inst.n; i++) {
      const p = inst.pin[i] as number;
      if (p >= 0) room[p] = (room[p] as number) - ((demand[i] as number) + T * (inst.size[i] as number));
    }
    const weights = Float64Array.from(free, (i) => (demand[i] as number) + T * (inst.size[i] as number));
    let total = 0;
    for (const w of weights) total += w;
    // A GPU left with pinned memory-only models may be MEM_EPS over: its room is at least none.
    const [room0, room1] = [Math.max(0, room[0] as number), Math.max(0, room[1] as number)];
    if (!Number.isFinite(total + room0 + room1)) return "unknown";
    const split = subsetSumIn(weights, total - room1, room0);
    if (split === undefined) return "none";
    first ??= split;
  }
  return first as Uint8Array;
}
