// Where a solve's time goes, by engine: V8's sampling profiler over a loop of
// solves (in Node through node:inspector, in Chromium through the DevTools
// protocol), each sample charged to the engine call it falls in (the kernel
// the solve asked for: pack, improve, exactRun, …) or else to the JavaScript
// both engines share (validation, bounds, orchestration, report) or to V8
// itself. The engines differ only in the engine calls, so the calls' own
// WASM / TS ratio in the loop is the most the whole solve can gain from
// WebAssembly, however the work is split between kernels and JavaScript.
import { readFileSync } from "node:fs";
import type { Problem, SolveOptions } from "../dist/index.js";
import { fleet } from "./generate.js";
import { formatTime } from "./kernel-tasks.js";

/** The parts of a V8 CPU profile (DevTools protocol `Profiler.Profile`) read here. */
export type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
};

/**
 * Sampled time (µs) by part of a solve, and the solves and time (ms) of the
 * same loop run without the profiler: its sampling costs time of its own, so
 * the samples give each part's share and the unprofiled run the scale.
 */
export type Split = { parts: Map<string, number>; sampled: number; solves: number; ms: number };

export const emptySplit = (): Split => ({ parts: new Map(), sampled: 0, solves: 0, ms: 0 });

/** Sampling interval, µs: fine enough for thousands of samples per engine in a second of solves, coarse enough to cost little. */
export const SAMPLING_US = 100;

const SHARED = "shared JavaScript";
const RUNTIME = "V8 runtime";
/** V8's own frames: collecting garbage, and work it cannot place in a function (compiling, runtime calls). */
const RUNTIME_FRAMES = new Set(["(garbage collector)", "(program)"]);
const JS_TO_WASM = "js-to-wasm";
/** A page's profile also samples it waiting for the next message, which is no part of a solve. */
const IDLE = "(idle)";

/**
 * The name of each function of kvplace.wasm, by index, read from the text
 * format the build writes beside it (build/kvplace.wat): the shipped module
 * has no name section, so its profile names functions by index.
 */
export function wasmFunctionNames(watFile: URL): string[] {
  // " (func $assembly/kernels/pack/pack (param …" → "pack"
  return readFileSync(watFile, "utf8")
    .split("\n")
    .filter((line) => line.startsWith(" (func "))
    .map((line) => line.split(" ")[2]!.split("/").pop()!);
}

type Frame = { functionName: string; url: string };

/** The engine call a frame is, by the name of the kernel: a WebAssembly function, or a function of the TypeScript engine or of the binding. */
function engineCall(frame: Frame, wasmNames: readonly string[]): string | undefined {
  const wasm = /^(?:wasm-function\[|\$func)(\d+)/.exec(frame.functionName);
  if (wasm !== null) return wasmNames[Number(wasm[1])];
  if (/\/engine\/(?:ts|wasm)\//.test(frame.url)) return frame.functionName || "(anonymous)";
  return undefined;
}

/**
 * The part each profile node's samples go to: the outermost engine call on its
 * stack, so that an engine call's inner functions, and its binding, count as
 * the call (V8 may inline a TypeScript kernel into the binding that calls it).
 */
function partsOf(profile: CpuProfile, wasmNames: readonly string[]): Map<number, string> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const children = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const parts = new Map<number, string>();
  const visit = (id: number, call: string | undefined) => {
    const node = byId.get(id)!;
    const fn = node.callFrame.functionName;
    // Chromium's profiles show the wrapper V8 puts on a call into WebAssembly as a frame of its own: the call is the function inside.
    if (call === undefined && fn.startsWith(JS_TO_WASM)) {
      parts.set(id, JS_TO_WASM);
      for (const c of node.children ?? []) visit(c, undefined);
      return;
    }
    const here = call ?? engineCall(node.callFrame, wasmNames);
    parts.set(id, here ?? (RUNTIME_FRAMES.has(fn) ? RUNTIME : fn === IDLE ? IDLE : SHARED));
    for (const c of node.children ?? []) visit(c, here);
  };
  for (const n of profile.nodes) if (!children.has(n.id)) visit(n.id, undefined);
  return parts;
}

/** Adds a profile of the loop to a split. */
export function addProfile(split: Split, profile: CpuProfile, wasmNames: readonly string[]): void {
  const parts = partsOf(profile, wasmNames);
  profile.samples.forEach((id, k) => {
    const part = parts.get(id)!;
    // The first sample's delta runs from the start of profiling, which takes time of its own.
    if (k === 0 || part === IDLE) return;
    const dt = profile.timeDeltas[k]!;
    split.parts.set(part, (split.parts.get(part) ?? 0) + dt);
    split.sampled += dt;
  });
}

/** Adds `solves` solves of the loop, run without the profiler in `ms`, to a split. */
export function addTiming(split: Split, solves: number, ms: number): void {
  split.solves += solves;
  split.ms += ms;
}

const perSolve = (s: Split, part: string) => ((s.parts.get(part) ?? 0) / s.sampled) * ((s.ms * 1000) / s.solves);
const ratio = (ts: number, wasm: number) => (wasm > 0 && ts > 0 ? `${(ts / wasm).toFixed(2)}×` : "–");

export type Engine = "wasm" | "ts";

/** The loops whose time is split: the ADRS cases with default options, where the shared JavaScript weighs most, and a fleet, where the kernels do. */
export function splitWorkloads(adrs: Problem[]): { label: string; problems: Problem[]; options: SolveOptions }[] {
  return [
    { label: "50 ADRS cases, default options", problems: adrs, options: {} },
    { label: "2,000 models (exact: false)", problems: [fleet(400, 2000, 2)], options: { exact: false } },
  ];
}

/**
 * Both engines' splits of one loop in `options`: a round each to warm up, then
 * `rounds` rounds in alternation, each running the loop without the profiler
 * (`run`: solves and ms) and then under it (`profiled`, which runs what it is
 * given and answers the profile).
 */
export async function splitByEngine(
  rounds: number,
  wasmNames: readonly string[],
  options: SolveOptions,
  run: (options: SolveOptions) => Promise<[number, number]>,
  profiled: (work: () => Promise<unknown>) => Promise<CpuProfile>,
): Promise<Record<Engine, Split>> {
  const byEngine = { wasm: emptySplit(), ts: emptySplit() };
  const loop = (engine: Engine) => run({ ...options, engine });
  for (const engine of ["wasm", "ts"] as const) await loop(engine);
  for (let r = 0; r < rounds; r++) {
    for (const engine of r % 2 === 0 ? (["wasm", "ts"] as const) : (["ts", "wasm"] as const)) {
      addTiming(byEngine[engine], ...(await loop(engine)));
      addProfile(byEngine[engine], await profiled(() => loop(engine)), wasmNames);
    }
  }
  return byEngine;
}

/** Engine calls under this share of the engine's time on both engines print as one row: profiles of fast loops hold a few stray samples. */
const MINOR_SHARE = 0.01;

/** The table of a workload's split on both engines, µs per solve: each engine call, all of them, and the rest. */
export function printSplit(label: string, wasm: Split, ts: Split, print: (line: string) => void = console.log): void {
  const calls = [...new Set([...wasm.parts.keys(), ...ts.parts.keys()])].filter((p) => p !== SHARED && p !== RUNTIME).sort();
  const engineTime = (s: Split, among = calls) => among.reduce((sum, k) => sum + perSolve(s, k), 0);
  const minor = calls.filter((k) => [wasm, ts].every((s) => perSolve(s, k) < MINOR_SHARE * engineTime(s)));
  // Parts are in µs per solve; formatTime takes ms.
  const row = (part: string, w: number, t: number, withRatio = true) =>
    print(`| ${part} | ${formatTime(w / 1000)} | ${formatTime(t / 1000)} | ${withRatio ? ratio(t, w) : ""} |`);
  print(`\n${label}: µs per solve (${wasm.solves} solves on WASM, ${ts.solves} on TS)\n`);
  print("| part of a solve | WASM | TS | TS / WASM |");
  print("|---|---:|---:|---:|");
  for (const k of calls) if (!minor.includes(k)) row(`engine call: ${k}`, perSolve(wasm, k), perSolve(ts, k));
  if (minor.length > 0) row(`engine calls: ${minor.join(", ")}`, engineTime(wasm, minor), engineTime(ts, minor), false);
  row("**all engine calls**", engineTime(wasm), engineTime(ts));
  row(SHARED, perSolve(wasm, SHARED), perSolve(ts, SHARED), false);
  row(`${RUNTIME} (garbage collection, unattributed)`, perSolve(wasm, RUNTIME), perSolve(ts, RUNTIME), false);
  const whole = (s: Split) => (s.ms * 1000) / s.solves;
  row("**solve**", whole(wasm), whole(ts));
}
