// The failover report as text: a line per GPU or node that may be lost, what its re-placement leaves, the worst marked.
import type { FailoverLoss, FailoverReport, GpuReport, Solution } from "../types.js";
import { printableName } from "./failure.js";
import { count, formatKvpr } from "./render.js";

/** Index of the loss with the largest max KVPR after it (one without re-placement is at Infinity), -1 with none. */
const worstLoss = (losses: readonly FailoverLoss[]): number =>
  losses.reduce((worst, loss, k) => (worst < 0 || loss.maxKvpr > (losses[worst] as FailoverLoss).maxKvpr ? k : worst), -1);

/** A solution's losses as the report an evaluation gives: the level they are of, and the worst found. */
export function solutionFailover(solution: Solution, level: "gpu" | "node"): Pick<FailoverReport, "level" | "losses" | "worst"> {
  const losses = solution.failover ?? [];
  return { level, losses, worst: worstLoss(losses) };
}

/**
 * A line for the verdict, then one per loss: its max KVPR after and how many
 * models move, or that it does not survive; `cap` is `failoverKvpr`.
 */
export function failoverLines(
  { level, losses, worst }: Pick<FailoverReport, "level" | "losses" | "worst">,
  gpus: readonly GpuReport[],
  cap: number | undefined,
): string[] {
  if (worst < 0) return [`failover (${level}): nothing to lose`];
  const failing = losses.filter((loss) => !loss.survives).length;
  const within = cap === undefined ? "" : ` within max KVPR ${formatKvpr(cap)}`;
  const unit = level === "gpu" ? "GPU" : "node";
  const verdict = failing === 0 ? `survives every ${unit} loss${within}` : `does not survive ${failing} of ${losses.length} ${unit} losses${within}`;
  const head = `failover (${level}): ${verdict} · worst max KVPR after a loss ${formatKvpr((losses[worst] as FailoverLoss).maxKvpr)}`;
  const names = losses.map((loss) => `lose ${printableName(loss.lost)}${level === "node" ? ` (${count(loss.gpus.length, "GPU")})` : ""}`);
  const nameWidth = Math.max(...names.map((n) => n.length));
  const lines = losses.map((loss, k) => {
    const name = (names[k] as string).padEnd(nameWidth);
    const mark = k === worst ? "  ◀ worst" : "";
    // No re-placement at all: its max KVPR is Infinity, and its moves are the lost models that found room.
    if (!Number.isFinite(loss.maxKvpr)) {
      const lost = loss.gpus.reduce((n, j) => n + (gpus[j]?.models.length ?? 0), 0);
      return `  ${name}  does not survive: ${loss.moves.length} of ${count(lost, "lost model")} re-placed${mark}`;
    }
    const moved = `${count(loss.moves.length, "model")} ${loss.moves.length === 1 ? "moves" : "move"}`;
    // A re-placement above failoverKvpr does not count as surviving.
    const over = loss.survives ? "" : ` · above ${formatKvpr(cap as number)}: does not survive`;
    return `  ${name}  max KVPR ${formatKvpr(loss.maxKvpr)} · ${moved}${over}${mark}`;
  });
  return [head, ...lines];
}
