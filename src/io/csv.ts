import { PlacementError } from "../errors.js";
import type { GpuType } from "../planning/gpu-types.js";
import type { Gpu, Model, Scenario } from "../types.js";

/** What one kind of table holds: its columns, which the header must have, which are numbers. */
type Schema = {
  columns: readonly string[];
  required: readonly string[];
  numeric: ReadonlySet<string>;
  /** Numeric columns that hold whole numbers >= 0, and what such a number is. */
  whole?: ReadonlySet<string>;
  wholeWhat?: string;
  /** Text columns whose cell may list several names separated by `|` (a model in several groups). */
  lists?: ReadonlySet<string>;
  /** Where a data row's index goes on an error: a model's, or a GPU type's. */
  rowIs: "model" | "gpu";
  /**
   * A numeric column that may also come once per variant, as `<column>:<id>`
   * (a model's request rate per demand scenario): every variant cell must be
   * filled, and with variants the plain column may be left out.
   */
  variants?: string;
};

const MODELS: Schema = {
  columns: ["id", "sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu", "group", "colocate", "minKvGB", "moveCost"],
  // id is optional, as in JSON: a model without one is named by its index.
  required: ["sizeGB", "reqRate", "slo"],
  numeric: new Set(["sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu", "minKvGB", "moveCost"]),
  whole: new Set(["currentGpu", "pinnedGpu"]),
  wholeWhat: "a GPU index",
  // A shard belongs to its replica's tensor-parallel group and to the model's replica group: "tp-a|llama".
  lists: new Set(["group"]),
  rowIs: "model",
  // A column `reqRate:<id>` holds scenario `<id>`'s request rates.
  variants: "reqRate",
};

const GPU_TYPES: Schema = {
  columns: ["name", "memGB", "cost", "available", "owned"],
  required: ["name", "memGB", "cost"],
  numeric: new Set(["memGB", "cost", "available", "owned"]),
  whole: new Set(["available", "owned"]),
  wholeWhat: "a whole number",
  rowIs: "gpu",
};

const GPUS: Schema = {
  columns: ["id", "memGB", "node", "zone", "reserveGB"],
  // As in JSON, only the memory is needed: a GPU without a node is a node of its own.
  required: ["memGB"],
  numeric: new Set(["memGB", "reserveGB"]),
  rowIs: "gpu",
};

/** What separates the names of a list cell; a comma would split the cell itself. */
const LIST_SEPARATOR = "|";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One record with the line it starts on, so errors can point into the file a person edits. */
type Row = { line: number; cells: string[] };

/** What a header cell names: a column, a variant of the schema's `variants` column (by index), or nothing kvplace reads. */
type Cell = { column: string } | { variant: number } | undefined;
type Header = { cells: Cell[]; variantIds: string[] };
/** A cell's value: text, a number, or the names of a list cell. */
type Field = string | number | string[];
/** A table's rows, and each variant column's values in row order. */
type Table = { rows: Record<string, Field>[]; variants: { id: string; values: number[] }[] };

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
 * and optionally `id,currentGpu,pinnedGpu,group,colocate,minKvGB,moveCost`, in any
 * order. An empty cell leaves the field out. A `group` cell may name several
 * groups separated by `|` (`tp-a|llama`), read as a list; one name stays a string. Quoted cells may hold commas, quotes ("") and line
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
  const { rows, variants } = parseTable(text, MODELS, options);
  const models = rows as Model[];
  return variants.length === 0 ? { models } : { models, scenarios: variants.map(({ id, values }) => ({ id, reqRate: values })) };
}

/**
 * Reads GPU types for `planPool` from CSV, as `parseModelsCsv` reads models:
 * the columns `name,memGB,cost` and optionally `available,owned`; errors
 * about a data row carry its index as `gpu`.
 */
export function parseGpuTypesCsv(text: string, options: CsvOptions = {}): GpuType[] {
  return parseTable(text, GPU_TYPES, options).rows as GpuType[];
}

/**
 * Reads the GPUs of a pool from CSV, as `parseModelsCsv` reads models: the
 * column `memGB` and optionally `id,node,zone,reserveGB`, in any order; errors
 * about a data row carry its index as `gpu`. The solver checks the values
 * (sizes, a node in two zones).
 */
export function parseGpusCsv(text: string, options: CsvOptions = {}): Gpu[] {
  return parseTable(text, GPUS, options).rows as Gpu[];
}

function parseTable(text: string, schema: Schema, options: CsvOptions): Table {
  if (typeof text !== "string") throw new PlacementError("INVALID_CSV", "the CSV must be a string");
  const rows = splitRows(text.startsWith("\uFEFF") ? text.slice(1) : text);
  const header = rows.shift();
  if (header === undefined) throw new PlacementError("INVALID_CSV", `line 1: expected a header row naming at least ${schema.required.join(",")}`);
  const columns = readHeader(header, schema, options.onWarning);
  const variants = columns.variantIds.map((id) => ({ id, values: [] as number[] }));
  return { rows: rows.map((row, i) => readRow(row, columns, i, schema, variants)), variants };
}

/** The columns the header must have: with variants, the column they vary no longer. */
function requiredColumns(schema: Schema, variantIds: readonly string[]): readonly string[] {
  return variantIds.length > 0 ? schema.required.filter((c) => c !== schema.variants) : schema.required;
}

/** What each cell of the header names; unknown columns, which are ignored, name nothing. */
function readHeader(header: Row, schema: Schema, onWarning: CsvOptions["onWarning"]): Header {
  const byLowerName = new Map(schema.columns.map((c) => [c.toLowerCase(), c] as const));
  const prefix = schema.variants === undefined ? undefined : `${schema.variants.toLowerCase()}:`;
  const seen = new Set<string>();
  const unknown: string[] = [];
  const variantIds: string[] = [];
  const cells = header.cells.map((raw): Cell => {
    const name = raw.trim();
    if (prefix !== undefined && name.toLowerCase().startsWith(prefix)) {
      const id = name.slice(prefix.length).trim();
      const variants = schema.variants as string;
      if (id === "")
        throw new PlacementError("INVALID_CSV", `line ${header.line}: the column ${JSON.stringify(name)} names no scenario (write ${variants}:<id>)`);
      if (variantIds.includes(id)) throw new PlacementError("INVALID_CSV", `line ${header.line}: the scenario column ${variants}:${id} appears twice`);
      variantIds.push(id);
      return { variant: variantIds.length - 1 };
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
  const required = requiredColumns(schema, variantIds);
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new PlacementError("INVALID_CSV", `line ${header.line}: the header lacks ${missing.join(", ")} (it needs ${required.join(",")})`);
  }
  // After the check above, so a file that is no model list at all gets one error and no warning.
  if (unknown.length > 0) {
    const which = `${unknown.length === 1 ? "column" : "columns"} ${unknown.join(", ")}`;
    if (onWarning === undefined) throw new PlacementError("INVALID_CSV", `line ${header.line}: unknown ${which}; the columns are ${schema.columns.join(", ")}`);
    onWarning(`line ${header.line}: ignoring the unknown ${which}; kvplace reads ${schema.columns.join(", ")}`);
  }
  return { cells, variantIds };
}

/** A record from a data row; its values in each variant column go onto `variants`. */
function readRow(row: Row, { cells: columns, variantIds }: Header, index: number, schema: Schema, variants: Table["variants"]): Record<string, Field> {
  const fail = (what: string): never => {
    throw new PlacementError("INVALID_CSV", `line ${row.line}: ${what}`, { [schema.rowIs]: index });
  };
  if (row.cells.length !== columns.length) {
    fail(`expected ${columns.length} cells like the header, found ${row.cells.length}`);
  }
  const fields: Record<string, Field> = {};
  // Number("") and Number("0x10") would pass a bare isFinite; a person typed a decimal.
  const number = (name: string, cell: string): number => {
    const value = Number(cell);
    if (!NUMBER.test(cell) || !Number.isFinite(value)) fail(`${name} is "${cell}", not a number`);
    return value;
  };
  columns.forEach((what, k) => {
    const cell = (row.cells[k] as string).trim();
    if (what === undefined) return;
    if ("variant" in what) {
      const name = `${schema.variants as string}:${variantIds[what.variant] as string}`;
      if (cell === "") fail(`${name} is empty (every model needs a rate in every scenario)`);
      (variants[what.variant] as Table["variants"][number]).values.push(number(name, cell));
      return;
    }
    const { column } = what;
    if (cell === "") return;
    if (schema.lists?.has(column) === true && cell.includes(LIST_SEPARATOR)) {
      const names = cell.split(LIST_SEPARATOR).map((name) => name.trim());
      if (names.includes("")) fail(`${column} "${cell}" has an empty name (names are separated by "${LIST_SEPARATOR}")`);
      fields[column] = names;
      return;
    }
    if (!schema.numeric.has(column)) {
      fields[column] = cell;
      return;
    }
    const value = number(column, cell);
    if (schema.whole?.has(column) === true && !(Number.isInteger(value) && value >= 0)) fail(`${column} is ${cell}, not ${schema.wholeWhat as string}`);
    fields[column] = value;
  });
  for (const column of requiredColumns(schema, variantIds)) {
    if (fields[column] === undefined) fail(`${column} is empty`);
  }
  return fields;
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
