// "Plan a pool": the cheapest pool of several GPU types that keeps every KVPR at or below a target,
// for the models of the form, planned in the page's worker.
import { PlacementError, type GpuType, type Model, type PoolPlan, type Scenario, type SolveOptions, type WorkerSolver } from "kvplace/worker";
import { byId, el } from "./dom.js";
import { formatKvpr } from "./format.js";

/** The table the page starts with: common GPUs at prices roughly in proportion to what they hold. */
const STARTING_TYPES: readonly GpuType[] = [
  { name: "L4-24", memGB: 24, cost: 0.8 },
  { name: "L40S-48", memGB: 48, cost: 1.9 },
  { name: "H100-80", memGB: 80, cost: 3.3 },
  { name: "H200-141", memGB: 141, cost: 5.5 },
];

const FIELDS = [
  { key: "name", label: "name", kind: "text" },
  { key: "memGB", label: "memory (GB)", kind: "number" },
  { key: "cost", label: "cost per GPU", kind: "number" },
  { key: "available", label: "available", kind: "number" },
  { key: "owned", label: "owned", kind: "number" },
] as const;

export type PoolModeHooks = {
  solver: Promise<WorkerSolver>;
  /** The models in the form and their demand scenarios, if any (throws, with a message for the page, when they cannot be read). */
  input(): { models: Model[]; scenarios?: Scenario[] };
  /** The solver options in the form: the time limit is the whole plan's. */
  options(): SolveOptions;
};

const cost = (x: number) => String(Number(x.toPrecision(6)));

export function setupPoolMode(hooks: PoolModeHooks): void {
  const ui = {
    section: byId("pool", HTMLElement),
    rows: byId("pool-types", HTMLTableSectionElement),
    add: byId("pool-add", HTMLButtonElement),
    target: byId("pool-target", HTMLInputElement),
    plan: byId("pool-plan", HTMLButtonElement),
    status: byId("pool-status", HTMLElement),
    error: byId("pool-error", HTMLElement),
    answer: byId("pool-answer", HTMLElement),
  };
  let rowsMade = 0;

  const addRow = (type: Partial<GpuType>): HTMLTableRowElement => {
    const row = el("tr");
    const k = ++rowsMade;
    for (const field of FIELDS) {
      const input = el("input");
      input.type = field.kind;
      input.name = field.key;
      if (field.kind === "number") {
        input.min = "0";
        input.step = "any";
        input.inputMode = "decimal";
      }
      input.value = type[field.key] === undefined ? "" : String(type[field.key]);
      input.setAttribute("aria-label", `${field.label} of GPU type ${k}`);
      const cell = el("td");
      cell.append(input);
      row.append(cell);
    }
    const remove = el("button", "", "Remove");
    remove.type = "button";
    remove.setAttribute("aria-label", `Remove GPU type ${k}`);
    remove.addEventListener("click", () => row.remove());
    const cell = el("td");
    cell.append(remove);
    row.append(cell);
    ui.rows.append(row);
    return row;
  };

  /** The types as typed; empty cells leave a field out, and the library names any bad value by the type's row. */
  const readTypes = (): GpuType[] =>
    [...ui.rows.rows].map((row) => {
      const value = (key: string) => (row.querySelector<HTMLInputElement>(`input[name="${key}"]`)?.value ?? "").trim();
      const type: GpuType = { name: value("name"), memGB: Number(value("memGB")), cost: Number(value("cost")) };
      if (value("available") !== "") type.available = Number(value("available"));
      if (value("owned") !== "") type.owned = Number(value("owned"));
      return type;
    });

  const show = (models: readonly Model[], scenarios: number, gpuTypes: readonly GpuType[], targetKvpr: number, plan: PoolPlan): void => {
    const mix = gpuTypes.filter((t) => (plan.counts[t.name] ?? 0) > 0).map((t) => `${plan.counts[t.name]} × ${t.name}`);
    const table = el("table", "pool-table");
    const head = el("tr");
    for (const h of ["type", "GPUs", "owned", "bought", "cost"]) head.append(el("th", "", h));
    table.append(head);
    for (const t of gpuTypes) {
      const count = plan.counts[t.name] ?? 0;
      const owned = Math.min(count, t.owned ?? 0);
      const row = el("tr");
      row.dataset["type"] = t.name;
      for (const text of [t.name, String(count), String(owned), String(count - owned), cost(t.cost * (count - owned))]) row.append(el("td", "", text));
      table.append(row);
    }
    const proof = plan.optimal
      ? `Cost ${cost(plan.cost)}: proven the cheapest.`
      : `Cost ${cost(plan.cost)}; no pool that meets the target costs less than ${cost(plan.lowerBound)} (proven).`;
    const placement = el("ol", "pool-gpus");
    for (const gpu of plan.solution.gpus) {
      const names = gpu.models.map((i) => models[i]?.id ?? `#${i}`);
      placement.append(el("li", "", `${gpu.id} · KVPR ${formatKvpr(gpu.kvpr)} · ${names.join(", ") || "empty"}`));
    }
    const every = scenarios > 0 ? ` in every one of ${scenarios} demand scenarios` : "";
    const headline = el("p", "pool-headline", `A pool of ${mix.join(" + ")} keeps every KVPR at or below ${formatKvpr(targetKvpr)}${every}.`);
    const result = el("p", "pool-result");
    result.append(el("span", plan.optimal ? "proof proven" : "proof open", proof));
    result.dataset["cost"] = String(plan.cost);
    result.dataset["lowerBound"] = String(plan.lowerBound);
    ui.answer.replaceChildren(headline, table, result, placement);
  };

  let run = 0;
  const plan = async (): Promise<void> => {
    const mine = ++run;
    ui.error.hidden = true;
    ui.section.dataset["state"] = "planning";
    ui.status.textContent = "Planning…";
    try {
      const targetKvpr = Number(ui.target.value);
      if (ui.target.value.trim() === "" || !(targetKvpr > 0)) throw new Error("The target KVPR must be a positive number.");
      const gpuTypes = readTypes();
      const { models, scenarios } = hooks.input();
      const request = scenarios === undefined ? { models, gpuTypes, targetKvpr } : { models, gpuTypes, targetKvpr, scenarios };
      const result = await (await hooks.solver).planPool(request, hooks.options());
      if (mine !== run) return;
      show(models, scenarios?.length ?? 0, gpuTypes, targetKvpr, result);
      ui.section.dataset["state"] = "done";
      ui.status.textContent = `Planned a pool for ${models.length} models.`;
    } catch (e) {
      if (mine !== run) return;
      ui.answer.replaceChildren();
      ui.section.dataset["state"] = "error";
      ui.status.textContent = "";
      const text = e instanceof PlacementError ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e);
      ui.error.textContent = text.charAt(0).toUpperCase() + text.slice(1);
      ui.error.hidden = false;
    }
  };

  STARTING_TYPES.forEach(addRow);
  ui.add.addEventListener("click", () => addRow({}).querySelector("input")?.focus());
  ui.plan.addEventListener("click", () => void plan());
}
