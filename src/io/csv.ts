import { PlacementError } from "../errors.js";
import type { Model, Scenario } from "../types.js";

type Column = "id" | "sizeGB" | "reqRate" | "slo" | "currentGpu" | "pinnedGpu" | "group";

const COLUMNS: readonly Column[] = ["id", "sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu", "group"];
// id is optional, as in JSON: a model without one is named by its index.
const REQUIRED: readonly Column[] = ["sizeGB", "reqRate", "slo"];
const NUMERIC = new Set<Column>(["sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu"]);
const GPU_INDEX = new Set<Column>(["currentGpu", "pinnedGpu"]);
/** A column `reqRate:<id>` holds scenario `<id>`'s request rates. */
const SCENARIO_PREFIX = "reqrate:";
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What a header cell names: a model field, a scenario (by index), or nothing kvplace reads. */
type Cell = { column: Column } | { scenario: number } | undefined;
type Header = { cells: Cell[]; scenarioIds: string[] };

/** One record with the line it starts on, so errors can point into the file a person edits. */
type Row = { line: number; cells: string[] };

export type CsvOptions = {
  /**
   * Told, once, of the columns a CSV has beyond kvplace's, which are then
   * ignored (spreadsheet exports carry such columns). Without it an unknown
   * column is an error: a misspelt `pinned_gpu` dropped in silence would
   * yield a placement that ignores the pins.
   */
  onWarning?: (message: string) => void;
};

/**
 * Reads models from CSV: a header row naming the columns `sizeGB,reqRate,slo`
 * and optionally `id,currentGpu,pinnedGpu,group`, in any order. An empty cell
 * leaves the field out. Quoted cells may hold commas, quotes ("") and line
 * breaks; lines end with LF, CRLF or CR. Every error is a PlacementError
 * "INVALID_CSV" that names the line; errors about a data row also carry its
 * index as `model`. A CSV of demand scenarios (`reqRate:<id>` columns) is
 * refused here, since models alone would drop them: read it with parseProblemCsv.
 */
export function parseModelsCsv(text: string, options: CsvOptions = {}): Model[] {
  const { models, scenarios } = parseProblemCsv(text, options);
  if (scenarios !== undefined) {
    const columns = scenarios.map((s) => `reqRate:${s.id as string}`).join(", ");
    throw new PlacementError(
      "INVALID_CSV",
      `line 1: the columns ${columns} are demand scenarios, which a list of models cannot hold: read the file with parseProblemCsv`,
    );
  }
  return models;
}

/**
 * Reads models, and demand scenarios, from CSV: as parseModelsCsv, and each
 * column `reqRate:<id>` (e.g. `reqRate:peak,reqRate:night`) is the scenario
 * `<id>`, its cells the models' request rates in it, none of them empty.
 * With such columns the plain `reqRate` column may be left out (it is not
 * used: see `Problem.scenarios`).
 */
export function parseProblemCsv(text: string, options: CsvOptions = {}): { models: Model[]; scenarios?: Scenario[] } {
  if (typeof text !== "string") throw new PlacementError("INVALID_CSV", "the CSV must be a string");
  const rows = splitRows(text.startsWith("\uFEFF") ? text.slice(1) : text);
  const header = rows.shift();
  if (header === undefined) throw new PlacementError("INVALID_CSV", `line 1: expected a header row naming at least ${REQUIRED.join(",")}`);
  const columns = readHeader(header, options.onWarning);
  const scenarios = columns.scenarioIds.map((id): Scenario & { reqRate: number[] } => ({ id, reqRate: [] }));
  const models = rows.map((row, i) => readModel(row, columns, i, scenarios));
  return scenarios.length === 0 ? { models } : { models, scenarios };
}

/** What each cell of the header names; unknown columns, which are ignored, name nothing. */
function readHeader(header: Row, onWarning: CsvOptions["onWarning"]): Header {
  const byLowerName = new Map(COLUMNS.map((c) => [c.toLowerCase(), c] as const));
  const seen = new Set<Column>();
  const unknown: string[] = [];
  const scenarioIds: string[] = [];
  const cells = header.cells.map((raw): Cell => {
    const name = raw.trim();
    if (name.toLowerCase().startsWith(SCENARIO_PREFIX)) {
      const id = name.slice(SCENARIO_PREFIX.length).trim();
      if (id === "") throw new PlacementError("INVALID_CSV", `line ${header.line}: the column ${JSON.stringify(name)} names no scenario (write reqRate:<id>)`);
      if (scenarioIds.includes(id)) throw new PlacementError("INVALID_CSV", `line ${header.line}: the scenario column reqRate:${id} appears twice`);
      scenarioIds.push(id);
      return { scenario: scenarioIds.length - 1 };
    }
    const column = byLowerName.get(name.toLowerCase());
    if (column === undefined) {
      unknown.push(JSON.stringify(name));
      return undefined;
    }
    if (seen.has(column)) throw new PlacementError("INVALID_CSV", `line ${header.line}: the column ${column} appears twice`);
    seen.add(column);
    return { column };
  });
  const required = scenarioIds.length > 0 ? REQUIRED.filter((c) => c !== "reqRate") : REQUIRED;
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new PlacementError("INVALID_CSV", `line ${header.line}: the header lacks ${missing.join(", ")} (it needs ${required.join(",")})`);
  }
  // After the check above, so a file that is no model list at all gets one error and no warning.
  if (unknown.length > 0) {
    const which = `${unknown.length === 1 ? "column" : "columns"} ${unknown.join(", ")}`;
    if (onWarning === undefined) throw new PlacementError("INVALID_CSV", `line ${header.line}: unknown ${which}; the columns are ${COLUMNS.join(", ")}`);
    onWarning(`line ${header.line}: ignoring the unknown ${which}; kvplace reads ${COLUMNS.join(", ")}`);
  }
  return { cells, scenarioIds };
}

/** A model from a data row; its rates in each scenario go onto `scenarios`. */
function readModel(row: Row, { cells: columns, scenarioIds }: Header, index: number, scenarios: { reqRate: number[] }[]): Model {
  const fail = (what: string): never => {
    throw new PlacementError("INVALID_CSV", `line ${row.line}: ${what}`, { model: index });
  };
  if (row.cells.length !== columns.length) {
    fail(`expected ${columns.length} cells like the header, found ${row.cells.length}`);
  }
  const fields: Record<string, string | number> = {};
  // Number("") and Number("0x10") would pass a bare isFinite; a person typed a decimal.
  const number = (name: string, cell: string): number => {
    const value = Number(cell);
    if (!NUMBER.test(cell) || !Number.isFinite(value)) fail(`${name} is "${cell}", not a number`);
    return value;
  };
  columns.forEach((what, k) => {
    const cell = (row.cells[k] as string).trim();
    if (what === undefined) return;
    if ("scenario" in what) {
      const name = `reqRate:${scenarioIds[what.scenario] as string}`;
      if (cell === "") fail(`${name} is empty (every model needs a rate in every scenario)`);
      (scenarios[what.scenario] as { reqRate: number[] }).reqRate.push(number(name, cell));
      return;
    }
    const { column } = what;
    if (cell === "") return;
    if (!NUMERIC.has(column)) {
      fields[column] = cell;
      return;
    }
    const value = number(column, cell);
    if (GPU_INDEX.has(column) && !(Number.isInteger(value) && value >= 0)) fail(`${column} is ${cell}, not a GPU index`);
    fields[column] = value;
  });
  for (const column of REQUIRED) {
    if (fields[column] === undefined && (column !== "reqRate" || scenarioIds.length === 0)) fail(`${column} is empty`);
  }
  return fields as Model;
}

/** The length of the line break at `i` (CRLF, LF, or a lone CR as old Mac files end lines), 0 if none. */
function lineBreak(text: string, i: number): number {
  if (text[i] === "\n") return 1;
  if (text[i] === "\r") return text[i + 1] === "\n" ? 2 : 1;
  return 0;
}

/**
 * Splits text into records of cells (RFC 4180 quoting), skipping blank lines.
 * A quoted cell keeps its line breaks, so a record can span lines.
 */
function splitRows(text: string): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let cell = "";
    let blank = true;
    for (;;) {
      const c = text[i];
      if (c === undefined || lineBreak(text, i) > 0) {
        cells.push(cell);
        i += lineBreak(text, i);
        line++;
        break;
      }
      if (c === ",") {
        cells.push(cell);
        cell = "";
        blank = false;
        i++;
      } else if (c === '"' && cell.trim() === "") {
        const end = quotedEnd(text, i + 1);
        if (end < 0) throw new PlacementError("INVALID_CSV", `line ${line}: a quoted cell is never closed`);
        const body = text.slice(i + 1, end);
        line += body.split(/\r\n|\r|\n/).length - 1;
        cell = body.replaceAll('""', '"');
        blank = false;
        i = end + 1;
        while (text[i] === " " || text[i] === "\t") i++;
        const next = text[i];
        if (next !== undefined && next !== "," && lineBreak(text, i) === 0) {
          throw new PlacementError("INVALID_CSV", `line ${line}: text after a closing quote`);
        }
      } else {
        if (c.trim() !== "") blank = false;
        cell += c;
        i++;
      }
    }
    if (!blank) rows.push({ line: start, cells });
  }
  return rows;
}

/** Index of the quote closing a quoted cell whose body starts at `from`, or -1. */
function quotedEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return -1;
    if (text[q + 1] !== '"') return q;
    i = q + 2;
  }
}
