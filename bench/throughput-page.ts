// The Chromium half of npm run bench:throughput, as the page runs it: the loop
// of bench/throughput.ts, and npm run bench's kernels on one instance, timed by
// tinybench in the page. A page cannot read its process's CPU time, so the
// clock is the wall clock (performance.now), and what is compared runs in
// alternation, round by round, so that a busy moment on the machine falls on
// both sides rather than on one.
import { performanceNowTimestampProvider } from "tinybench";
import { createTsKernels } from "../dist/engine/ts/index.js";
import { bindWasm } from "../dist/engine/wasm/binding.js";
import { createSolver, type Problem, type SolveOptions } from "../dist/index.js";
import { interleaved } from "./interleave.js";
import { type KernelTask, kernelTasks } from "./kernel-tasks.js";
import { check, solveFor, solveOrGiveUp, solvesPerSecond, type Workload } from "./repeated-solves.js";

const { solve } = await createSolver();

export type Measured = { solvesPerSecond: number; proven: number; atOptimum: number };

/** Solves per wall-clock second of a loop over the workload in each mode (median of `rounds` interleaved rounds of `roundMs`), with its check. */
export async function measure(w: Workload, modes: readonly SolveOptions[], rounds: number, roundMs: number): Promise<Measured[]> {
  const checks = modes.map((options) => check(solve, w, options));
  const contenders = modes.map((options, k) => ({ name: String(k), run: () => w.problems.forEach((p) => solveOrGiveUp(solve, p, options)) }));
  const ms = await interleaved(contenders, rounds, roundMs, performanceNowTimestampProvider);
  return ms.map((perRun, k) => ({ solvesPerSecond: solvesPerSecond(w, perRun), ...checks[k]! }));
}

/** Solves `problems` in turn with `options` for at least `ms` of wall-clock time: how many solves, in how many ms. */
export const solveForMs = (problems: readonly Problem[], options: SolveOptions, ms: number) => solveFor(solve, problems, options, ms, () => performance.now());

export type KernelTimes = { task: string; wasmMs: number; tsMs: number };

/**
 * Milliseconds per call of each kernel task of npm run bench on both engines
 * (median of `rounds` interleaved rounds of `roundMs`), and of a solve end to
 * end (exact: true), on `problem`; calls batched into samples of about
 * `sampleMs`, since a kernel call takes well under one step of the page's clock.
 */
export async function measureKernels(problem: Problem, rounds: number, roundMs: number, sampleMs: number): Promise<KernelTimes[]> {
  const wasm = await WebAssembly.instantiateStreaming(fetch(new URL("../dist/engine/wasm/kvplace.wasm", import.meta.url)));
  const optimum = solve(problem, { exact: true }).maxKvpr;
  const endToEnd = (engine: "wasm" | "ts"): KernelTask => ({ task: "solve end to end (exact: true)", run: () => void solve(problem, { engine, exact: true }) });
  const onWasm = [...kernelTasks(bindWasm(wasm.instance), problem, optimum), endToEnd("wasm")];
  const onTs = [...kernelTasks(createTsKernels(), problem, optimum), endToEnd("ts")];
  const times: KernelTimes[] = [];
  for (const [i, { task }] of onWasm.entries()) {
    const pair = [onWasm[i]!, onTs[i]!].map((t) => ({ ...t, reps: repetitions(t.run, sampleMs) }));
    const ms = await interleaved(
      pair.map(({ run, reps }, k) => ({ name: String(k), run: () => repeat(run, reps) })),
      rounds,
      roundMs,
      performanceNowTimestampProvider,
    );
    times.push({ task, wasmMs: ms[0]! / pair[0]!.reps, tsMs: ms[1]! / pair[1]!.reps });
  }
  return times;
}

/** Wall-clock milliseconds over which calls are counted to size a sample: thousands of calls of the kernels timed here. */
const CALIBRATION_MS = 20;

/** How many calls of `run` take about `sampleMs`. */
function repetitions(run: () => void, sampleMs: number): number {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < CALIBRATION_MS) {
    run();
    calls++;
  }
  return Math.max(1, Math.round((calls * sampleMs) / CALIBRATION_MS));
}

function repeat(run: () => void, times: number): void {
  for (let r = 0; r < times; r++) run();
}
