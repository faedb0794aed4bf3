import type { Kernels } from "./kernels.js";

/**
 * Rough nanoseconds per unit of kernel work (a model × model or GPU × GPU
 * visit), on the slow side, so the first slice is small when it matters.
 */
const NS_PER_UNIT = 20;
/** A slice may take at most this share of the time left, so the last one overshoots the deadline by little. */
const SHARE_OF_TIME_LEFT = 1 / 8;
const MAX_GROWTH = 64;
/** Below this, a measured duration is mostly clock resolution. */
const MIN_MEASURED_MS = 0.01;

/**
 * The kernels with the two open-ended calls — the local search (`improve`)
 * and the exact search (`exactRun`) — split into slices that stop once
 * `deadline` (a `performance.now()` time) has passed. A kernel call cannot be
 * interrupted, so this is what lets a time limit hold on large instances: the
 * overshoot is one slice, not one whole local search.
 *
 * Splitting changes no result while time remains: the local search re-ranks
 * GPUs by a total order (KVPR, then index) at each call, the same order it
 * keeps between steps, and the exact search resumes exactly where it stopped.
 *
 * A slice is sized to take a small share of the time left: it starts from a
 * worst-case estimate of one step (the bottleneck's models against all models,
 * the GPU ranking; with `scenarios` demand scenarios, each visit may scan them
 * all) and is rescaled by the time the last slice took.
 */
export function withDeadline(k: Kernels, deadline: number, n: number, g: number, scenarios = 1): Kernels {
  const stepMs = ((n * n) / 4 + (g * g) / 4 + n + g) * scenarios * NS_PER_UNIT * 1e-6;
  const nodeMs = (g * g + n) * scenarios * NS_PER_UNIT * 1e-6;
  const steps = { size: 0 };
  const nodes = { size: 0 };

  /**
   * Scales a slice so the next one should take the allowed share of the time
   * left, growing at most 64-fold: a call costs a fixed part (ranking the GPUs)
   * plus its steps, so the estimate from one call is rough. Returns the time now.
   */
  function adapt(slice: { size: number }, started: number): number {
    const now = performance.now();
    const ratio = (SHARE_OF_TIME_LEFT * (deadline - now)) / Math.max(now - started, MIN_MEASURED_MS);
    slice.size = Math.max(1, Math.floor(slice.size * Math.min(MAX_GROWTH, ratio)));
    return now;
  }

  function first(slice: { size: number }, unitMs: number, now: number): void {
    if (slice.size === 0) slice.size = Math.max(1, Math.floor((SHARE_OF_TIME_LEFT * (deadline - now)) / unitMs));
  }

  return {
    ...k,
    improve(maxSteps, maxMoved, maxCost) {
      let now = performance.now();
      first(steps, stepMs, now);
      let done = 0;
      while (done < maxSteps && now <= deadline) {
        const want = Math.min(steps.size, maxSteps - done);
        const did = k.improve(want, maxMoved, maxCost);
        done += did;
        if (did < want) break;
        now = adapt(steps, now);
      }
      return done;
    },
    exactRun(maxNodes) {
      let now = performance.now();
      first(nodes, nodeMs, now);
      const stop = k.exactNodes() + maxNodes;
      while (now <= deadline) {
        const left = stop - k.exactNodes();
        if (left <= 0) return 0;
        if (k.exactRun(Math.min(nodes.size, left)) === 1) return 1;
        now = adapt(nodes, now);
      }
      return 0;
    },
  };
}
