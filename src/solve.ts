import { lowerBounds, packingBoundBelow } from "./bounds/lower-bounds.js";
import { withDeadline } from "./engine/deadline.js";
import { withinCost } from "./engine/ts/kernels/budget.js";
import type { Kernels } from "./engine/kernels.js";
import { loadInstance } from "./engine/workspace.js";
import { SET_SLACK } from "./engine/ts/kernels/layout.js";
import { PlacementError } from "./errors.js";
import { type ResolvedOptions, validateOptions, validateProblem } from "./input/validate.js";
import { anyRunning, type Instance } from "./input/instance.js";
import type { Arena } from "./input/slab.js";
import { solveSurvivable } from "./failover/survivable.js";
import { moveCostOf, planMoves } from "./report/moves.js";
import { tally } from "./report/tally.js";
import { construct } from "./search/construct.js";
import { loadCurrentPlacement } from "./search/current.js";
import { fewerMoves } from "./search/fewer-moves.js";
import { forcedMoves, type ForcedMoves } from "./search/forced-moves.js";
import { Incumbent } from "./search/incumbent.js";
import { iterate } from "./search/iterate.js";
import { provePartition } from "./search/partition-proof.js";
import { proveByCover } from "./search/cover-proof.js";
import { type Baseline, baselineOf, checkGain, SAME_KVPR } from "./search/min-gain.js";
import { prove, type Proof } from "./search/prove.js";
import { createRandom } from "./search/random.js";
import type { LowerBounds, Problem, Solution, SolveOptions } from "./types.js";

/** Model × GPU × scenario visits the construction may spend: a pack and its local search cost about n·g·k. */
const PACK_WORK = 4e7;
/** Model × (model + GPU) × scenario visits the iterated local search may spend. */
const ROUND_WORK = 2e6;
const MAX_ROUNDS = 20;
/**
 * Before an exact search five packs will do (the first orderings × policies):
 * the search closes the last gap in a few nodes, and on the ADRS cases more
 * packs cost more than the nodes they save.
 */
const EXACT_PACKS = 5;
/**
 * Nodes the exact search spends on the incumbent of those five packs before
 * the heuristics `exact: false` runs — every pack and the iterated local
 * search — improve it, and the search starts again from the better one. Where
 * the search needs more, the cheap incumbent was measured up to 2% above what
 * those heuristics find. They cost a few milliseconds on instances the search
 * may still close as fast, so it first gets about as much (some 10 ms in
 * WebAssembly), as one rents before buying: the restart then at most doubles
 * a solve's work, and the ADRS optima (at most about 200 nodes) never pay it.
 */
const FIRST_NODES = 1 << 15;
/** `exact: "auto"` searches for a proof up to this many models and GPUs. */
const AUTO_MAX_MODELS = 64;
const AUTO_MAX_GPUS = 32;
/**
 * Nodes of the brief search `exact: false` tries first on such an instance
 * (ADRS cases need at most about 200): when it finishes, it has settled the
 * optimum for less than the packs and restarts cost; when not, they still run.
 */
const BRIEF_NODES = 256;
/**
 * ... and only with at most this many models per GPU: there GPUs close after
 * a model or two and the search is cheap; with more (many small models) it
 * rarely finishes, and the packs it costs are measurably missed.
 */
const BRIEF_MODELS_PER_GPU = 3;

/** Whether a solve with this `exact` option runs the exact search on n models and g GPUs. */
export function searchesExactly(exact: boolean | "auto", n: number, g: number): boolean {
  return exact === true || (exact === "auto" && n <= AUTO_MAX_MODELS && g <= AUTO_MAX_GPUS);
}

/** What a caller solving one problem many times (the move frontier) already knows. */
export type SolveHints = {
  /** The problem's lower bounds, computed once. */
  bounds?: LowerBounds;
  /** Placements to polish and offer before the search, which then starts from the best: the previous point of a frontier. */
  starts?: readonly ArrayLike<number>[];
  /** Placements to polish and offer after the search: the answer is never worse than without them. */
  finishes?: readonly ArrayLike<number>[];
  /** Rounds of the iterated local search, instead of `searchRounds`. */
  rounds?: number;
  /**
   * GB each GPU keeps free of weights (a failover search's hot spares): the
   * placement is one of a tighter problem, so only a bound of the problem
   * itself proves it optimal, never the exhausted search.
   */
  spare?: Float64Array | undefined;
};

/** Rounds of the iterated local search a solve spends on an instance of this size (k demand scenarios). */
export function searchRounds(n: number, g: number, k = 1): number {
  return Math.min(MAX_ROUNDS, Math.floor(ROUND_WORK / Math.max(1, n * (n + g) * k)));
}

/**
 * validate → normalize → bounds → construct → improve → prove → report, on one engine's kernels; the instance in
 * `arena` when given (a solver's own: the solution keeps nothing of it).
 */
export function solveWith(kernels: Kernels, problem: Problem, options?: SolveOptions, hints: SolveHints = {}, arena?: Arena): Solution {
  const start = performance.now();
  const opts = validateOptions(options);
  const inst = validateProblem(problem, arena);
  if (opts.failover === undefined) return solveInstance(kernels, inst, opts, hints, start);
  // Bounds are the problem's own, computed once: every spared solve shares them.
  const bounds = hints.bounds ?? lowerBounds(inst, kernels);
  return solveSurvivable(kernels, inst, opts, (spare, timeLimitMs) =>
    solveInstance(kernels, inst, { ...opts, timeLimitMs }, { ...hints, bounds, spare }, performance.now()),
  );
}

/** The solve itself, of a validated instance. */
function solveInstance(kernels: Kernels, inst: Instance, opts: ResolvedOptions, hints: SolveHints, start: number): Solution {
  const ws = kernels.workspace(inst.n, inst.g, inst.k, inst.m);
  loadInstance(ws, inst);
  const hasCurrent = anyRunning(inst);
  const budget = hasCurrent ? opts.maxMoves : Infinity;
  const costBudget = hasCurrent ? opts.maxMoveCost : Infinity;
  const budgeted = budget < Infinity || costBudget < Infinity;
  const forced = forcedMoves(inst);
  if (forced.count > budget) throw overBudget(forced, `maxMoves ${budget}`, forced.count === 1 ? "move" : `${forced.count} moves`);
  if (!withinCost(forced.cost, costBudget)) throw overBudget(forced, `maxMoveCost ${costBudget}`, `moves costing ${forced.cost}`);
  const bounds = hints.bounds ?? lowerBounds(inst, kernels);
  // loadInstance left no spare; a failover search asks for some.
  const spared = hints.spare !== undefined;
  if (hints.spare !== undefined) ws.gSpare.set(hints.spare);
  // A GPU loss must leave a lost shard a GPU of its node: sets go to nodes wider than they are, where there is one.
  if (opts.failover === "gpu") ws.counters[SET_SLACK] = 1;
  const deadline = start + opts.timeLimitMs;
  const sharpen = (value: number, bound: number) => (bounds.packing > 0 ? packingBoundBelow(inst, kernels, value, bound) : bound);
  const inc = new Incumbent(withDeadline(kernels, deadline, inst.n, inst.g, inst.k), ws, inst, bounds.best, budget, costBudget, deadline, sharpen);

  const small = searchesExactly("auto", inst.n, inst.g);
  const exact = searchesExactly(opts.exact, inst.n, inst.g);
  // Re-placement keeps the heuristic path it always had: a brief search is for
  // new placements, which have no current GPUs and so no move budget to keep.
  const brief = !exact && small && !hasCurrent && inst.n <= BRIEF_MODELS_PER_GPU * inst.g;
  const warm = hasCurrent && (opts.warmStart || budgeted);
  const loaded = hasCurrent && (warm || opts.minGain !== undefined) && loadCurrentPlacement(inc, inst, forced.leave);
  const baseline = loaded && opts.minGain !== undefined ? baselineOf(inst, ws.assign, budget, costBudget) : undefined;
  if (warm && loaded) inc.offerLocalOptimum();
  for (const seed of hints.starts ?? []) offerSeed(inc, seed);
  let briefProof: Proof = { proved: false, nodes: 0 };
  let trial: Incumbent | undefined;
  const packs = Math.max(1, Math.floor(PACK_WORK / Math.max(1, inst.n * inst.g * inst.k)));
  // A budget forbids starting over; without one, a failed warm start falls back to constructing.
  const constructs = !warm || (!budgeted && !Number.isFinite(inc.value));
  const rounds = hints.rounds ?? searchRounds(inst.n, inst.g, inst.k);
  // What exact: false runs, from scratch as it does, so that the exact search goes on from a placement at least as good;
  // a warm start under a budget is improved where it is instead.
  const heuristics = () => {
    if (!constructs) return iterate(inc, rounds, createRandom(opts.seed));
    const fresh = new Incumbent(inc.kernels, ws, inst, bounds.best, budget, costBudget, deadline, sharpen);
    construct(fresh, packs);
    if (!fresh.proven) iterate(fresh, rounds, createRandom(opts.seed));
    inc.takeFrom(fresh);
  };
  if (constructs) {
    if (brief) {
      // On a trial incumbent: when it is neither proven nor settled by the
      // search, the usual packs and restarts run as they always did, and the better placement is kept.
      trial = new Incumbent(inc.kernels, ws, inst, bounds.best, budget, costBudget, deadline, sharpen);
      construct(trial, Math.min(packs, EXACT_PACKS));
      briefProof = briefSearch(trial, Math.min(BRIEF_NODES, opts.maxNodes));
      if (!briefProof.proved && !trial.proven) construct(inc, packs);
    } else construct(inc, exact ? Math.min(packs, EXACT_PACKS) : packs);
  }
  // The exact search improves on the incumbent itself: random restarts would only delay it, or find nothing better than a
  // proof — unless it does not finish quickly (exactPhase runs them then).
  if (!exact && !briefProof.proved && trial?.proven !== true) iterate(inc, rounds, createRandom(opts.seed));
  if (trial !== undefined) inc.takeFrom(trial);
  const searched = briefProof.proved ? briefProof : exactPhase(inc, inst, opts.maxNodes, exact, heuristics);
  // The nodes of a brief search that did not finish are spent all the same.
  const proof = briefProof.proved ? searched : { proved: searched.proved, nodes: searched.nodes + briefProof.nodes };
  for (const seed of hints.finishes ?? []) offerSeed(inc, seed);
  if (hasCurrent && !budgeted) fewerMoves(inc, inst);
  else if (hasCurrent) inc.settle();

  if (!Number.isFinite(inc.value)) {
    const why = proof.proved ? "no placement exists that" : "no placement was found within the time and node limits that";
    const moves = budget < Infinity ? ` moves at most ${budget} models and` : "";
    const cost = costBudget < Infinity ? ` moves models costing at most ${costBudget} and` : "";
    throw new PlacementError("INFEASIBLE", `${why}${moves}${cost} keeps every GPU within memory with KV cache left for its demand`);
  }
  const found = inc.proven || (proof.proved && !spared);
  const gainCheck = opts.minGain === undefined ? undefined : checkGain(baseline, inc.value, opts.minGain);
  const kept = gainCheck !== undefined && !gainCheck.moved;
  const chosen = kept ? (baseline as Baseline).assign : inc.assign;
  // A loop, not Array.from: the iterator protocol measured a few percent of a small solve.
  const assignment = new Array<number>(inst.n);
  for (let i = 0; i < inst.n; i++) assignment[i] = chosen[i] as number;
  const { gpus, maxKvpr, bottleneck, scenarios } = tally(inst, assignment);
  // A proven optimum bounds every placement, the kept current one too, which is optimal only if it reaches it.
  const optimal = found && (!kept || maxKvpr <= inc.value * (1 + SAME_KVPR));
  // A bound the packing test proved just below a placement is the packing bound, sharpened.
  const bound = inc.lowerBound > bounds.best ? { ...bounds, packing: inc.lowerBound, best: inc.lowerBound } : bounds;
  const lowerBound = optimal ? maxKvpr : found ? inc.value : Math.min(bound.best, maxKvpr);
  const gap = lowerBound > 0 ? maxKvpr / lowerBound - 1 : maxKvpr > 0 ? Infinity : 0;
  return {
    assignment,
    maxKvpr,
    lowerBound,
    gap,
    optimal,
    bottleneck,
    gpus,
    moves: planMoves(inst, assignment),
    moveCost: moveCostOf(inst, assignment),
    ...(gainCheck === undefined ? {} : { gainCheck }),
    scenarios,
    stats: { engine: kernels.engine, ms: performance.now() - start, nodes: proof.nodes, proved: proof.proved, bounds: bound },
  };
}

/** Polishes a given placement within the budgets and keeps it if it beats the best; one over a budget is passed over. */
function offerSeed(inc: Incumbent, seed: ArrayLike<number>): void {
  const { ws, kernels } = inc;
  ws.assign.set(seed);
  kernels.rebuild();
  if (kernels.movedCount() <= inc.budget && withinCost(kernels.movedCost(), inc.costBudget)) inc.offerLocalOptimum();
}

/** Reasons listed in full before the rest are only counted: the message stays one readable line. */
const LISTED_REASONS = 4;

/** A budget below the moves that pins and groups force: refused before any search, naming the models. */
function overBudget(forced: ForcedMoves, budget: string, what: string): PlacementError {
  const listed = forced.reasons.slice(0, LISTED_REASONS).join("; ");
  const more = forced.reasons.length > LISTED_REASONS ? `; and ${forced.reasons.length - LISTED_REASONS} more` : "";
  const message = `${budget} cannot pay for the ${what} that pins and spread groups force (a pinned model off its current GPU counts as a move): ${listed}${more}`;
  return new PlacementError("INFEASIBLE", message, { model: forced.first });
}

/** The brief search of heuristic mode: a proof if it finishes in `nodes`, and in any case the placement it improved to. */
function briefSearch(inc: Incumbent, nodes: number): Proof {
  if (inc.proven || !Number.isFinite(inc.value)) return { proved: false, nodes: 0 };
  return prove(inc, nodes, false);
}

/**
 * The exact search when asked for (or, with "auto", when the instance is small),
 * with the proofs that do without its tree (bin completion first, the cover
 * bound midway); and in any mode when the heuristics found no placement at
 * all: then it looks for a first one, which the local search polishes. A
 * search that does not finish in FIRST_NODES lets `heuristics` improve the
 * incumbent, then starts again from the better one.
 */
function exactPhase(inc: Incumbent, inst: Instance, maxNodes: number, wanted: boolean, heuristics: () => void): Proof {
  const stuck = !Number.isFinite(inc.value);
  if (inc.proven || !(wanted || stuck)) return { proved: false, nodes: 0 };
  if (wanted) provePartition(inc, inst);
  if (inc.proven) return { proved: false, nodes: 0 };
  const cover = wanted ? () => proveByCover(inc, inst) : undefined;
  if (wanted && maxNodes > FIRST_NODES) {
    const first = prove(inc, FIRST_NODES, false, cover);
    if (first.proved || inc.proven || inc.outOfTime) return first;
    heuristics();
    if (inc.proven) return { proved: false, nodes: first.nodes };
    const rest = prove(inc, maxNodes - first.nodes, false, cover);
    return { proved: rest.proved, nodes: first.nodes + rest.nodes };
  }
  const proof = prove(inc, maxNodes, !wanted, cover);
  if (!wanted && Number.isFinite(inc.value)) {
    inc.restore();
    inc.offerLocalOptimum();
  }
  return proof;
}
