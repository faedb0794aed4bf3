/** A loss stays within `failoverKvpr` when its max KVPR exceeds it by no more than this relative slack (rounding). */
export const FAILOVER_SLACK = 1e-12;

/**
 * Whether a re-placement's max KVPR (-1: none found) survives: finite (no GPU
 * left full while it carries demand) and within `failoverKvpr`.
 */
export function within(value: number, failoverKvpr: number): boolean {
  return value >= 0 && value < Infinity && value <= failoverKvpr * (1 + FAILOVER_SLACK);
}
