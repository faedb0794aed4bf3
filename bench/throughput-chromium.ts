// npm run bench:throughput, second half: the same loops as bench/throughput.ts
// (the same instances, chosen here in Node, the same modes and rounds), solved
// and timed in headless Chromium (scripts/chromium.mjs says which) by tinybench
// running in the page, on the package as built in dist/, served from 127.0.0.1.
import { cpus } from "node:os";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createSolver, type Problem, type SolveOptions } from "../dist/index.js";
import { launchChromium, serveStatic } from "../scripts/demo-page.mjs";
import { loadSuite } from "./adrs50.js";
import { type CpuProfile, printSplit, SAMPLING_US, splitByEngine, splitWorkloads, wasmFunctionNames } from "./engine-time.js";
import { formatTime } from "./kernel-tasks.js";
import { ROUND_MS, ROUNDS } from "./rounds.js";
import { FAMILY_TIME_LIMIT_MS, formatRate, MODES, type Mode, optionsFor, twinOf, workloads } from "./repeated-solves.js";
import type { Measured } from "./throughput-page.js";

type PageModule = typeof import("./throughput-page.js");

const root = fileURLToPath(new URL("../", import.meta.url));
/** Where the page finds a file of the package root, which the server serves as it is. */
const served = (file: string) => `/${relative(root, file).split(sep).join("/")}`;

// The page's one import that is not a relative path: the import map sends it to the installed tinybench.
// Cross-origin isolation (COOP and COEP) gives the page's performance.now steps of 5 µs instead of 100 µs.
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>kvplace throughput</title>
<script type="importmap">${JSON.stringify({ imports: { tinybench: served(fileURLToPath(import.meta.resolve("tinybench"))) } })}</script>
`;
/** Wall-clock milliseconds a timed sample of the kernels should last: many steps of the page's clock, where a kernel call takes well under one. */
const SAMPLE_MS = 0.5;
const ISOLATION = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

const suite = workloads(loadSuite(new URL("../bench/data/adrs50.json", import.meta.url)), (await createSolver()).solve);

const server = await serveStatic(root);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  const url = `${server.url}throughput.html`;
  await page.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", headers: ISOLATION, body: PAGE }));
  await page.goto(url);
  const isolated = await page.evaluate(() => globalThis.crossOriginIsolated);

  console.log(`\n${new Date().toISOString().slice(0, 10)} · headless Chromium ${browser.version()} · ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}`);
  console.log(
    `wall-clock time in the page (performance.now${isolated ? ", cross-origin isolated" : ", not cross-origin isolated: 100 µs steps"}; a page has no CPU time), median of ${ROUNDS} rounds of ${ROUND_MS} ms per task, each WASM mode in alternation with its TS twin`,
  );
  console.log(`the instances of the Node table; default options; the generated families with timeLimitMs: ${FAMILY_TIME_LIMIT_MS}\n`);
  console.log("| workload | engine, mode | solves/s | proven | at optimum | WASM / TS |");
  console.log("|---|---|---:|---:|---:|---:|");
  const module = served(fileURLToPath(new URL("throughput-page.js", import.meta.url)));
  // Each WASM mode with its TS twin, in alternation (bench/throughput-page.ts), printed in the Node table's order.
  const pairs = MODES.filter((m) => m.options.engine === "wasm").map((m) => [m, twinOf(m)] as const);
  for (const w of suite) {
    for (const [wasm, ts] of pairs) {
      const [onWasm, onTs] = await page.evaluate(async (arg) => ((await import(arg.module)) as PageModule).measure(arg.w, arg.modes, arg.rounds, arg.roundMs), {
        module,
        w,
        modes: [optionsFor(w, wasm), optionsFor(w, ts)],
        rounds: ROUNDS,
        roundMs: ROUND_MS,
      });
      const optimum = (m: Measured) => (w.optima === undefined ? "–" : `${m.atOptimum}/${w.problems.length}`);
      const row = (mode: Mode, m: Measured, ratio: string) =>
        console.log(`| ${w.label} | ${mode.label} | ${formatRate(m.solvesPerSecond)} | ${m.proven}/${w.problems.length} | ${optimum(m)} | ${ratio} |`);
      row(wasm, onWasm!, "");
      row(ts, onTs!, `${(onWasm!.solvesPerSecond / onTs!.solvesPerSecond).toFixed(2)}×`);
    }
  }

  // npm run bench's kernels on its 18-model ADRS case, to set beside the loop's WASM / TS.
  const adrs18 = suite[0]!.problems.find((p) => p.models.length === 18)!;
  console.log(
    `\n18 models (ADRS), per call, in the page: wall-clock time, calls batched to about ${SAMPLE_MS} ms per sample, median of ${ROUNDS} rounds of ${ROUND_MS} ms per task, WASM in alternation with TS\n`,
  );
  console.log("| task | WASM | TS | TS / WASM |");
  console.log("|---|---:|---:|---:|");
  const times = await page.evaluate(
    async (arg) => ((await import(arg.module)) as PageModule).measureKernels(arg.problem, arg.rounds, arg.roundMs, arg.sampleMs),
    {
      module,
      problem: adrs18,
      sampleMs: SAMPLE_MS,
      rounds: ROUNDS,
      roundMs: ROUND_MS,
    },
  );
  for (const t of times) console.log(`| ${t.task} | ${formatTime(t.wasmMs)} | ${formatTime(t.tsMs)} | ${(t.tsMs / t.wasmMs).toFixed(2)}× |`);

  // Where a solve's time goes in the page: the DevTools protocol's profiler, as bench/throughput.ts does in Node.
  const wasmNames = wasmFunctionNames(new URL("../build/kvplace.wat", import.meta.url));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: SAMPLING_US });
  const solveFor = (problems: Problem[], options: SolveOptions) =>
    page.evaluate(async (arg) => ((await import(arg.module)) as PageModule).solveForMs(arg.problems, arg.options, arg.ms), {
      module,
      problems,
      options,
      ms: ROUND_MS,
    });
  console.log(
    `\nWhere a solve's time goes in the page: shares from V8's sampling profiler (every ${SAMPLING_US} µs), times (wall clock) from the same loop unprofiled; ${ROUNDS} rounds of ${ROUND_MS} ms each per engine, in alternation, after one to warm up`,
  );
  for (const { label, problems, options } of splitWorkloads(suite[0]!.problems)) {
    const byEngine = await splitByEngine(
      ROUNDS,
      wasmNames,
      options,
      (o) => solveFor(problems, o),
      async (work) => {
        await cdp.send("Profiler.start");
        await work();
        return (await cdp.send("Profiler.stop")).profile as CpuProfile;
      },
    );
    printSplit(label, byEngine.wasm, byEngine.ts);
  }
  if (pageErrors.length > 0) throw new Error(`the page reported errors: ${pageErrors.join("; ")}`);
} finally {
  await browser.close();
  await server.close();
}
