import { PlacementError } from "../errors.js";
import { LEVEL_COLOCATE, LEVEL_GPU, LEVEL_NODE, LEVEL_ZONE } from "../engine/ts/kernels/topology.js";
import { MEM_EPS } from "../kvpr.js";
import { describeValue } from "./label.js";
import type { Slab } from "./slab.js";

/** Where the GPUs sit: each GPU's node and zone, as indices, and their names. */
export type Sites = { node: Int32Array; zone: Int32Array; nodeNames: string[]; zoneNames: string[] };

/** The spread levels by name, as the kernels number them. */
export const SPREAD_LEVELS: Readonly<Record<string, number>> = { gpu: LEVEL_GPU, node: LEVEL_NODE, zone: LEVEL_ZONE };

/**
 * Nodes and zones from the GPUs' `node` and `zone` names (undefined: none). A
 * GPU without a node is a node of its own, named by its id; a node without a
 * zone is a zone of its own, named as the node. Every GPU of a node that names
 * a zone must name the same one: a node cannot straddle two failure domains.
 */
export function readSites(nodeOf: (string | undefined)[], zoneOf: (string | undefined)[], gpuIds: string[], slab: Slab): Sites {
  const g = gpuIds.length;
  const node = slab.i32(g);
  const zone = slab.i32(g);
  if (!nodeOf.some((v) => v !== undefined) && !zoneOf.some((z) => z !== undefined)) {
    for (let j = 0; j < g; j++) {
      node[j] = j;
      zone[j] = j;
    }
    return { node, zone, nodeNames: gpuIds, zoneNames: gpuIds };
  }
  const nodeIndex = new Map<string, number>();
  const nodeNames: string[] = [];
  const zoneOfNode: (string | undefined)[] = [];
  const zoneGpu: number[] = [];
  for (let j = 0; j < g; j++) {
    const name = nodeOf[j];
    let v = name === undefined ? undefined : nodeIndex.get(name);
    if (v === undefined) {
      v = nodeNames.push(name ?? (gpuIds[j] as string)) - 1;
      if (name !== undefined) nodeIndex.set(name, v);
      zoneOfNode.push(undefined);
    }
    node[j] = v;
    const z = zoneOf[j];
    if (z === undefined) continue;
    const before = zoneOfNode[v];
    if (before !== undefined && before !== z) {
      throw new PlacementError(
        "INVALID_GPU",
        `GPU ${j} puts node ${JSON.stringify(nodeNames[v])} in zone ${JSON.stringify(z)}, GPU ${zoneGpu[v]} in zone ${JSON.stringify(before)}: a node has one zone`,
        { gpu: j, node: nodeNames[v] as string },
      );
    }
    zoneOfNode[v] = z;
    zoneGpu[v] = j;
  }
  const zoneIndex = new Map<string, number>();
  const zoneNames: string[] = [];
  const zoneOfNodeIndex = zoneOfNode.map((z, v) => {
    const name = z ?? (nodeNames[v] as string);
    let index = z === undefined ? undefined : zoneIndex.get(z);
    if (index === undefined) {
      index = zoneNames.push(name) - 1;
      if (z !== undefined) zoneIndex.set(z, index);
    }
    return index;
  });
  for (let j = 0; j < g; j++) zone[j] = zoneOfNodeIndex[node[j] as number] as number;
  return { node, zone, nodeNames, zoneNames };
}

/** A model's memberships, flat: model i's groups are `memberGroup[memberStart[i] .. memberStart[i + 1])`. */
export type Memberships = {
  memberStart: Int32Array;
  memberGroup: Int32Array;
  /** Per group: LEVEL_GPU, LEVEL_NODE or LEVEL_ZONE for a spread group, LEVEL_COLOCATE for a colocated set. */
  groupLevel: Int32Array;
  groupNames: string[];
  /** Per model: its colocated set (a group index), or -1. */
  colocated: Int32Array;
};

/**
 * The unit a model counts as in a node or zone spread: its colocated set (one
 * replica's shards, on one node by definition), or itself. As a number: the
 * set's index, or −1 − i for a model without one.
 */
export function spreadUnit(colocated: Int32Array, i: number): number {
  const set = colocated[i] as number;
  return set >= 0 ? set : -1 - i;
}

/** Collects the models' spread groups and colocated sets into memberships, as validation reads them. */
export class MembershipBuilder {
  private readonly start: Int32Array;
  private models = 0;
  private readonly groups: number[] = [];
  // Created with the first group: most problems have none, and a solve that repeats should not pay for them.
  private spreadIndex: Map<string, number> | undefined;
  private colocateIndex: Map<string, number> | undefined;
  private readonly names: string[] = [];
  private readonly colocated: boolean[] = [];

  /** For `n` models, added in order; the per-model arrays come from `slab`. */
  constructor(
    n: number,
    private readonly slab: Slab,
  ) {
    this.start = slab.i32(n + 1);
    this.start[0] = 0;
  }

  /** The next model's spread groups (already checked to be strings, without repeats) and colocation key. */
  add(groups: string | readonly string[] | undefined, colocate: string | undefined): void {
    if (groups !== undefined) {
      this.spreadIndex ??= new Map();
      if (typeof groups === "string") this.groups.push(this.index(this.spreadIndex, groups, false));
      else for (const name of groups) this.groups.push(this.index(this.spreadIndex, name, false));
    }
    if (colocate !== undefined) {
      this.colocateIndex ??= new Map();
      this.groups.push(this.index(this.colocateIndex, colocate, true));
    }
    this.start[++this.models] = this.groups.length;
  }

  /** The memberships, with each spread group at the level `spread` names (default "gpu"). */
  build(spread: Readonly<Record<string, unknown>> | undefined): Memberships {
    // Most problems have no groups: their (empty) arrays come from the slab too.
    const groupLevel = this.names.length === 0 ? this.slab.i32(0) : new Int32Array(this.names.length);
    this.colocated.forEach((c, k) => {
      groupLevel[k] = c ? LEVEL_COLOCATE : LEVEL_GPU;
    });
    if (spread !== undefined) {
      for (const [name, level] of Object.entries(spread)) {
        const k = this.spreadIndex?.get(name);
        if (k === undefined) {
          throw new PlacementError("INVALID_PROBLEM", `spread names the group ${JSON.stringify(name)}, which no model belongs to`);
        }
        const code = typeof level === "string" ? SPREAD_LEVELS[level] : undefined;
        if (code === undefined) {
          throw new PlacementError("INVALID_PROBLEM", `spread of group ${JSON.stringify(name)} must be "gpu", "node" or "zone", got ${describeValue(level)}`);
        }
        groupLevel[k] = code;
      }
    }
    const memberStart = this.start;
    const memberGroup = this.groups.length === 0 ? this.slab.i32(0) : Int32Array.from(this.groups);
    const colocated = this.slab.i32(this.models).fill(-1);
    if (this.colocateIndex !== undefined)
      for (let i = 0; i < colocated.length; i++) {
        for (let e = memberStart[i] as number; e < (memberStart[i + 1] as number); e++)
          if (this.colocated[memberGroup[e] as number]) colocated[i] = memberGroup[e] as number;
      }
    return { memberStart, memberGroup, groupLevel, groupNames: this.names, colocated };
  }

  private index(map: Map<string, number>, name: string, colocate: boolean): number {
    let k = map.get(name);
    if (k === undefined) {
      k = this.names.push(name) - 1;
      this.colocated.push(colocate);
      map.set(name, k);
    }
    return k;
  }
}

/** The models of each group (spread group or colocated set), in index order. */
export function groupMembers(m: Pick<Memberships, "memberStart" | "memberGroup" | "groupLevel">): number[][] {
  const members: number[][] = Array.from(m.groupLevel, () => []);
  const n = m.memberStart.length - 1;
  for (let i = 0; i < n; i++) for (let e = m.memberStart[i] as number; e < (m.memberStart[i + 1] as number); e++) members[m.memberGroup[e] as number]?.push(i);
  return members;
}

/** GPU j's domain at a spread level (LEVEL_GPU, LEVEL_NODE or LEVEL_ZONE): itself, its node or its zone. */
export function siteOf(sites: Pick<Sites, "node" | "zone">, j: number, level: number): number {
  return level === LEVEL_GPU ? j : level === LEVEL_ZONE ? (sites.zone[j] as number) : (sites.node[j] as number);
}

/**
 * Whether model i on GPU h and model j on GPU a break a group of theirs at
 * `level`: a colocated set's when they are on two nodes, a spread group's
 * when they share its domain and are kept apart (on distinct GPUs always, on
 * distinct nodes or zones unless one colocated set holds both). The same rule
 * as the kernels' `breaks`, for the host's own searches and checks.
 */
export function breaksGroup(
  t: Pick<Sites, "node" | "zone"> & Pick<Memberships, "colocated">,
  level: number,
  i: number,
  h: number,
  j: number,
  a: number,
): boolean {
  if (level === LEVEL_COLOCATE) return t.node[a] !== t.node[h];
  return siteOf(t, a, level) === siteOf(t, h, level) && (level === LEVEL_GPU || spreadUnit(t.colocated, i) !== spreadUnit(t.colocated, j));
}

/** How a message names domain v at a spread level: `GPU 3`, `node "n1"`, `zone "east"`. */
export function siteName(sites: Pick<Sites, "nodeNames" | "zoneNames">, v: number, level: number): string {
  if (level === LEVEL_GPU) return `GPU ${v}`;
  return level === LEVEL_ZONE ? `zone ${JSON.stringify(sites.zoneNames[v])}` : `node ${JSON.stringify(sites.nodeNames[v])}`;
}

/** What the constraint checks read of an instance. */
type Topology = Memberships &
  Sites & {
    n: number;
    g: number;
    size: Float64Array;
    floor: Float64Array;
    cap: Float64Array;
    pin: Int32Array;
  };

const LEVEL_WORDS = ["GPUs", "nodes", "zones"];

/** How a message names group k: a spread group or a colocated set. */
export function groupLabel(groupLevel: Int32Array, groupNames: string[], k: number): string {
  const name = JSON.stringify(groupNames[k]);
  return groupLevel[k] === LEVEL_COLOCATE ? `colocated set ${name}` : `group ${name}`;
}

/**
 * Refuses constraints that contradict each other before any search: a spread
 * group with more units (see spreadUnit) than its level has domains, two units
 * pinned into one domain; a colocated set whose members are pinned to two
 * nodes, or that no node has the memory or (for members that must also sit on
 * distinct GPUs) the GPUs for.
 */
export function checkTopology(t: Topology, label: (i: number) => string): void {
  const { g, groupLevel } = t;
  if (groupLevel.length === 0) return;
  const domains = [g, t.nodeNames.length, t.zoneNames.length];
  const members = groupMembers(t);
  members.forEach((list, k) => {
    const level = groupLevel[k] as number;
    const what = groupLabel(groupLevel, t.groupNames, k);
    if (level === LEVEL_COLOCATE) {
      checkColocated(t, list, k, label);
      return;
    }
    const unitOf = (i: number) => (level === LEVEL_GPU ? i : spreadUnit(t.colocated, i));
    const units = new Set(list.map(unitOf)).size;
    if (units > (domains[level] as number)) {
      const counted = level === LEVEL_GPU || units === list.length ? `${units} models` : `${units} units (a colocated set counts once)`;
      throw new PlacementError(
        "GROUP_INFEASIBLE",
        `${what} spreads ${counted} over distinct ${LEVEL_WORDS[level]}, but the pool has ${domains[level]} (${label(list[list.length - 1] as number)})`,
        { model: list[list.length - 1] as number, group: t.groupNames[k] as string },
      );
    }
    if (level !== LEVEL_GPU) checkHomes(t, list, k, members, label);
    const pinnedAt = new Map<number, number>();
    for (const i of list) {
      const p = t.pin[i] as number;
      if (p < 0) continue;
      const d = siteOf(t, p, level);
      const other = pinnedAt.get(d);
      if (other !== undefined && unitOf(other) !== unitOf(i)) {
        const where = level === LEVEL_GPU ? `GPU ${p}` : `GPUs ${t.pin[other]} and ${p} of one ${level === LEVEL_NODE ? "node" : "zone"}`;
        throw new PlacementError("GROUP_INFEASIBLE", `${label(other)} and ${label(i)} of ${what} are both pinned to ${where}`, {
          model: i,
          gpu: p,
          group: t.groupNames[k] as string,
        });
      }
      pinnedAt.set(d, i);
    }
  });
}

/**
 * A node or zone spread over colocated sets: each set needs a node with as
 * many GPUs as its members that must sit on distinct GPUs, and the memory of
 * them all. The sets that need at least what set u needs each need a domain
 * of their own with a node that also fits u: more of them than such domains,
 * and no placement exists (all the wide nodes in one zone, say).
 */
function checkHomes(t: Topology, list: number[], k: number, members: number[][], label: (i: number) => string): void {
  const level = t.groupLevel[k] as number;
  const sets = [...new Set(list.map((i) => t.colocated[i] as number).filter((c) => c >= 0))];
  if (sets.length < 2) return;
  const nodes = t.nodeNames.length;
  const nodeGpus = new Array<number>(nodes).fill(0);
  const nodeMem = new Array<number>(nodes).fill(0);
  const nodeDomain = new Array<number>(nodes).fill(0);
  for (let j = 0; j < t.g; j++) {
    const v = t.node[j] as number;
    nodeGpus[v] = (nodeGpus[v] as number) + 1;
    nodeMem[v] = (nodeMem[v] as number) + (t.cap[j] as number);
    nodeDomain[v] = siteOf(t, j, level);
  }
  const needs = sets.map((c) => {
    const shards = members[c] as number[];
    let memory = 0;
    for (const i of shards) memory += (t.size[i] as number) + (t.floor[i] as number);
    return { set: c, width: widest(t, shards), memory };
  });
  for (const u of needs) {
    const many = needs.filter((v) => v.width >= u.width && v.memory >= u.memory).length;
    const homes = new Set<number>();
    for (let v = 0; v < nodes; v++) if ((nodeGpus[v] as number) >= u.width && (nodeMem[v] as number) + MEM_EPS >= u.memory) homes.add(nodeDomain[v] as number);
    if (many > homes.size) {
      const first = (members[u.set] as number[])[0] as number;
      throw new PlacementError(
        "GROUP_INFEASIBLE",
        `${groupLabel(t.groupLevel, t.groupNames, k)} spreads ${many} colocated sets, each needing a node of ${u.width === 1 ? "1 GPU" : `${u.width} GPUs`} and ${u.memory} GB, over distinct ${LEVEL_WORDS[level]}, but only ${homes.size === 1 ? `1 ${LEVEL_WORDS[level]?.slice(0, -1)} has` : `${homes.size} ${LEVEL_WORDS[level]} have`} such a node (${label(first)})`,
        { model: first, group: t.groupNames[k] as string },
      );
    }
  }
}

/** The most models of a set that share one GPU spread group: the distinct GPUs the set needs on its node. */
function widest(t: Topology, shards: readonly number[]): number {
  const counts = new Map<number, number>();
  let most = 1;
  for (const i of shards) {
    for (let e = t.memberStart[i] as number; e < (t.memberStart[i + 1] as number); e++) {
      const k = t.memberGroup[e] as number;
      if (t.groupLevel[k] !== LEVEL_GPU) continue;
      const c = (counts.get(k) ?? 0) + 1;
      counts.set(k, c);
      most = Math.max(most, c);
    }
  }
  return most;
}

/** The colocated set k's own checks (see checkTopology). */
function checkColocated(t: Topology, list: number[], k: number, label: (i: number) => string): void {
  const what = groupLabel(t.groupLevel, t.groupNames, k);
  const last = list[list.length - 1] as number;
  let pinnedTo = -1;
  let need = 0;
  for (const i of list) {
    need += (t.size[i] as number) + (t.floor[i] as number);
    const p = t.pin[i] as number;
    if (p < 0) continue;
    if (pinnedTo >= 0 && t.node[p] !== t.node[pinnedTo]) {
      throw new PlacementError("COLOCATE_INFEASIBLE", `${what}: ${label(i)} is pinned to GPU ${p}, another node than GPU ${pinnedTo} where others are pinned`, {
        model: i,
        gpu: p,
        group: t.groupNames[k] as string,
      });
    }
    pinnedTo = p;
  }
  const nodeMem = new Float64Array(t.nodeNames.length);
  const nodeGpus = new Int32Array(t.nodeNames.length);
  for (let j = 0; j < t.g; j++) {
    const v = t.node[j] as number;
    nodeMem[v] = (nodeMem[v] as number) + (t.cap[j] as number);
    nodeGpus[v] = (nodeGpus[v] as number) + 1;
  }
  const most = Math.max(...nodeMem);
  if (need > most + MEM_EPS) {
    throw new PlacementError("COLOCATE_INFEASIBLE", `${what} needs ${need} GB on one node (weights and KV floors), but the largest node has ${most} GB`, {
      model: last,
      group: t.groupNames[k] as string,
    });
  }
  // Members that also share a GPU spread group: on distinct GPUs of the one node.
  const shared = new Map<number, number[]>();
  for (const i of list) {
    for (let e = t.memberStart[i] as number; e < (t.memberStart[i + 1] as number); e++) {
      const other = t.memberGroup[e] as number;
      if (t.groupLevel[other] !== LEVEL_GPU) continue;
      const seen = shared.get(other) ?? [];
      seen.push(i);
      shared.set(other, seen);
    }
  }
  const widest = Math.max(...nodeGpus);
  for (const [other, both] of shared) {
    const spread = groupLabel(t.groupLevel, t.groupNames, other);
    if (both.length > widest) {
      throw new PlacementError(
        "COLOCATE_INFEASIBLE",
        `${what} has ${both.length} models of ${spread} to put on distinct GPUs of one node, but the largest node has ${widest === 1 ? "1 GPU" : `${widest} GPUs`}`,
        { model: both[both.length - 1] as number, group: t.groupNames[k] as string },
      );
    }
  }
}
