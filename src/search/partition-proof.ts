import { BELOW } from "../bounds/lower-bounds.js";
import { packInto } from "../bounds/partition.js";
import type { Instance } from "../input/instance.js";
import type { Incumbent } from "./incumbent.js";

/** Most free models: each bin's subsets come from 2^(n/2) sums per half, 2^18 (2 MB, some 20 ms) at 36. */
const PARTITION_MAX_MODELS = 36;
/**
 * Slack (all GPUs' capacity at the target less the models' weight), as a share
 * of one GPU's, under which the bin completion runs on more than two GPUs (of
 * one memory size: with GPUs of several sizes no bins are interchangeable, and
 * generated pools of them took seconds where the tree takes milliseconds): few
 * subsets fill a GPU to within it, so the search ends in milliseconds (many
 * small models on 3–6 GPUs: proved in 13 ms on average, the slack at the
 * optimum 1e-6 to 2e-3 of a GPU, and up to about 0.02 at the placements the
 * packs find first, which the search then improves on); ADRS-sized instances
 * sit at 0.2 and more, where it would open far more nodes than the assignment
 * tree needs. On two GPUs the first subset that fits settles it, whatever the
 * slack.
 */
const NARROW_SLACK = 0.05;
/**
 * Subset sums a round may list (some 0.1–0.4 s): a budget of work, not of
 * time, so that both engines, which share this code, stop at the same point.
 * The many small models' rounds list up to about 2^20.
 */
const WORK = 1 << 22;
/** And at most this share of the time left: the exact search gets the rest. */
const TIME_SHARE = 0.5;

/**
 * The partition proof: below target T every GPU's transformed weight d + T·s
 * must stay within T·C, so the free models must fit, as weights, into bins of
 * what each GPU can still take at T (less its pinned models) — bin packing,
 * decided exactly by bin completion (`packInto`). Groups, KV floors, move
 * budgets and the other demand scenarios only forbid more packings, so "none"
 * in any scenario proves the incumbent optimal whatever they say. It is the
 * exact test only where every free model has demand: a GPU with demand must
 * keep memory free, so its weight is within T·C, while a GPU of memory-only
 * models may be MEM_EPS over its memory. A packing found is polished and
 * offered; when it beats the incumbent the test runs again just below it, and
 * when it does not (a constraint the weights do not see), or the search runs
 * out of work or time, the proof is left to the exact search.
 */
export function provePartition(inc: Incumbent, inst: Instance): void {
  if (!Number.isFinite(inc.value) || inc.proven || !(inst.g === 2 || (inst.cap.every((c) => c === inst.cap[0]) && narrow(inst, inc.value)))) return;
  const free: number[] = [];
  for (let i = 0; i < inst.n; i++) if ((inst.pin[i] as number) < 0) free.push(i);
  if (free.length > PARTITION_MAX_MODELS || free.some((i) => inst.demands.every((demand) => !((demand[i] as number) > 0)))) return;
  const until = performance.now() + TIME_SHARE * inc.msLeft;
  const stop = () => performance.now() > until;
  while (Number.isFinite(inc.value) && !inc.proven && !stop()) {
    const value = inc.value;
    const T = value * (1 - BELOW);
    const packed = packAt(inst, free, T, stop);
    if (packed === "none") {
      inc.lowerBound = Math.max(inc.lowerBound, T);
      return;
    }
    if (packed === "unknown") return;
    inc.ws.assign.set(inst.pin);
    free.forEach((i, t) => {
      inc.ws.assign[i] = packed[t] as number;
    });
    inc.kernels.rebuild();
    inc.offerLocalOptimum();
    if (!(inc.value < value)) return;
  }
}

/** Whether the slack at T, in some scenario, is within NARROW_SLACK of the largest GPU: counted without allocating, for the instances that never get further. */
function narrow(inst: Instance, T: number): boolean {
  let capacity = 0;
  let widest = 0;
  for (const c of inst.cap) {
    capacity += c;
    widest = Math.max(widest, c);
  }
  let size = 0;
  for (let i = 0; i < inst.n; i++) size += inst.size[i] as number;
  return inst.demands.some((demand) => {
    let load = 0;
    for (let i = 0; i < inst.n; i++) load += demand[i] as number;
    return T * (capacity - size) - load <= NARROW_SLACK * T * widest;
  });
}

/**
 * A packing of the free models (GPU per model) within T in scenario 0; "none" when
 * no packing exists in some scenario; "unknown" when the search did not settle
 * it, the slack is too wide to try, or a weight is past the largest double.
 */
function packAt(inst: Instance, free: readonly number[], T: number, stop: () => boolean): Int32Array | "none" | "unknown" {
  let first: Int32Array | undefined;
  for (const demand of inst.demands) {
    const rooms = Float64Array.from(inst.cap, (c) => T * c);
    for (let i = 0; i < inst.n; i++) {
      const p = inst.pin[i] as number;
      if (p >= 0) rooms[p] = (rooms[p] as number) - ((demand[i] as number) + T * (inst.size[i] as number));
    }
    // A GPU left with pinned memory-only models may be MEM_EPS over: its room is at least none.
    for (let j = 0; j < inst.g; j++) rooms[j] = Math.max(0, rooms[j] as number);
    const weights = Float64Array.from(free, (i) => (demand[i] as number) + T * (inst.size[i] as number));
    let slack = 0;
    let widest = 0;
    for (const r of rooms) {
      slack += r;
      widest = Math.max(widest, r);
    }
    for (const w of weights) slack -= w;
    if (!Number.isFinite(slack)) return "unknown";
    if (inst.g > 2 && slack > NARROW_SLACK * widest) return "unknown";
    const packing = packInto(weights, rooms, WORK, stop);
    if (packing === "none" || packing === "unknown") return packing;
    first ??= packing.bins;
  }
  return first as Int32Array;
}
