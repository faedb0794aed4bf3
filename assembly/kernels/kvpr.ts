/**
 * Memory is compared with this tolerance (GB, about one byte) so that sums of
 * fractional sizes that fill a GPU exactly are seen as exactly full.
 */
export const MEM_EPS: f64 = 1e-9;

/** Pressure of a GPU holding `demand` with `free` GB left: 0 without demand, infinite when full with demand or overfull. */
export function kvpr(demand: f64, free: f64): f64 {
  if (free < -MEM_EPS) return Infinity;
  if (demand <= 0) return 0;
  if (free <= MEM_EPS) return Infinity;
  return demand / free;
}
