/**
 * The most value a subset of items can carry within `capacity` (0/1
 * knapsack), with its items: depth-first over the items by value per weight,
 * cut where even the fractional rest cannot beat the best. Exact: a subset the
 * caller's capacity admits is never missed, so a capacity widened for
 * rounding yields an upper bound on the true maximum. Items of no value are
 * left out. Undefined when `maxNodes` branches did not settle it.
 */
export function knapsack(weights: Float64Array, values: Float64Array, capacity: number, maxNodes: number): { value: number; items: number[] } | undefined {
  const items: number[] = [];
  for (let i = 0; i < weights.length; i++) if ((values[i] as number) > 0 && (weights[i] as number) <= capacity) items.push(i);
  const density = (i: number) => (values[i] as number) / Math.max(weights[i] as number, Number.MIN_VALUE);
  items.sort((a, b) => density(b) - density(a) || a - b);
  const chosen: number[] = [];
  let best = 0;
  let bestItems: number[] = [];
  /** The value of items k, k+1, … packed greedily into `room`, the first that does not fit taken in part: no subset of them carries more. */
  const optimistic = (k: number, room: number): number => {
    let value = 0;
    for (; k < items.length; k++) {
      const i = items[k] as number;
      const w = weights[i] as number;
      if (w <= room) {
        room -= w;
        value += values[i] as number;
      } else return value + ((values[i] as number) * room) / w;
    }
    return value;
  };
  let nodes = 0;
  const visit = (k: number, room: number, value: number): void => {
    if (++nodes > maxNodes) return;
    if (value > best) {
      best = value;
      bestItems = [...chosen];
    }
    if (k === items.length || value + optimistic(k, room) <= best) return;
    const i = items[k] as number;
    if ((weights[i] as number) <= room) {
      chosen.push(i);
      visit(k + 1, room - (weights[i] as number), value + (values[i] as number));
      chosen.pop();
    }
    visit(k + 1, room, value);
  };
  visit(0, capacity, 0);
  return nodes > maxNodes ? undefined : { value: best, items: bestItems };
}
