// npm run bench:stability: 100,000 consecutive solves of the control-plane mix
// (bench/mix.ts) in one process and on one solver. Reports the WebAssembly
// memory and the JS heap (after a full GC) every 10,000 solves; exits non-zero
// if the memory moved after warm-up or the heap grew past noise.
import { cpus } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createSolver, PlacementError } from "../dist/index.js";
import { fleet } from "./generate.js";
import { LARGEST, memoryBound, mixed, mixedOptions } from "./mix.js";

const SOLVES = Number(process.argv[2] ?? 100_000);
const REPORT_EVERY = 10_000;
/** Heap growth from the first report to the last that still counts as noise. */
const HEAP_NOISE = 2 << 20;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => (bytes / (1 << 20)).toFixed(2);

const solver = await createSolver();
solver.solve(fleet(LARGEST.gpus, LARGEST.models, 1), { timeLimitMs: 20 });
const memory = solver.memoryBytes();
const bound = memoryBound(LARGEST.models, LARGEST.gpus);

console.log(`${new Date().toISOString().slice(0, 10)} · Node ${process.versions.node} · ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}`);
console.log(`WebAssembly memory after warm-up (${LARGEST.gpus} GPUs × ${LARGEST.models} models): ${memory} bytes (documented bound ${bound})\n`);
console.log("| solves | WebAssembly memory | JS heap after GC | rejected | ms per solve |");
console.log("|---:|---:|---:|---:|---:|");

let rejected = 0;
let firstHeap = 0;
let lastHeap = 0;
let moved = false;
let start = performance.now();
for (let k = 0; k < SOLVES; k++) {
  try {
    solver.solve(mixed(k), mixedOptions(k));
  } catch (e) {
    if (!(e instanceof PlacementError)) throw e;
    rejected++;
  }
  if (solver.memoryBytes() !== memory) moved = true;
  if ((k + 1) % REPORT_EVERY === 0) {
    const ms = (performance.now() - start) / REPORT_EVERY;
    lastHeap = heap();
    if (firstHeap === 0) firstHeap = lastHeap;
    console.log(`| ${(k + 1).toLocaleString("en")} | ${solver.memoryBytes()} B | ${mb(lastHeap)} MiB | ${rejected} | ${ms.toFixed(3)} |`);
    start = performance.now();
  }
}

const growth = lastHeap - firstHeap;
console.log(
  `\nWebAssembly memory ${moved ? "MOVED" : "unchanged"} after warm-up; JS heap ${growth >= 0 ? "+" : ""}${mb(growth)} MiB from the first report to the last.`,
);
if (moved || memory > bound || growth > HEAP_NOISE) process.exitCode = 1;
