/**
 * Memory is compared with this tolerance (GB, about one byte) so that sums of
 * fractional sizes that fill a GPU exactly are seen as exactly full.
 */
export const MEM_EPS: f64 = 1e-9;

/** Below this a value is too small for `loadAbove`'s margin to hold against rounding (subnormal quotients). */
const TINY: f64 = 1e-290;

/**
 * A demand past which the KVPR at `free` surely exceeds `value`, rounding
 * included (Infinity when no demand is sure to): a scan for a GPU's peak load
 * over the scenarios may stop there when all it must know is whether the KVPR
 * stays below `value`.
 */
export function loadAbove(value: f64, free: f64): f64 {
  if (free <= MEM_EPS || !(value < Infinity) || !(value > TINY)) return Infinity;
  return value * free * (1 + 1e-9);
}

/** Pressure of a GPU holding `demand` with `free` GB left: 0 without demand, infinite when full with demand or overfull. */
export function kvpr(demand: f64, free: f64): f64 {
  if (free < -MEM_EPS) return Infinity;
  if (demand <= 0) return 0;
  if (free <= MEM_EPS) return Infinity;
  return demand / free;
}
