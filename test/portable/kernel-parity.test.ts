// Portable: the kernels are one source compiled three ways (asc with SIMD and
// without, and tsc); after every kernel call each WebAssembly build's whole
// workspace must equal the TypeScript engine's byte for byte, so a divergence
// names the build, the kernel, the field and the index where it appeared.
import { describe, expect, it } from "vitest";
import adrs50 from "../../bench/data/adrs50.json" with { type: "json" };
import { bursty, diurnal, EXACT_FAMILIES, FAMILIES, fleet, SCENARIO_FAMILIES } from "../../bench/generate.js";
import { casesOf, type AdrsSuite } from "../../dist/cli/adrs-suite.js";
import type { Kernels } from "../../dist/engine/kernels.js";
import { Completion, Ordering, Policy } from "../../dist/engine/kernels.js";
import { createTsKernels } from "../../dist/engine/ts/index.js";
import { Field, FIELD_COUNT } from "../../dist/engine/ts/kernels/layout.js";
import { scalarWasmBase64, wasmBase64 } from "../../dist/engine/wasm/bytes.js";
import { bindWasm } from "../../dist/engine/wasm/binding.js";
import { loadInstance, type Workspace } from "../../dist/engine/workspace.js";
import { validateProblem } from "../../dist/input/validate.js";
import { lowerBound, type Problem } from "../../dist/index.js";

type Pair = { wasm: Kernels; ts: Kernels; w: Workspace; t: Workspace };

/** Both builds of the kernels, each held to the TypeScript engine: with SIMD (the scan over scenarios two at a time) and without. */
const BUILDS = { "kvplace.wasm": wasmBase64, "kvplace-scalar.wasm": scalarWasmBase64 };
const moduleOf = (base64: string) => new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));

/** Both engines loaded with the same problem on zeroed workspaces, so every byte starts equal. */
function load(problem: Problem, { wasm, ts }: { wasm: Kernels; ts: Kernels }): Pair {
  const inst = validateProblem(problem);
  const w = wasm.workspace(inst.n, inst.g, inst.k, inst.m);
  const t = ts.workspace(inst.n, inst.g, inst.k, inst.m);
  for (const ws of [w, t]) {
    new Uint8Array(ws.dem.buffer, ws.base, ws.bytes).fill(0);
    loadInstance(ws, inst);
  }
  return { wasm, ts, w, t };
}

/** The first field and index where the workspaces differ, or "" when they are equal byte for byte. */
function difference(w: Workspace, t: Workspace): string {
  const views = (ws: Workspace) => ws as unknown as Record<string, Float64Array | Int32Array>;
  for (let f = 0; f < FIELD_COUNT; f++) {
    const name = Field[f] as string;
    const [a, b] = [views(w)[name]!, views(t)[name]!];
    const bytesA = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const bytesB = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    const at = bytesA.findIndex((x, k) => x !== bytesB[k]);
    if (at >= 0) {
      const i = Math.floor(at / a.BYTES_PER_ELEMENT);
      return `${name}[${i}]: wasm ${a[i]}, ts ${b[i]}`;
    }
  }
  return "";
}

/** Calls one kernel on both engines; results and whole workspaces must agree. */
function step(p: Pair, where: string, kernel: string, call: (k: Kernels) => unknown): unknown {
  const a = call(p.wasm);
  const b = call(p.ts);
  expect(b, `${where}: ${kernel} returned differently`).toBe(a);
  expect(difference(p.w, p.t), `${where}: workspace after ${kernel}`).toBe("");
  return a;
}

/** A move-cost budget that binds: a third of what the models' moves would cost in all. */
function costBudget(ws: Workspace): number {
  let all = 0;
  for (let i = 0; i < ws.n; i++) all += ws.moveCost[i]!;
  return all / 3;
}

/** Every kernel, in the orders the solver calls them and a few it does not. */
function exercise(problem: Problem, where: string, pair: { wasm: Kernels; ts: Kernels }): void {
  const p = load(problem, pair);
  const { n, g } = p.w;
  const lb = lowerBound(problem);
  for (const ws of [p.w, p.t]) {
    // Keys with ties, so the tie-break by index is exercised too.
    for (let i = 0; i < n; i++) {
      ws.key[i] = Math.round(ws.dem[i]! * 4) / 4;
      ws.order[i] = n - 1 - i;
    }
  }
  step(p, where, "sortByKey", (k) => k.sortByKey(n));
  step(p, where, "binsAtLeast", (k) => k.binsAtLeast(lb, 1, 0, lb * p.w.cap[0]!));
  step(p, where, "binsAtLeast", (k) => k.binsAtLeast(lb * 1.5, 0.5, p.w.k - 1, lb * 1.5 * p.w.cap[0]!));
  step(p, where, "greedy", (k) => k.greedy());
  step(p, where, "improve", (k) => k.improve(1 << 30, Infinity, Infinity));
  for (const ordering of Object.values(Ordering)) {
    for (const policy of Object.values(Policy)) {
      if ((step(p, where, "pack", (k) => k.pack(lb * 1.02, ordering, policy)) as number) >= 0)
        step(p, where, "improve", (k) => k.improve(3, Infinity, Infinity));
    }
  }
  // From a complete placement taken as the current one, with budgets: the move counter and cost, settle and complete.
  if ((step(p, where, "greedy", (k) => k.greedy()) as number) >= 0) {
    const placed = p.w.assign.slice();
    for (const ws of [p.w, p.t]) ws.current.set(placed.map((g, i) => (i % 3 === 0 || ws.pin[i]! >= 0 ? g : (g + 1) % ws.g)));
    step(p, where, "rebuild", (k) => k.rebuild());
    step(p, where, "movedCount", (k) => k.movedCount());
    step(p, where, "movedCost", (k) => k.movedCost());
    step(p, where, "improve", (k) => k.improve(1 << 30, 2, Infinity));
    step(p, where, "improve", (k) => k.improve(1 << 30, Infinity, costBudget(p.w)));
    step(p, where, "improve", (k) => k.improve(1 << 30, 3, costBudget(p.w) / 2));
    step(p, where, "movedCost", (k) => k.movedCost());
    step(p, where, "settle", (k) => k.settle(Infinity));
    for (const ws of [p.w, p.t]) for (let i = 0; i < n; i += 2) if (ws.pin[i]! < 0) ws.assign[i] = -1;
    step(p, where, "rebuild", (k) => k.rebuild());
    step(p, where, "complete", (k) => k.complete(Completion.byDemand));
    for (const ws of [p.w, p.t]) for (let i = 1; i < n; i += 3) if (ws.pin[i]! < 0) ws.assign[i] = -1;
    step(p, where, "rebuild", (k) => k.rebuild());
    step(p, where, "complete", (k) => k.complete(Completion.byMemory));
    step(p, where, "clashes", (k) => k.clashes(0, g - 1, -1));
    step(p, where, "moveTo", (k) => k.moveTo(0, g - 1));
    step(p, where, "maxKvpr", (k) => k.maxKvpr());
    // A loss of a GPU, and of the first GPU's node, each undone by a rebuild (which resets the lost floors).
    step(p, where, "loseDomain", (k) => k.loseDomain(0, 0, Completion.byDemand));
    step(p, where, "rebuild", (k) => k.rebuild());
    step(p, where, "loseDomain", (k) => k.loseDomain(1, p.w.gNode[0]!, Completion.byMemory));
  }
  // The exact search in slices, with and without budgets.
  for (const [budget, cost] of [
    [Infinity, Infinity],
    [1, Infinity],
    [Infinity, costBudget(p.w)],
  ] as const) {
    step(p, where, "exactStart", (k) => k.exactStart(Infinity, budget, cost));
    for (let slice = 0; slice < 4; slice++) {
      step(p, where, "exactRun", (k) => k.exactRun(50));
      step(p, where, "exactNodes", (k) => k.exactNodes());
      step(p, where, "exactBest", (k) => k.exactBest());
    }
  }
}

/**
 * The problem as it is, with pairs of spread models (models 3k+1 and 3k+2 share a group), and with move costs
 * other than the sizes (fractional, some zero; on scenario problems, both kernels' additions to a step's test at once).
 */
function exerciseVariants(problem: Problem, where: string, pair: { wasm: Kernels; ts: Kernels }): void {
  exercise(problem, where, pair);
  const grouped = { ...problem, models: problem.models.map((m, i) => (i % 3 === 0 ? m : { ...m, group: `pair${Math.floor(i / 3)}` })) };
  exercise(grouped, `${where}, grouped`, pair);
  const costed = { ...problem, models: problem.models.map((m, i) => ({ ...m, moveCost: (i % 4) * 0.7 + m.sizeGB / 3 })) };
  exercise(costed, `${where}, move costs`, pair);
}

describe.each(Object.entries(BUILDS))("every kernel of %s leaves both engines' workspaces identical", (_build, base64) => {
  const wasmModule = moduleOf(base64);
  const engines = () => ({ wasm: bindWasm(new WebAssembly.Instance(wasmModule, {})), ts: createTsKernels() });

  it("on the 50 ADRS cases", () => {
    const pair = engines();
    for (const c of casesOf(adrs50 as AdrsSuite)) exercise(c.problem, c.name, pair);
  });

  it("on every generated family, with spread groups too", () => {
    const pair = engines();
    const families = { ...FAMILIES, ...EXACT_FAMILIES };
    for (const [name, generate] of Object.entries(families)) {
      for (let seed = 1; seed <= 6; seed++) exerciseVariants(generate(seed), `${name} seed ${seed}`, pair);
    }
  });

  it("on demand scenarios, with spread groups and move costs too", () => {
    const pair = engines();
    for (const [name, generate] of Object.entries(SCENARIO_FAMILIES)) {
      for (let seed = 1; seed <= 6; seed++) exerciseVariants(generate(seed), `${name} seed ${seed}`, pair);
    }
    // Scenario counts and shapes in turn, on the same engines: the workspace is laid out anew for each.
    exercise(diurnal(fleet(30, 150, 5), 24, 5), "fleet 30 × 150, 24 hours", pair);
    // Odd and even numbers of extra scenarios: the WebAssembly scan takes two at a time.
    exercise(bursty(fleet(12, 60, 6), 7, 6), "fleet 12 × 60, 7 bursts", pair);
    exercise(bursty(fleet(10, 50, 4), 2, 4), "fleet 10 × 50, 2 bursts", pair);
    exercise(fleet(12, 60, 6), "fleet 12 × 60 without scenarios", pair);
  });

  it("on a fleet, reusing the workspaces across shapes", () => {
    const pair = engines();
    exercise(fleet(60, 300, 7), "fleet 60 × 300", pair);
    exercise(fleet(8, 40, 8), "fleet 8 × 40 after a larger one", pair);
  });
});

describe("the TypeScript engine's state", () => {
  it("two solvers' exact searches interleave without touching each other", () => {
    const problem = EXACT_FAMILIES["many small"](3);
    const [a, b] = [createTsKernels(), createTsKernels()];
    const inst = validateProblem(problem);
    for (const k of [a, b]) loadInstance(k.workspace(inst.n, inst.g), inst);
    const alone = createTsKernels();
    loadInstance(alone.workspace(inst.n, inst.g), inst);
    alone.exactStart(Infinity, Infinity, Infinity);
    a.exactStart(Infinity, Infinity, Infinity);
    b.exactStart(Infinity, 0, 0);
    for (let slice = 0; slice < 5; slice++) {
      alone.exactRun(200);
      a.exactRun(200);
      b.exactRun(100);
    }
    expect(a.exactNodes()).toBe(alone.exactNodes());
    expect(a.exactBest()).toBe(alone.exactBest());
    expect(Array.from(a.workspace(inst.n, inst.g).exBest)).toEqual(Array.from(alone.workspace(inst.n, inst.g).exBest));
  });
});
