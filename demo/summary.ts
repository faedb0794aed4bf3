// The headline numbers: max KVPR, the bound it is measured against, and whether it is proven.
import type { Solution } from "kvplace";
import { byId } from "./dom.js";
import { formatGap, formatKvpr, formatMs } from "./format.js";

export function renderSummary(solution: Solution): void {
  const max = byId("max-kvpr", HTMLElement);
  max.textContent = formatKvpr(solution.maxKvpr);
  // The exact value, for anyone (or any test) comparing with the library's result.
  max.dataset["value"] = String(solution.maxKvpr);
  max.title = String(solution.maxKvpr);
  byId("lower-bound", HTMLElement).textContent = formatKvpr(solution.lowerBound);
  byId("gap", HTMLElement).textContent = formatGap(solution.gap);
  const gpu = solution.gpus[solution.bottleneck];
  byId("bottleneck", HTMLElement).textContent = solution.maxKvpr > 0 && gpu !== undefined ? gpu.id : "none";
  const proof = byId("proof", HTMLElement);
  proof.textContent = solution.optimal ? "Proven optimal" : "Not proven optimal";
  proof.className = solution.optimal ? "proof proven" : "proof open";
  const nodes = typeof solution.stats["nodes"] === "number" && solution.stats["nodes"] > 0 ? `, ${solution.stats["nodes"]} search nodes` : "";
  byId("stats", HTMLElement).textContent = `${solution.stats.engine === "wasm" ? "WebAssembly" : "TypeScript"} engine, ${formatMs(solution.stats.ms)}${nodes}`;
}
