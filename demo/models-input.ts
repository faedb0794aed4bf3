// The models box takes CSV (with a header, reqRate:<id> columns for scenarios) or JSON: a list of models, or a
// problem { gpus?, gpuMemGB?, models, scenarios?, spread? }.
import { parseProblemCsv, type Gpu, type Model, type Problem, type Scenario } from "kvplace";

/** `warnings`: what was read past, such as the unknown columns of a spreadsheet export. */
export type ModelsInput = {
  models: Model[];
  scenarios?: Scenario[];
  gpus?: number | Gpu[];
  gpuMemGB?: number;
  spread?: Problem["spread"];
  warnings: string[];
};

/** Thrown for input the page itself rejects before the solver sees it. */
export class InputError extends Error {
  override name = "InputError";
}

export function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

export function parseModelsInput(text: string): ModelsInput {
  if (text.trim() === "") throw new InputError("Paste or upload some models first (CSV with a header row, or JSON).");
  if (!looksLikeJson(text)) {
    const warnings: string[] = [];
    const { models, scenarios } = parseProblemCsv(text, { onWarning: (m) => warnings.push(m) });
    return scenarios === undefined ? { models, warnings } : { models, scenarios, warnings };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`The JSON does not parse: ${(e as Error).message}`);
  }
  if (Array.isArray(data)) return { models: data as Model[], warnings: [] };
  const problem = data as Record<string, unknown>;
  if (!Array.isArray(problem["models"])) throw new InputError("The JSON must be a list of models or an object with a models list.");
  const input: ModelsInput = { models: problem["models"] as Model[], warnings: [] };
  if (problem["gpus"] !== undefined) input.gpus = problem["gpus"] as number | Gpu[];
  if (problem["gpuMemGB"] !== undefined) input.gpuMemGB = problem["gpuMemGB"] as number;
  if (problem["scenarios"] !== undefined && problem["scenarios"] !== null) input.scenarios = problem["scenarios"] as Scenario[];
  if (problem["spread"] !== undefined) input.spread = problem["spread"] as Problem["spread"];
  return input;
}

/** The GPUs a problem in the box gives, if it gives them (CSV and a bare list never do). */
export function gpusOf(input: ModelsInput): Pick<Problem, "gpus" | "gpuMemGB"> | undefined {
  if (input.gpus === undefined) return undefined;
  return input.gpuMemGB === undefined ? { gpus: input.gpus } : { gpus: input.gpus, gpuMemGB: input.gpuMemGB };
}

/** The models as CSV, the form the box shows examples in: one model per line is easy to read and edit. */
export function modelsToCsv(models: readonly Model[]): string {
  const cell = (v: string | number | undefined) => {
    if (v === undefined) return "";
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const withPins = models.some((m) => m.pinnedGpu !== undefined || m.currentGpu !== undefined);
  const header = withPins ? "id,sizeGB,reqRate,slo,currentGpu,pinnedGpu" : "id,sizeGB,reqRate,slo";
  const rows = models.map((m) => {
    const base = [cell(m.id), cell(m.sizeGB), cell(m.reqRate), cell(m.slo)];
    return (withPins ? [...base, cell(m.currentGpu), cell(m.pinnedGpu)] : base).join(",");
  });
  return `${[header, ...rows].join("\n")}\n`;
}
