// An independent checker of topology answers: everything is recomputed from the Problem's own fields,
// nothing is read from kvplace's internals. Each check returns what it found wrong (empty: nothing).
import type { FailoverLoss, FailoverReport, Move, Problem, SpreadLevel } from "../dist/index.js";
import { demandsOf } from "./support.js";

/** Memory is compared with this tolerance (GB), as sums of fractional sizes round. */
const MEM_TOL = 1e-9;
/** Reported and recomputed KVPRs agree to this relative difference. */
export const KVPR_TOL = 1e-9;
/** A loss within `failoverKvpr` may exceed it by this relative slack (rounding). */
const CAP_SLACK = 1e-12;

/** A problem as the checks read it: per GPU its usable memory and site, per model its needs and memberships. */
export type Topology = {
  n: number;
  g: number;
  /** memGB − reserveGB per GPU. */
  usable: number[];
  /** Each GPU's given id, node and zone (undefined where not given; a node's zone is the one any of its GPUs names). */
  gpuId: (string | undefined)[];
  nodeName: (string | undefined)[];
  zoneName: (string | undefined)[];
  /** A key per GPU naming its node (a GPU without one is its own) and its zone (a node without one is its own). */
  node: string[];
  zone: string[];
  size: number[];
  floor: number[];
  pin: (number | undefined)[];
  /** Demand per scenario and model. */
  demands: number[][];
  groups: { name: string; level: SpreadLevel; members: number[] }[];
  colocated: { key: string; members: number[] }[];
  /** Each model's colocation key, or undefined. */
  colocateOf: (string | undefined)[];
  /** Per model, the indices in `groups` of its spread groups. */
  groupsOf: number[][];
};

/** Reads the problem's topology from its own fields. */
export function readTopology(problem: Problem): Topology {
  const raw = typeof problem.gpus === "number" ? Array.from({ length: problem.gpus }, () => ({ memGB: problem.gpuMemGB ?? 80 })) : problem.gpus;
  const node = raw.map((gpu, j) => ("node" in gpu && gpu.node !== undefined ? `node ${gpu.node}` : `lone GPU ${j}`));
  // A node's zone is the one any of its GPUs names; a node naming none is a zone of its own.
  const zoneOfNode = new Map<string, string>();
  raw.forEach((gpu, j) => {
    if ("zone" in gpu && gpu.zone !== undefined) zoneOfNode.set(node[j] as string, gpu.zone);
  });
  const zoneName = node.map((v) => zoneOfNode.get(v));
  const zone = node.map((v, j) => (zoneName[j] === undefined ? `zone of ${v}` : `zone ${zoneName[j]}`));
  const usable = raw.map((gpu) => gpu.memGB - ("reserveGB" in gpu ? (gpu.reserveGB ?? 0) : 0));
  const models = problem.models;
  const groups: Topology["groups"] = [];
  const groupIndex = new Map<string, number>();
  const colocated: Topology["colocated"] = [];
  const colocateIndex = new Map<string, number>();
  const groupsOf = models.map((m, i) => {
    const names = m.group === undefined ? [] : typeof m.group === "string" ? [m.group] : [...m.group];
    if (m.colocate !== undefined) {
      let c = colocateIndex.get(m.colocate);
      if (c === undefined) c = colocateIndex.set(m.colocate, colocated.push({ key: m.colocate, members: [] }) - 1).get(m.colocate) as number;
      colocated[c]?.members.push(i);
    }
    return names.map((name) => {
      let k = groupIndex.get(name);
      if (k === undefined) k = groupIndex.set(name, groups.push({ name, level: problem.spread?.[name] ?? "gpu", members: [] }) - 1).get(name) as number;
      groups[k]?.members.push(i);
      return k;
    });
  });
  return {
    n: models.length,
    g: raw.length,
    gpuId: raw.map((gpu) => ("id" in gpu ? gpu.id : undefined)),
    nodeName: raw.map((gpu) => ("node" in gpu ? gpu.node : undefined)),
    zoneName,
    usable,
    node,
    zone,
    size: models.map((m) => m.sizeGB),
    floor: models.map((m) => m.minKvGB ?? 0),
    pin: models.map((m) => m.pinnedGpu ?? undefined),
    demands: demandsOf(problem),
    groups,
    colocated,
    colocateOf: models.map((m) => m.colocate),
    groupsOf,
  };
}

/** GPU j's failure domain at a spread level. */
export function domainOf(t: Topology, level: SpreadLevel, j: number): string {
  return level === "gpu" ? `GPU ${j}` : level === "node" ? (t.node[j] as string) : (t.zone[j] as string);
}

/** The unit model i counts as in a node or zone spread: its colocated set, or itself. */
export function unitOf(t: Topology, i: number): string {
  const key = t.colocateOf[i];
  return key === undefined ? `model ${i}` : `set ${key}`;
}

/** Whether models i on GPU a and k on GPU b break a spread group of this level. */
export function clashes(t: Topology, level: SpreadLevel, i: number, a: number, k: number, b: number): boolean {
  if (level === "gpu") return a === b;
  return domainOf(t, level, a) === domainOf(t, level, b) && unitOf(t, i) !== unitOf(t, k);
}

/** KVPR of demand on free memory: 0 without demand, infinite on a full or overfull GPU with demand. */
export function pressure(demand: number, free: number): number {
  if (free < -MEM_TOL) return Infinity;
  if (demand <= 0) return 0;
  return free <= MEM_TOL ? Infinity : demand / free;
}

/** Max KVPR over the GPUs not in `lost` (worst over the scenarios). */
export function maxKvprOf(t: Topology, assignment: readonly number[], lost: ReadonlySet<number> = new Set()): number {
  let max = 0;
  for (let j = 0; j < t.g; j++) {
    if (lost.has(j)) continue;
    let used = 0;
    for (let i = 0; i < t.n; i++) if (assignment[i] === j) used += t.size[i] as number;
    for (const demand of t.demands) {
      let d = 0;
      for (let i = 0; i < t.n; i++) if (assignment[i] === j) d += demand[i] as number;
      max = Math.max(max, pressure(d, (t.usable[j] as number) - used));
    }
  }
  return max;
}

/**
 * Every constraint the assignment breaks: GPUs out of range or lost, pins
 * (but those of `unpinned` models, whose pinned GPU was lost), memory with KV
 * floors on memGB − reserveGB, demand on a full GPU, spread groups with the
 * unit rule, colocated sets on one node.
 */
export function constraintBreaks(
  t: Topology,
  assignment: readonly number[],
  lost: ReadonlySet<number> = new Set(),
  unpinned: ReadonlySet<number> = new Set(),
): string[] {
  const found: string[] = [];
  if (assignment.length !== t.n) return [`the assignment lists ${assignment.length} GPUs for ${t.n} models`];
  for (let i = 0; i < t.n; i++) {
    const j = assignment[i] as number;
    if (!Number.isInteger(j) || j < 0 || j >= t.g) found.push(`model ${i} is on GPU ${j}, out of range`);
    else if (lost.has(j)) found.push(`model ${i} is on the lost GPU ${j}`);
    const p = t.pin[i];
    if (p !== undefined && p !== j && !unpinned.has(i)) found.push(`model ${i} is pinned to GPU ${p} but on GPU ${j}`);
  }
  if (found.length > 0) return found;
  for (let j = 0; j < t.g; j++) {
    let used = 0;
    let floors = 0;
    for (let i = 0; i < t.n; i++) {
      if (assignment[i] !== j) continue;
      used += t.size[i] as number;
      floors += t.floor[i] as number;
    }
    const free = (t.usable[j] as number) - used;
    if (used + floors > (t.usable[j] as number) + MEM_TOL) found.push(`GPU ${j} needs ${used} GB of weights and ${floors} GB of floors in ${t.usable[j]} GB`);
    t.demands.forEach((demand, s) => {
      let d = 0;
      for (let i = 0; i < t.n; i++) if (assignment[i] === j) d += demand[i] as number;
      if (pressure(d, free) === Infinity) found.push(`GPU ${j} is full with demand ${d} in scenario ${s}`);
    });
  }
  for (const { name, level, members } of t.groups) {
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        const i = members[a] as number;
        const k = members[b] as number;
        if (clashes(t, level, i, assignment[i] as number, k, assignment[k] as number)) {
          found.push(`models ${i} and ${k} of group ${name} share ${domainOf(t, level, assignment[i] as number)} (spread ${level})`);
        }
      }
    }
  }
  for (const { key, members } of t.colocated) {
    const nodes = new Set(members.map((i) => t.node[assignment[i] as number]));
    if (nodes.size > 1) found.push(`colocated set ${key} spans ${[...nodes].join(", ")}`);
  }
  return found;
}

/** The GPUs of each domain a loss of the level takes, in GPU order. */
export function lossDomains(t: Topology, level: "gpu" | "node"): number[][] {
  const byDomain = new Map<string, number[]>();
  for (let j = 0; j < t.g; j++) {
    const key = domainOf(t, level, j);
    byDomain.set(key, [...(byDomain.get(key) ?? []), j]);
  }
  return [...byDomain.values()];
}

/**
 * What is wrong with a failover report of the assignment: one loss per GPU
 * (or node), each with the domain's GPUs; moves that move exactly the lost
 * models (each once, from where it was, to a surviving GPU); a re-placement
 * that keeps every constraint on the survivors; the reported max KVPR equal
 * to the recomputed one; `survives` true exactly when every lost model moved
 * and the max KVPR is within `cap`.
 */
export function failoverBreaks(t: Topology, assignment: readonly number[], losses: readonly FailoverLoss[], level: "gpu" | "node", cap = Infinity): string[] {
  const found: string[] = [];
  const domains = lossDomains(t, level);
  const expected = domains.map((gpus) => gpus.join(",")).sort();
  const reported = losses.map((l) => [...l.gpus].sort((a, b) => a - b).join(",")).sort();
  if (expected.join(" ") !== reported.join(" ")) found.push(`the losses cover GPUs [${reported.join(" | ")}], the ${level}s are [${expected.join(" | ")}]`);
  for (const loss of losses) {
    const lost = new Set(loss.gpus);
    const where = `loss of ${loss.lost}`;
    // The lost GPU's id, or the lost node's name (a lone GPU's node is named by its id).
    const first = loss.gpus[0] as number;
    const name = level === "gpu" ? t.gpuId[first] : (t.nodeName[first] ?? t.gpuId[first]);
    if (name !== undefined && loss.lost !== name) found.push(`${where}: the loss should be named ${name}`);
    const lostModels = new Set<number>();
    for (let i = 0; i < t.n; i++) if (lost.has(assignment[i] as number)) lostModels.add(i);
    const after = [...assignment];
    const moved = new Set<number>();
    for (const move of loss.moves) {
      if (!lostModels.has(move.model)) found.push(`${where}: moves model ${move.model}, which was not lost`);
      if (moved.has(move.model)) found.push(`${where}: moves model ${move.model} twice`);
      if (move.from !== assignment[move.model])
        found.push(`${where}: moves model ${move.model} from GPU ${move.from}, but it was on ${assignment[move.model]}`);
      if (lost.has(move.to) || !(move.to >= 0 && move.to < t.g)) found.push(`${where}: moves model ${move.model} to GPU ${move.to}, not a survivor`);
      moved.add(move.model);
      after[move.model] = move.to;
    }
    if (found.length > 0) continue;
    const complete = moved.size === lostModels.size;
    if (!complete) {
      if (loss.survives) found.push(`${where}: survives, but ${lostModels.size - moved.size} lost models did not move`);
      if (loss.maxKvpr !== Infinity) found.push(`${where}: models left unplaced, yet maxKvpr ${loss.maxKvpr}`);
      continue;
    }
    const broken = constraintBreaks(t, after, lost, lostModels);
    if (broken.length > 0) {
      found.push(`${where}: the re-placement breaks ${broken.join("; ")}`);
      continue;
    }
    const value = maxKvprOf(t, after, lost);
    if (!(Math.abs(loss.maxKvpr - value) <= KVPR_TOL * value) && loss.maxKvpr !== value)
      found.push(`${where}: reports maxKvpr ${loss.maxKvpr}, recomputed ${value}`);
    const within = value <= cap * (1 + CAP_SLACK);
    if (loss.survives !== within) found.push(`${where}: survives ${loss.survives}, but max KVPR ${value} against failoverKvpr ${cap}`);
  }
  return found;
}

/** `failoverBreaks` of a whole report (evaluateFailover's), and its summary: survives, worst loss, worst KVPR. */
export function reportBreaks(t: Topology, assignment: readonly number[], report: FailoverReport, cap = Infinity): string[] {
  const found = failoverBreaks(t, assignment, report.losses, report.level, cap);
  if (report.survives !== report.losses.every((l) => l.survives)) found.push(`the report says survives ${report.survives} against its losses`);
  const worst = report.losses.reduce((w, l) => Math.max(w, l.maxKvpr), 0);
  if (report.worstKvpr !== worst) found.push(`worstKvpr ${report.worstKvpr}, the largest loss ${worst}`);
  if (report.losses.length > 0 && report.losses[report.worst]?.maxKvpr !== worst) found.push(`worst ${report.worst} is not a loss of max KVPR ${worst}`);
  return found;
}

/**
 * What is wrong with a move plan from the models' `currentGpu` to the
 * assignment: it must move exactly the models with a current GPU that the
 * assignment changes, each once from there to its new GPU; applied step by
 * step (a staged model unloaded at its step and loaded after every other
 * step; new models loaded last), no step may put its target past memory
 * (weights and floors on memGB − reserveGB) or two units of a spread group
 * in one GPU, node or zone.
 */
export function movePlanBreaks(t: Topology, current: readonly (number | undefined)[], assignment: readonly number[], moves: readonly Move[]): string[] {
  const found: string[] = [];
  const expected = new Set<number>();
  for (let i = 0; i < t.n; i++) if (current[i] !== undefined && current[i] !== assignment[i]) expected.add(i);
  const seen = new Set<number>();
  for (const { model, from, to } of moves) {
    if (!expected.has(model) || seen.has(model)) found.push(`model ${model} is moved but should not be (or twice)`);
    if (from !== current[model] || to !== assignment[model]) found.push(`model ${model} moves ${from} → ${to}, not ${current[model]} → ${assignment[model]}`);
    seen.add(model);
  }
  if (seen.size !== expected.size) found.push(`the plan moves ${seen.size} models, the assignment ${expected.size}`);
  if (found.length > 0) return found;
  const at = current.map((j) => (j === undefined ? -1 : j));
  const load = t.usable.map(() => 0);
  for (let i = 0; i < t.n; i++)
    if ((at[i] as number) >= 0) load[at[i] as number] = (load[at[i] as number] as number) + (t.size[i] as number) + (t.floor[i] as number);
  moves.forEach(({ model, from, to, staged }, step) => {
    const room = (t.size[model] as number) + (t.floor[model] as number);
    load[from] = (load[from] as number) - room;
    at[model] = -1;
    if (staged) return;
    if ((load[to] as number) + room > (t.usable[to] as number) + MEM_TOL) found.push(`step ${step}: model ${model} overfills GPU ${to}`);
    for (const k of t.groupsOf[model] as number[]) {
      const { name, level, members } = t.groups[k] as Topology["groups"][number];
      for (const o of members) {
        if (o !== model && (at[o] as number) >= 0 && clashes(t, level, model, to, o, at[o] as number))
          found.push(`step ${step}: model ${model} joins model ${o} of group ${name} in ${domainOf(t, level, to)}`);
      }
    }
    load[to] = (load[to] as number) + room;
    at[model] = to;
  });
  return found;
}
