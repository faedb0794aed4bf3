// The planning page: reads the problem from the form, solves it in a worker, draws the placement.
import {
  createWorkerSolver,
  PlacementError,
  type Model,
  type Problem,
  type Scenario,
  type Solution,
  type SolveOptions,
  type WorkerSolver,
} from "kvplace/worker";
import { renderChart, showScenarios } from "./chart.js";
import { byId } from "./dom.js";
import { downloadJson, type SolveRecord } from "./download.js";
import { exampleLabel, examples } from "./examples.js";
import { formatCount, formatMs } from "./format.js";
import { showFailover } from "./failover.js";
import { showFrontier } from "./frontier.js";
import { readGpus, showGpus, syncGpuMode, takeGpusFromProblem } from "./gpu-pool.js";
import { gpusOf, InputError, looksLikeJson, modelsToCsv, parseModelsInput } from "./models-input.js";
import { setupPoolMode } from "./pool-mode.js";
import { renderSummary } from "./summary.js";

const ui = {
  form: byId("inputs", HTMLFormElement),
  example: byId("example", HTMLSelectElement),
  loadExample: byId("load-example", HTMLButtonElement),
  models: byId("models", HTMLTextAreaElement),
  upload: byId("upload", HTMLInputElement),
  engine: byId("engine", HTMLSelectElement),
  exact: byId("exact", HTMLSelectElement),
  timeLimit: byId("time-limit", HTMLInputElement),
  failover: byId("failover-level", HTMLSelectElement),
  cancel: byId("cancel", HTMLButtonElement),
  download: byId("download", HTMLButtonElement),
  status: byId("status", HTMLElement),
  error: byId("error", HTMLElement),
  results: byId("results", HTMLElement),
  gpus: byId("gpus", HTMLOListElement),
  scenario: byId("scenario", HTMLSelectElement),
};

type State = "empty" | "solving" | "done" | "error";

const solver: Promise<WorkerSolver> = createWorkerSolver();
let running: AbortController | undefined;
let last: SolveRecord | undefined;
/** The placement the chart draws: the solve's, or a picked point of the move frontier. */
let shown: Solution | undefined;
let runs = 0;

function setState(state: State): void {
  ui.results.dataset["state"] = state;
  ui.results.setAttribute("aria-busy", String(state === "solving"));
  ui.cancel.disabled = state !== "solving";
  ui.download.disabled = state !== "done";
}

function showError(e: unknown): void {
  const text = e instanceof PlacementError ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e);
  ui.error.textContent = text.charAt(0).toUpperCase() + text.slice(1);
  ui.error.hidden = false;
}

function clearResults(): void {
  last = undefined;
  shown = undefined;
  ui.gpus.replaceChildren();
  showScenarios(ui.scenario, undefined);
  showFailover(undefined, undefined);
  for (const id of ["max-kvpr", "lower-bound", "gap", "bottleneck", "proof"]) byId(id, HTMLElement).textContent = "–";
  delete byId("max-kvpr", HTMLElement).dataset["value"];
  byId("proof", HTMLElement).className = "proof";
  byId("stats", HTMLElement).textContent = "";
}

function readProblem(): { problem: Problem; warnings: string[] } {
  const input = parseModelsInput(ui.models.value);
  // A problem's own GPUs win, as the line under the GPU fieldset said before the solve.
  const problem: Problem = { ...(gpusOf(input) ?? readGpus()), models: input.models };
  if (input.scenarios !== undefined) problem.scenarios = input.scenarios;
  if (input.spread !== undefined) problem.spread = input.spread;
  return { problem, warnings: input.warnings };
}

function readOptions(): SolveOptions {
  const timeLimitMs = Number(ui.timeLimit.value);
  if (ui.timeLimit.value.trim() === "" || !(timeLimitMs > 0)) throw new InputError("The time limit must be a positive number of milliseconds.");
  const exact = ui.exact.value === "auto" ? "auto" : ui.exact.value === "true";
  const options: SolveOptions = { engine: ui.engine.value === "ts" ? "ts" : "wasm", exact, timeLimitMs };
  if (ui.failover.value === "gpu" || ui.failover.value === "node") options.failover = ui.failover.value;
  return options;
}

async function solveNow(): Promise<void> {
  // A new solve replaces the running one, whose rejection then finds itself superseded and stays quiet.
  running?.abort();
  running = undefined;
  ui.error.hidden = true;
  let problem: Problem;
  let warnings: string[];
  let options: SolveOptions;
  try {
    ({ problem, warnings } = readProblem());
    options = readOptions();
  } catch (e) {
    clearResults();
    setState("error");
    showError(e);
    ui.status.textContent = "";
    return;
  }
  const controller = new AbortController();
  running = controller;
  const run = ++runs;
  const started = performance.now();
  setState("solving");
  // Ticks while the worker computes: the page stays live, and says so.
  const ticker = setInterval(() => (ui.status.textContent = `Solving… ${formatMs(performance.now() - started)}`), 100);
  ui.status.textContent = "Solving…";
  try {
    const solution: Solution = await (await solver).solve(problem, { ...options, signal: controller.signal });
    last = { problem, options, solution };
    const show = (placed: Solution) => {
      shown = placed;
      renderSummary(placed);
      showScenarios(ui.scenario, problem.scenarios === undefined ? undefined : placed);
      renderChart(ui.gpus, problem, placed, -1);
      showFailover(options.failover, placed.failover);
    };
    show(solution);
    ui.results.dataset["run"] = String(run);
    setState("done");
    const notes = warnings.map((w) => ` ${w.charAt(0).toUpperCase()}${w.slice(1)}.`).join("");
    ui.status.textContent = `Placed ${formatCount(problem.models.length, "model")} on ${formatCount(solution.gpus.length, "GPU")}.${notes}`;
    void showFrontier(await solver, problem, solution, show, controller.signal, options.failover);
  } catch (e) {
    if (running !== controller) return;
    if (e instanceof PlacementError && e.code === "CANCELLED") {
      ui.status.textContent = "Cancelled.";
      setState(last === undefined ? "empty" : "done");
      return;
    }
    clearResults();
    setState("error");
    ui.status.textContent = "";
    showError(e);
  } finally {
    clearInterval(ticker);
    if (running === controller) running = undefined;
  }
}

function loadExample(k: number): void {
  const c = examples[k];
  if (c === undefined) return;
  ui.models.value = modelsToCsv(c.problem.models);
  followGpusOfText();
  showGpus(c.problem.gpus, c.problem.gpuMemGB);
  ui.error.hidden = true;
  ui.status.textContent = `Loaded ADRS case ${k + 1}. Press Solve.`;
}

/**
 * Follows the models box: a JSON problem that gives GPUs sets them, however it
 * got there (typed, edited, pasted, uploaded), and the fieldset says so.
 * Returns whether it did.
 */
function followGpusOfText(): boolean {
  let gpus: Pick<Problem, "gpus" | "gpuMemGB"> | undefined;
  if (looksLikeJson(ui.models.value)) {
    try {
      gpus = gpusOf(parseModelsInput(ui.models.value));
    } catch {
      // Half-typed or bad JSON gives no GPUs yet; solving reports what is wrong with it.
    }
  }
  takeGpusFromProblem(gpus);
  return gpus !== undefined;
}

examples.forEach((c, k) => ui.example.append(new Option(exampleLabel(c, k), String(k))));
/** The models for pool planning and their demand scenarios: the pool meets the target in every one. */
function poolInput(): { models: Model[]; scenarios?: Scenario[] } {
  const { models, scenarios } = parseModelsInput(ui.models.value);
  return scenarios === undefined ? { models } : { models, scenarios };
}

ui.loadExample.addEventListener("click", () => loadExample(Number(ui.example.value)));
ui.form.addEventListener("submit", (e) => {
  e.preventDefault();
  void solveNow();
});
ui.cancel.addEventListener("click", () => running?.abort());
ui.scenario.addEventListener("change", () => {
  if (last !== undefined && shown !== undefined) renderChart(ui.gpus, last.problem, shown, Number(ui.scenario.value));
});
ui.download.addEventListener("click", () => {
  if (last !== undefined) downloadJson(last);
});
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="gpu-mode"]')) radio.addEventListener("change", syncGpuMode);
ui.models.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    ui.form.requestSubmit();
  }
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && running !== undefined) running.abort();
});
ui.models.addEventListener("input", () => followGpusOfText());
ui.upload.addEventListener("change", async () => {
  const file = ui.upload.files?.[0];
  if (file === undefined) return;
  ui.models.value = await file.text();
  const gpus = followGpusOfText();
  ui.status.textContent = `Loaded ${file.name}${gpus ? " with its GPUs" : ""}. Press Solve.`;
});
solver.catch((e: unknown) => {
  setState("error");
  showError(e);
});

setupPoolMode({ solver, input: poolInput, options: readOptions });
syncGpuMode();
loadExample(0);
void solveNow();
