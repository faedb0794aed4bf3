// Topology generators: GPUs in nodes in zones, tensor-parallel shards, replicas spread over failure domains.
// Every generator is a pure function of its seed (and shape).
import type { Gpu, Model, Problem, SpreadLevel } from "../dist/index.js";
import { createRandom, int, pick, type Random } from "./generate.js";

/** Models a tensor-parallel model can add: 3 replicas of 8 shards. */
const MOST_SHARDS_OF_A_MODEL = 3 * 8;

/** Memory of a node's GPUs (all GPUs of a node alike, as in real machines). */
const NODE_MEM_GB = [48, 80, 94, 141];

/** What a pool generator may be told; anything left out is drawn from the seed. */
export type PoolShape = {
  /** Nodes in the pool (default 8–64). */
  nodes?: number;
  /** Zones the nodes are dealt into, round robin (default 2–4). */
  zones?: number;
  /** Whether the GPUs keep some memory for the runtime (default: drawn, one in two). */
  reserve?: boolean;
  /** Share of the usable memory the weights and KV floors take (default 0.45–0.6): room left for a lost node's models. */
  fill?: number;
  /** Most shards of a tensor-parallel replica (default 8); below the nodes' width, a lost GPU leaves its shard a GPU of the node. */
  maxShards?: number;
  /** GPUs in every node (default 4–8, drawn per node). */
  gpusPerNode?: number;
  /** Models in all, shards and replicas counted one by one (default: as many as fill the share `fill` of memory). */
  models?: number;
};

/** Demand of a model (or of a whole replica, split over its shards), in the ADRS style: rate 1–9 over SLO 5–9. */
function rate(r: Random): { reqRate: number; slo: number } {
  return { reqRate: int(r, 1, 9), slo: int(r, 5, 9) };
}

/** A KV floor for one model in three, 1–4 GB. */
function floor(r: Random): { minKvGB?: number } {
  return r() < 1 / 3 ? { minKvGB: int(r, 1, 4) } : {};
}

/**
 * A pool of 8–64 nodes of 4–8 GPUs in 2–4 zones, and models filling about
 * half of its usable memory: tensor-parallel models of 2–8 shards (each shard
 * in its replica's "gpu" group and colocated with its replica; the replicas,
 * when more than one, spread over nodes or zones), replicated single-GPU
 * models spread over nodes or zones, and plain models; one model in three
 * has a KV floor. A model of R replicas has no more shards than the (R+1)th
 * widest node has GPUs, so every replica has a node of its own and a node
 * loss leaves it one more.
 */
export function topologyPool(seed: number, shape: PoolShape = {}): Problem {
  const r = createRandom(seed);
  const nodes = shape.nodes ?? int(r, 8, 64);
  const zones = shape.zones ?? int(r, 2, 4);
  const reserve = shape.reserve ?? r() < 0.5;
  const gpus: Gpu[] = [];
  const widths: number[] = [];
  let usable = 0;
  let smallest = Infinity;
  for (let v = 0; v < nodes; v++) {
    const count = shape.gpusPerNode ?? int(r, 4, 8);
    const memGB = pick(r, NODE_MEM_GB);
    const reserveGB = reserve ? int(r, 1, 4) : 0;
    widths.push(count);
    smallest = Math.min(smallest, memGB - reserveGB);
    for (let k = 0; k < count; k++) {
      gpus.push({ id: `n${v}g${k}`, memGB, node: `n${v}`, zone: `z${v % zones}`, ...(reserve ? { reserveGB } : {}) });
      usable += memGB - reserveGB;
    }
  }
  widths.sort((a, b) => b - a);
  const target = usable * (shape.fill ?? 0.45 + 0.15 * r());
  const models: Model[] = [];
  const spread: Record<string, SpreadLevel> = {};
  let filled = 0;
  const add = (m: Model) => {
    models.push(m);
    filled += m.sizeGB + (m.minKvGB ?? 0);
  };
  // A spread over zones needs as many zones as replicas.
  const replicaLevel = (replicas: number): SpreadLevel => (replicas <= zones && r() < 0.5 ? "zone" : "node");
  const wanted = shape.models;
  for (let m = 0; wanted === undefined ? filled < target : models.length < wanted; m++) {
    // With a model count, a kind that would pass it gives way to a plain model.
    const left = wanted === undefined ? Infinity : wanted - models.length;
    const kind = r();
    if (kind < 0.3 && left >= MOST_SHARDS_OF_A_MODEL) {
      const replicas = int(r, 1, 3);
      // Each replica its own node wide enough, and one more such node for a lost one to go to.
      const shards = int(r, 2, Math.min(shape.maxShards ?? 8, widths[replicas] as number));
      const shardGB = int(r, 4, Math.floor(0.3 * smallest));
      const { reqRate, slo } = rate(r);
      if (replicas > 1) spread[`rep${m}`] = replicaLevel(replicas);
      for (let p = 0; p < replicas; p++) {
        const tp = `tp${m}.${p}`;
        // "gpu" is the default level: name it for half the groups, so both spellings are covered.
        if (r() < 0.5) spread[tp] = "gpu";
        for (let s = 0; s < shards; s++) {
          add({
            id: `m${m}.r${p}.s${s}`,
            sizeGB: shardGB,
            reqRate: reqRate / shards,
            slo,
            group: replicas > 1 ? [tp, `rep${m}`] : tp,
            colocate: `m${m}.r${p}`,
            ...floor(r),
          });
        }
      }
    } else if (kind < 0.55 && left >= 3) {
      const replicas = int(r, 2, 3);
      const sizeGB = int(r, 5, Math.floor(0.4 * smallest));
      const demand = rate(r);
      spread[`rep${m}`] = replicaLevel(replicas);
      for (let p = 0; p < replicas; p++) add({ id: `m${m}.r${p}`, sizeGB, ...demand, group: `rep${m}`, ...floor(r) });
    } else {
      add({ id: `m${m}`, sizeGB: int(r, 2, Math.floor(0.45 * smallest)), ...rate(r), ...floor(r) });
    }
  }
  return { gpus, models, spread };
}

/** What the small generator may be told. */
export type SmallShape = {
  /** Most models (default 9); the least is 4. */
  maxModels?: number;
};

/**
 * An instance small enough for exact checks: 2–3 nodes of 2–3 GPUs (one node
 * in four a lone GPU without a node name), in no named zone, one zone or two,
 * 4–9 models: perhaps a tensor-parallel model of 2–3 shards in one or two
 * replicas, perhaps a model of two replicas spread over GPUs, nodes or zones,
 * plain models filling the rest (one in five pinned), KV floors on some,
 * reserved memory on some pools.
 */
export function smallTopology(seed: number, shape: SmallShape = {}): Problem {
  const r = createRandom(seed);
  const maxModels = shape.maxModels ?? 9;
  const nodes = int(r, 2, 3);
  const zoning = int(r, 0, 2);
  const reserve = r() < 0.4;
  const gpus: Gpu[] = [];
  const widths: number[] = [];
  for (let v = 0; v < nodes; v++) {
    const lone = v > 0 && r() < 0.25;
    const count = lone ? 1 : int(r, 2, 3);
    const memGB = pick(r, [24, 32, 40]);
    const zone = zoning === 0 ? {} : { zone: zoning === 1 ? "z0" : `z${v % 2}` };
    widths.push(count);
    for (let k = 0; k < count; k++) {
      const site = lone ? zone : { node: `n${v}`, ...zone };
      gpus.push({ id: `n${v}g${k}`, memGB, ...site, ...(reserve ? { reserveGB: int(r, 1, 4) } : {}) });
    }
  }
  const zones = zoning === 0 ? nodes : zoning;
  const n = int(r, 4, maxModels);
  const models: Model[] = [];
  const spread: Record<string, SpreadLevel> = {};
  const secondWidest = [...widths].sort((a, b) => b - a)[1] as number;
  if (r() < 0.6 && secondWidest >= 2) {
    const shards = int(r, 2, secondWidest);
    const replicas = n >= 2 * shards + 1 && r() < 0.5 ? 2 : 1;
    const shardGB = int(r, 3, 10);
    const { reqRate, slo } = rate(r);
    if (replicas > 1) spread["rep"] = zones >= 2 && r() < 0.5 ? "zone" : "node";
    for (let p = 0; p < replicas; p++) {
      for (let s = 0; s < shards; s++) {
        models.push({
          id: `tp.r${p}.s${s}`,
          sizeGB: shardGB,
          reqRate: reqRate / shards,
          slo,
          group: replicas > 1 ? [`tp${p}`, "rep"] : `tp${p}`,
          colocate: `tp.r${p}`,
          ...floor(r),
        });
      }
    }
  }
  if (models.length + 2 <= n && r() < 0.6) {
    const level = pick(r, zones >= 2 ? (["gpu", "node", "zone"] as const) : (["gpu", "node"] as const));
    spread["pair"] = level;
    const sizeGB = int(r, 4, 14);
    const demand = rate(r);
    for (let p = 0; p < 2; p++) models.push({ id: `pair.r${p}`, sizeGB, ...demand, group: "pair", ...floor(r) });
  }
  while (models.length < n) {
    const pin = r() < 0.2 ? { pinnedGpu: int(r, 0, gpus.length - 1) } : {};
    models.push({ id: `m${models.length}`, sizeGB: int(r, 3, 14), ...rate(r), ...floor(r), ...pin });
  }
  return { gpus, models, spread };
}
