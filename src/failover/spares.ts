import type { Instance } from "../input/instance.js";

/**
 * GPUs in the order they become hot spares (kept empty, to take what a loss
 * displaces): round by round one per node, the nodes taken zone by zone in
 * turn, each node's largest GPU first, so that any one loss takes as few
 * spares with it as the count allows. GPUs a model is pinned to never serve.
 */
export function spareOrder(inst: Instance): number[] {
  const pinned = new Set<number>();
  for (let i = 0; i < inst.n; i++) if ((inst.pin[i] as number) >= 0) pinned.add(inst.pin[i] as number);
  const byNode: number[][] = inst.nodeNames.map(() => []);
  for (let j = 0; j < inst.g; j++) if (!pinned.has(j)) byNode[inst.node[j] as number]?.push(j);
  for (const list of byNode) list.sort((a, b) => (inst.cap[b] as number) - (inst.cap[a] as number) || a - b);
  // Nodes interleaved by zone: the first node of each zone, then the second of each, …
  const byZone: number[][] = inst.zoneNames.map(() => []);
  byNode.forEach((_, v) => {
    const j = inst.node.indexOf(v);
    byZone[inst.zone[j] as number]?.push(v);
  });
  const nodes: number[] = [];
  for (let r = 0; nodes.length < byNode.length; r++) for (const zone of byZone) if (r < zone.length) nodes.push(zone[r] as number);
  const order: number[] = [];
  for (let r = 0; order.length < inst.g - pinned.size; r++)
    for (const v of nodes) if (r < (byNode[v] as number[]).length) order.push((byNode[v] as number[])[r] as number);
  return order;
}

/** Spare memory per GPU with the first `count` GPUs of `order` kept empty (their whole memory spare). */
export function spareMemory(inst: Instance, order: readonly number[], count: number): Float64Array {
  const spare = new Float64Array(inst.g);
  for (let r = 0; r < count; r++) spare[order[r] as number] = inst.cap[order[r] as number] as number;
  return spare;
}
