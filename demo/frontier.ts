// Moves versus pressure: when models have a current GPU, the frontier of max KVPR against the moves allowed,
// as a small step chart whose points can be picked; picking one draws that placement and its move plan.
import { evaluate, type FrontierPoint, type MoveFrontier, type Problem, type Solution } from "kvplace";
import type { WorkerSolver } from "kvplace/worker";
import { byId, el } from "./dom.js";
import { formatCount, formatKvpr } from "./format.js";

/** Each point of the page's frontier may search this long (ms) at most, so the chart follows the solve quickly. */
const POINT_TIME_MS = 250;
const WIDTH = 320;
const HEIGHT = 120;
const PAD = 24;

/** Draws the placement of a point: the page's chart and summary take a Solution, so the point becomes one. */
export type ShowPlacement = (solution: Solution) => void;

/** Sweeps the move budgets for a problem with current GPUs and draws the frontier; hides the section otherwise. */
/** With `failover`, each point's failover report is recomputed, since the frontier's points need not survive a loss. */
export async function showFrontier(
  solver: WorkerSolver,
  problem: Problem,
  solution: Solution,
  show: ShowPlacement,
  signal: AbortSignal,
  failover?: "gpu" | "node",
): Promise<void> {
  const section = byId("frontier", HTMLElement);
  section.hidden = !problem.models.some((m) => m.currentGpu !== undefined);
  if (section.hidden) return;
  byId("frontier-chart", HTMLElement).replaceChildren();
  byId("move-plan", HTMLOListElement).replaceChildren();
  const note = byId("frontier-note", HTMLElement);
  note.textContent = "Sweeping move budgets…";
  const options = { engine: solution.stats.engine, timeLimitMs: POINT_TIME_MS, signal };
  let frontier: MoveFrontier;
  try {
    frontier = await solver.moveFrontier(problem, options);
  } catch (e) {
    note.textContent = `No frontier: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  const pick = (p: FrontierPoint) => {
    show(asSolution(problem, solution, p, failover));
    for (const dot of section.querySelectorAll<SVGElement>("[data-budget]")) dot.classList.toggle("picked", dot.dataset["budget"] === String(p.budget));
    renderMovePlan(problem, p);
    note.textContent = `At most ${formatCount(p.budget, "move")}: max KVPR ${formatKvpr(p.maxKvpr)}${p.optimal ? " (proven optimal within the budget)" : ""}.`;
  };
  drawChart(frontier, pick);
  note.textContent = "Pick a point to see its placement and move plan.";
}

/** Budget on x, max KVPR on y (from 0); one focusable dot per point, joined by steps. */
function drawChart(frontier: MoveFrontier, pick: (p: FrontierPoint) => void): void {
  const NS = "http://www.w3.org/2000/svg";
  const points = frontier.points;
  const maxX = Math.max(1, ...points.map((p) => p.budget));
  const maxY = Math.max(...points.map((p) => p.maxKvpr).filter(Number.isFinite), 1e-12);
  const x = (b: number) => PAD + ((WIDTH - 2 * PAD) * b) / maxX;
  const y = (k: number) => HEIGHT - PAD - ((HEIGHT - 2 * PAD) * k) / maxY;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", "Max KVPR against the moves allowed");
  const path = points.map((p, k) => `${k === 0 ? "M" : `H${x(p.budget)} V`}${k === 0 ? `${x(p.budget)} ${y(p.maxKvpr)}` : y(p.maxKvpr)}`).join(" ");
  const line = document.createElementNS(NS, "path");
  line.setAttribute("d", path);
  line.setAttribute("class", "frontier-line");
  const axis = document.createElementNS(NS, "text");
  axis.setAttribute("x", String(WIDTH / 2));
  axis.setAttribute("y", String(HEIGHT - 4));
  axis.setAttribute("class", "frontier-axis");
  axis.textContent = `moves allowed (0–${maxX})`;
  svg.append(line, axis);
  for (const p of points) {
    const dot = document.createElementNS(NS, "circle");
    dot.setAttribute("cx", String(x(p.budget)));
    dot.setAttribute("cy", String(y(p.maxKvpr)));
    dot.setAttribute("r", "4");
    dot.setAttribute("tabindex", "0");
    dot.setAttribute("role", "button");
    dot.setAttribute("class", p.optimal ? "frontier-dot proven" : "frontier-dot");
    dot.setAttribute("aria-label", `at most ${formatCount(p.budget, "move")}: max KVPR ${formatKvpr(p.maxKvpr)}`);
    dot.dataset["budget"] = String(p.budget);
    const title = document.createElementNS(NS, "title");
    title.textContent = `${formatCount(p.budget, "move")}: ${formatKvpr(p.maxKvpr)}`;
    dot.append(title);
    dot.addEventListener("click", () => pick(p));
    dot.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        pick(p);
      }
    });
    svg.append(dot);
  }
  byId("frontier-chart", HTMLElement).replaceChildren(svg);
}

/** The point's placement in the shape the page draws, its GPU figures (and failover report) recomputed by `evaluate`. */
function asSolution(problem: Problem, solved: Solution, p: FrontierPoint, failover: "gpu" | "node" | undefined): Solution {
  const { gpus, maxKvpr, scenarios, failover: report } = evaluate(problem, p.assignment, failover === undefined ? {} : { failover });
  const bottleneck = Math.max(
    0,
    gpus.findIndex((g) => g.kvpr === maxKvpr),
  );
  const { assignment, lowerBound, gap, optimal, moves, moveCost } = p;
  const placed: Solution = { ...solved, assignment, maxKvpr, lowerBound, gap, optimal, moves, moveCost, gpus, bottleneck, scenarios };
  if (report !== undefined) placed.failover = report.losses;
  return placed;
}

function renderMovePlan(problem: Problem, p: FrontierPoint): void {
  const name = (i: number) => problem.models[i]?.id ?? `#${i}`;
  const items = p.moves.map((m) => el("li", "", `${name(m.model)}: GPU ${m.from} → GPU ${m.to}${m.staged ? " (staged)" : ""}`));
  byId("move-plan", HTMLOListElement).replaceChildren(...(items.length > 0 ? items : [el("li", "", "nothing moves")]));
}
