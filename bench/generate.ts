// Instance generators: the ADRS shape and the other shapes kvplace must handle.
// Every generator is a pure function of its seed.
import type { Gpu, GpuType, Model, PoolRequest, Problem, Scenario } from "../dist/index.js";

export type Random = () => number;

/** A 32-bit xorshift stream in [0, 1), independent of the solver's own generator. */
export function createRandom(seed: number): Random {
  // Scramble the seed: xorshift started from a small number yields small numbers for a while.
  let x = Math.imul((seed | 0) ^ 0x5bd1e995, 0x9e3779b1) || 0x9e3779b9;
  x ^= x >>> 16;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
export const int = (r: Random, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Random, xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;

/** ADRS-like: 5–9 GPUs of 80 GB, two models per GPU, sizes 10–30 GB, rates 1–9, SLOs 5–9. */
export function adrsLike(seed: number): Problem {
  const r = createRandom(seed);
  const gpus = int(r, 5, 9);
  const models: Model[] = [];
  for (let i = 0; i < 2 * gpus; i++) models.push({ sizeGB: int(r, 10, 30), reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
  return { gpus, models };
}

/** Many small models per GPU (8–20 each). */
export function manySmall(seed: number): Problem {
  const r = createRandom(seed);
  const gpus = int(r, 2, 6);
  const models: Model[] = [];
  const n = gpus * int(r, 8, 20);
  for (let i = 0; i < n; i++) models.push({ sizeGB: 0.5 + r() * 6, reqRate: r() * 10, slo: 1 + r() * 9 });
  return { gpus, models };
}

/** Weights fill 85–95% of the pool. */
export function memoryTight(seed: number): Problem {
  const r = createRandom(seed);
  const gpus = int(r, 3, 8);
  const n = gpus * int(r, 2, 4);
  const fill = 0.85 + 0.1 * r();
  const raw = Array.from({ length: n }, () => 0.5 + r());
  const scale = (fill * 80 * gpus) / raw.reduce((a, b) => a + b, 0);
  const models = raw.map((w) => ({ sizeGB: Math.min(79, w * scale), reqRate: int(r, 1, 9), slo: int(r, 5, 9) }));
  return { gpus, models };
}

/** A third of the models carry no demand: memory-only. */
export function zeroDemand(seed: number): Problem {
  const r = createRandom(seed);
  const gpus = int(r, 3, 8);
  const models: Model[] = [];
  for (let i = 0; i < gpus * 3; i++) {
    models.push({ sizeGB: int(r, 5, 30), reqRate: r() < 0.33 ? 0 : int(r, 1, 9), slo: int(r, 5, 9) });
  }
  return { gpus, models };
}

const GPU_SIZES = [24, 40, 48, 80, 94, 141];

/** GPUs of different memory sizes, models sized to fit the smaller ones mostly. */
export function mixedGpus(seed: number): Problem {
  const r = createRandom(seed);
  const gpus: Gpu[] = Array.from({ length: int(r, 3, 8) }, (_, j) => ({ id: `g${j}`, memGB: pick(r, GPU_SIZES) }));
  const total = gpus.reduce((a, g) => a + g.memGB, 0);
  const n = gpus.length * int(r, 2, 4);
  const models: Model[] = [];
  for (let i = 0; i < n; i++) models.push({ id: `m${i}`, sizeGB: ((0.3 + r()) * (0.6 * total)) / n, reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
  return { gpus, models };
}

/** ADRS-like with a few models pinned to GPUs. */
export function pinned(seed: number): Problem {
  const p = adrsLike(seed);
  const r = createRandom(seed ^ 0x5eed);
  const g = p.gpus as number;
  const load = new Array<number>(g).fill(0);
  for (const m of p.models) {
    const j = int(r, 0, g - 1);
    if (r() < 0.25 && load[j]! + m.sizeGB <= 60) {
      m.pinnedGpu = j;
      load[j]! += m.sizeGB;
    }
  }
  return p;
}

/** The small families, in the order tests and benches cycle through them. */
export const FAMILIES = { adrsLike, manySmall, memoryTight, zeroDemand, mixedGpus, pinned } as const;

/**
 * A serving fleet: `gpus` GPUs of 80 GB, `models` models with light-tailed demand
 * (reqRate 1–9, slo 5–9) and weights filling about `fill` of the memory.
 */
export function fleet(gpus: number, models: number, seed = 1, fill = 0.7): Problem {
  const r = createRandom(seed);
  const mean = (fill * 80 * gpus) / models;
  const list: Model[] = [];
  for (let i = 0; i < models; i++) list.push({ sizeGB: mean * (0.5 + r()), reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
  return { gpus, models: list };
}

/**
 * The families the exact search is measured on: up to 40 models and 12 GPUs,
 * in five shapes (ADRS-like, many small models, memory ~88% full, 30% zero
 * demand, mixed GPU sizes).
 */
export const EXACT_FAMILIES = {
  "ADRS-like": (seed: number): Problem => {
    const r = createRandom(seed);
    const gpus = int(r, 5, 12);
    const models: Model[] = [];
    for (let i = 0; i < Math.min(40, int(r, 2, 3) * gpus); i++) models.push({ sizeGB: int(r, 10, 30), reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
    return { gpus, models };
  },
  "many small": (seed: number): Problem => {
    const r = createRandom(seed);
    const gpus = int(r, 2, 6);
    const models: Model[] = [];
    for (let i = 0; i < int(r, 20, 40); i++) models.push({ sizeGB: int(r, 1, 8), reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
    return { gpus, models };
  },
  "memory 88% full": (seed: number): Problem => {
    const r = createRandom(seed);
    const gpus = int(r, 4, 10);
    const n = Math.min(40, gpus * int(r, 2, 4));
    const raw = Array.from({ length: n }, () => 0.5 + r());
    const scale = (0.88 * 80 * gpus) / raw.reduce((a, b) => a + b, 0);
    return { gpus, models: raw.map((w) => ({ sizeGB: Math.min(60, Math.round(w * scale)), reqRate: int(r, 1, 9), slo: int(r, 5, 9) })) };
  },
  "30% zero demand": (seed: number): Problem => {
    const r = createRandom(seed);
    const gpus = int(r, 4, 12);
    const models: Model[] = [];
    for (let i = 0; i < Math.min(40, 3 * gpus); i++) models.push({ sizeGB: int(r, 5, 25), reqRate: r() < 0.3 ? 0 : int(r, 1, 9), slo: int(r, 5, 9) });
    return { gpus, models };
  },
  "mixed GPU sizes": (seed: number): Problem => {
    const r = createRandom(seed);
    const gpus: Gpu[] = Array.from({ length: int(r, 4, 12) }, () => ({ memGB: pick(r, GPU_SIZES) }));
    const total = gpus.reduce((a, g) => a + g.memGB, 0);
    const n = Math.min(40, gpus.length * int(r, 2, 3));
    const models: Model[] = [];
    for (let i = 0; i < n; i++) models.push({ sizeGB: Math.round(((0.3 + r()) * (0.6 * total)) / n), reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
    return { gpus, models };
  },
} as const;

/** Time zones the diurnal models serve, as a fraction of a day: users of one region peak together. */
const ZONES = [0, 0.125, 0.375, 0.625];

/**
 * `k` hours of a day: each model's rate follows a daily cycle around its
 * reqRate, peaking 2–5× above its trough, shifted by the time zone of its
 * users (one of four, ± an hour).
 */
export function diurnal(problem: Problem, k: number, seed: number): Problem {
  const r = createRandom(seed ^ 0xd1a1);
  const shape = problem.models.map((m) => {
    const ratio = int(r, 2, 5);
    const swing = (ratio - 1) / (ratio + 1);
    return { base: m.reqRate ?? 0, swing, phase: pick(r, ZONES) + 0.05 * r() };
  });
  const scenarios: Scenario[] = Array.from({ length: k }, (_, h) => ({
    id: `h${h}`,
    reqRate: shape.map(({ base, swing, phase }) => base * (1 + swing * Math.cos(2 * Math.PI * (h / k - phase)))),
  }));
  return { ...problem, scenarios };
}

/**
 * `k` scenarios of bursts: the models fall into cohorts (apps launched
 * together, one tenant's fleet) and in each scenario one cohort runs at 3–6×
 * its reqRate while the others stay within ±20% of theirs.
 */
export function bursty(problem: Problem, k: number, seed: number): Problem {
  const r = createRandom(seed ^ 0xb0b5);
  const cohorts = Math.max(2, Math.min(k, Math.round(Math.sqrt(problem.models.length))));
  const cohort = problem.models.map(() => int(r, 0, cohorts - 1));
  const scenarios: Scenario[] = Array.from({ length: k }, (_, s) => {
    const hot = s % cohorts;
    const boost = 3 + 3 * r();
    return { id: `burst${s}`, reqRate: problem.models.map((m, i) => (m.reqRate ?? 0) * (cohort[i] === hot ? boost : 0.8 + 0.4 * r())) };
  });
  return { ...problem, scenarios };
}

/** Small scenario instances (exact search, engine parity): the small families with 3 diurnal or bursty scenarios. */
export const SCENARIO_FAMILIES = {
  "diurnal ADRS-like": (seed: number): Problem => diurnal(adrsLike(seed), 3, seed),
  "bursty many small": (seed: number): Problem => bursty(manySmall(seed), 3, seed),
  "diurnal mixed GPUs": (seed: number): Problem => diurnal(mixedGpus(seed), 3, seed),
  "bursty pinned": (seed: number): Problem => bursty(pinned(seed), 3, seed),
  "diurnal zero demand": (seed: number): Problem => diurnal(zeroDemand(seed), 3, seed),
} as const;

/**
 * GPU types to plan pools with: memory, and a price per hour roughly in
 * proportion to what each can hold (the larger ones a little dearer per GB).
 */
export const GPU_CATALOG: readonly GpuType[] = [
  { name: "L4-24", memGB: 24, cost: 0.8 },
  { name: "A100-40", memGB: 40, cost: 1.5 },
  { name: "L40S-48", memGB: 48, cost: 1.9 },
  { name: "H100-80", memGB: 80, cost: 3.3 },
  { name: "H200-141", memGB: 141, cost: 5.5 },
];

/** Model sizes in GB, from embedders to 70B-class shards. */
const MODEL_SIZES = [2, 4, 8, 14, 16, 28, 35, 60];

/**
 * A pool-planning request: `models` models of the sizes above (±10%, rates
 * 1–9, SLOs 5–9), `types` GPU types from the catalog (the largest always among
 * them, so every model has a GPU), at a target of 0.05.
 */
export function poolRequest(seed: number, models: number, types: number): PoolRequest {
  const r = createRandom(seed);
  const largest = GPU_CATALOG[GPU_CATALOG.length - 1] as GpuType;
  const others = GPU_CATALOG.slice(0, -1).map((t) => ({ t, key: r() }));
  others.sort((a, b) => a.key - b.key);
  const gpuTypes = [...others.slice(0, types - 1).map((o) => o.t), largest].sort((a, b) => a.memGB - b.memGB).map((t) => ({ ...t }));
  const list: Model[] = [];
  for (let i = 0; i < models; i++) {
    list.push({ id: `m${i}`, sizeGB: Number((pick(r, MODEL_SIZES) * (0.9 + 0.2 * r())).toFixed(2)), reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
  }
  return { models: list, gpuTypes, targetKvpr: 0.05 };
}

/** Request rates move by up to ±`drift` (a few models spike 3×); every model stays where `previous` put it. */
export function drifted(problem: Problem, previous: number[], drift: number, seed: number): Problem {
  let x = seed * 2654435761;
  const r = () => (x = (Math.imul(x ^ (x >>> 15), 2246822519) + 1) >>> 0) / 4294967296;
  return {
    ...problem,
    models: problem.models.map((m, i) => ({
      ...m,
      reqRate: (m.reqRate ?? 0) * (1 - drift + 2 * drift * r()) * (r() < 0.05 ? 3 : 1),
      currentGpu: previous[i]!,
    })),
  };
}

/** Weights of common model sizes (GB): 7B and 13B at 8 bits, 34B at 4 bits, 70B at 4 bits split in two shards. */
const MIXED_SIZES = [7, 13, 18, 35] as const;

/**
 * A fleet of 80 GB GPUs filled to about 70% with models of mixed sizes, where
 * demand is unrelated to size: moving a large model costs five times a small
 * one's reload and need not relieve more pressure.
 */
export function mixedFleet(gpus: number, models: number, seed = 1): Problem {
  const r = createRandom(seed);
  const list: Model[] = [];
  let total = 0;
  for (let i = 0; i < models; i++) {
    const sizeGB = pick(r, MIXED_SIZES);
    total += sizeGB;
    list.push({ sizeGB, reqRate: int(r, 1, 9), slo: int(r, 5, 9) });
  }
  const scale = (0.7 * 80 * gpus) / total;
  return { gpus, models: list.map((m) => ({ ...m, sizeGB: Math.round(m.sizeGB * scale * 10) / 10 })) };
}
