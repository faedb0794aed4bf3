import { LEVEL_COLOCATE, LEVEL_GPU, LEVEL_NODE, LEVEL_ZONE } from "../engine/ts/kernels/topology.js";
import type { Instance } from "../input/instance.js";
import { groupLabel, groupMembers, spreadUnit } from "../input/topology.js";
import { MEM_EPS } from "../kvpr.js";
import { FAILOVER_SLACK } from "./within.js";

/**
 * Why no placement can survive every loss of the level, when counting shows
 * it (else undefined): after losing the largest GPU or node the rest lacks
 * the memory for all models, or (with `failoverKvpr`) leaves all demand over
 * all memory left above it in some scenario; a spread group has more units than the GPUs,
 * nodes or zones some loss leaves it; a colocated set has no second node to
 * go to (node loss) or no spare GPU on its node (GPU loss).
 */
export function failoverImpossible(inst: Instance, level: "gpu" | "node", failoverKvpr: number): string | undefined {
  const { g, cap } = inst;
  const nodes = inst.nodeNames.length;
  const zones = inst.zoneNames.length;
  const nodeGpus = new Array<number>(nodes).fill(0);
  const nodeMem = new Array<number>(nodes).fill(0);
  const zoneNodes = new Array<Set<number>>(zones).fill(new Set()).map(() => new Set<number>());
  const zoneGpus = new Array<number>(zones).fill(0);
  let total = 0;
  for (let j = 0; j < g; j++) {
    const v = inst.node[j] as number;
    nodeGpus[v] = (nodeGpus[v] as number) + 1;
    nodeMem[v] = (nodeMem[v] as number) + (cap[j] as number);
    zoneNodes[inst.zone[j] as number]?.add(v);
    zoneGpus[inst.zone[j] as number] = (zoneGpus[inst.zone[j] as number] as number) + 1;
    total += cap[j] as number;
  }
  let need = 0;
  let weights = 0;
  for (let i = 0; i < inst.n; i++) {
    need += (inst.size[i] as number) + (inst.floor[i] as number);
    weights += inst.size[i] as number;
  }
  const largest = level === "gpu" ? Math.max(...cap) : Math.max(...nodeMem);
  const left = total - largest;
  if (need > left + MEM_EPS) return `the models need ${need} GB (weights and KV floors), but losing the largest ${level} leaves ${left} GB`;
  for (let k = 0; k < inst.k; k++) {
    let demand = 0;
    for (const d of inst.demands[k] as Float64Array) demand += d;
    // However the survivors share it, their largest KVPR is at least the average.
    const fluid = demand > 0 ? demand / (left - weights) : 0;
    if (fluid > failoverKvpr * (1 + FAILOVER_SLACK)) {
      const where = inst.k > 1 ? ` in scenario ${JSON.stringify(inst.scenarioIds[k])}` : "";
      return `losing the largest ${level} leaves ${left - weights} GB of KV cache for all demand${where}, a KVPR of at least ${fluid}, above failoverKvpr ${failoverKvpr}`;
    }
  }
  const largestGpus = level === "gpu" ? 1 : Math.max(...nodeGpus);
  const members = groupMembers(inst);
  for (let k = 0; k < members.length; k++) {
    const list = members[k] as number[];
    const what = groupLabel(inst.groupLevel, inst.groupNames, k);
    const spread = inst.groupLevel[k] as number;
    if (spread === LEVEL_COLOCATE) {
      const why = colocatedStuck(inst, list, level, nodeGpus, nodeMem);
      if (why !== undefined) return `${what} ${why}`;
      continue;
    }
    const units = spread === LEVEL_GPU ? list.length : new Set(list.map((i) => spreadUnit(inst.colocated, i))).size;
    if (spread === LEVEL_GPU && units > g - largestGpus)
      return `${what} needs ${units} distinct GPUs, and losing the largest ${level} leaves ${g - largestGpus}`;
    if (spread === LEVEL_NODE && level === "node" && units > nodes - 1) return `${what} needs ${units} distinct nodes, and a node loss leaves ${nodes - 1}`;
    // A domain with one unit in each: the unit of a domain that one loss empties has nowhere to go.
    const domains = spread === LEVEL_NODE ? nodes : zones;
    if (spread !== LEVEL_GPU && units === domains) {
      const lone = spread === LEVEL_NODE ? nodeGpus.indexOf(1) : level === "node" ? zoneNodes.findIndex((s) => s.size === 1) : zoneGpus.indexOf(1);
      if (lone >= 0) {
        const name = spread === LEVEL_NODE ? inst.nodeNames[lone] : inst.zoneNames[lone];
        return `${what} has a unit in each of the ${domains} ${spread === LEVEL_ZONE ? "zones" : "nodes"}, and losing the one ${level} of ${JSON.stringify(name)} leaves its unit nowhere`;
      }
    }
  }
  return undefined;
}

/** Why a colocated set cannot survive the level's losses, or undefined. */
function colocatedStuck(inst: Instance, list: number[], level: "gpu" | "node", nodeGpus: number[], nodeMem: number[]): string | undefined {
  let need = 0;
  for (const i of list) need += (inst.size[i] as number) + (inst.floor[i] as number);
  // The most of its members that share one GPU spread group: they need that many GPUs of the node.
  const counts = new Map<number, number>();
  for (const i of list) {
    for (let e = inst.memberStart[i] as number; e < (inst.memberStart[i + 1] as number); e++) {
      const k = inst.memberGroup[e] as number;
      if (inst.groupLevel[k] === LEVEL_GPU) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const distinct = Math.max(1, ...counts.values());
  const homes = nodeMem.filter((mem, v) => mem + MEM_EPS >= need && (nodeGpus[v] as number) >= distinct).length;
  if (level === "node" && homes < 2) return `fits ${homes === 0 ? "no node" : "one node only"}, so a node loss leaves it nowhere`;
  if (level === "gpu" && distinct > 1 && !nodeGpus.some((n, v) => n > distinct && (nodeMem[v] as number) + MEM_EPS >= need)) {
    return `needs ${distinct} distinct GPUs of one node, and no node that holds it has one more for a lost shard`;
  }
  return undefined;
}
