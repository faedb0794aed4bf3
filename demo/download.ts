// Saves the last solve as a JSON file: the problem, the options and the solution, enough to reproduce it.
import type { Problem, Solution, SolveOptions } from "kvplace";

export type SolveRecord = { problem: Problem; options: SolveOptions; solution: Solution };

export function downloadJson(record: SolveRecord, filename = "kvplace-solution.json"): void {
  // Infinity (a gap over a zero bound) has no JSON form; a string keeps it from turning into null.
  const text = JSON.stringify(record, (_, v: unknown) => (v === Infinity ? "Infinity" : v), 2);
  const url = URL.createObjectURL(new Blob([`${text}\n`], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on a later turn: some browsers start the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
