// The failover report: for each GPU or node that may be lost, the max KVPR once its models are re-placed on
// the others, the worst loss highlighted; shown when the user asks for a placement that survives a loss.
import type { FailoverLoss } from "kvplace";
import { byId, el } from "./dom.js";
import { formatCount, formatKvpr } from "./format.js";

export type FailoverLevel = "gpu" | "node";

/** Index of the loss with the largest max KVPR after it (one without re-placement is at Infinity), -1 with none. */
const worstLoss = (losses: readonly FailoverLoss[]): number =>
  losses.reduce((worst, loss, k) => (worst < 0 || loss.maxKvpr > (losses[worst] as FailoverLoss).maxKvpr ? k : worst), -1);

/** Draws the report of `losses` at `level`; hides the section without a level. */
export function showFailover(level: FailoverLevel | undefined, losses: readonly FailoverLoss[] | undefined): void {
  const section = byId("failover", HTMLElement);
  section.hidden = level === undefined;
  const list = byId("failover-losses", HTMLOListElement);
  const note = byId("failover-note", HTMLElement);
  if (level === undefined || losses === undefined) {
    list.replaceChildren();
    note.textContent = "";
    return;
  }
  const unit = level === "gpu" ? "GPU" : "node";
  const worst = worstLoss(losses);
  const failing = losses.filter((l) => !l.survives).length;
  const worstLine = worst < 0 ? "" : ` The worst loss leaves a max KVPR of ${formatKvpr((losses[worst] as FailoverLoss).maxKvpr)}.`;
  note.textContent =
    failing === 0 ? `Survives the loss of any one ${unit}.${worstLine}` : `Does not survive ${failing} of ${losses.length} ${unit} losses.${worstLine}`;
  list.replaceChildren(
    ...losses.map((loss, k) => {
      const item = el("li", k === worst ? "loss worst" : "loss");
      item.dataset["lost"] = loss.lost;
      const gpus = level === "node" ? ` (${formatCount(loss.gpus.length, "GPU")})` : "";
      item.append(el("span", "loss-name", `${loss.lost}${gpus}`));
      const after = loss.survives
        ? `max KVPR ${formatKvpr(loss.maxKvpr)}, ${formatCount(loss.moves.length, "model")} ${loss.moves.length === 1 ? "moves" : "move"}`
        : "does not survive: its models find no room";
      item.append(el("span", loss.survives ? "loss-after" : "loss-after fails", after));
      if (k === worst) item.append(el("span", "badge", "worst"));
      return item;
    }),
  );
}
