import { PlacementError } from "../errors.js";
import type { GpuType } from "../planning/gpu-types.js";
import type { Model } from "../types.js";

/** What one kind of table holds: its columns, which the header must have, which are numbers. */
type Schema = {
  columns: readonly string[];
  required: readonly string[];
  numeric: ReadonlySet<string>;
  /** Numeric columns that hold whole numbers >= 0, and what such a number is. */
  whole: ReadonlySet<string>;
  wholeWhat: string;
  /** Where a data row's index goes on an error: a model's, or a GPU type's. */
  rowIs: "model" | "gpu";
};

const MODELS: Schema = {
  columns: ["id", "sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu", "group", "moveCost"],
  // id is optional, as in JSON: a model without one is named by its index.
  required: ["sizeGB", "reqRate", "slo"],
  numeric: new Set(["sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu", "moveCost"]),
  whole: new Set(["currentGpu", "pinnedGpu"]),
  wholeWhat: "a GPU index",
  rowIs: "model",
};

const GPU_TYPES: Schema = {
  columns: ["name", "memGB", "cost", "available", "owned"],
  required: ["name", "memGB", "cost"],
  numeric: new Set(["memGB", "cost", "available", "owned"]),
  whole: new Set(["available", "owned"]),
  wholeWhat: "a whole number",
  rowIs: "gpu",
};

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
 * and optionally `id,currentGpu,pinnedGpu,group,moveCost`, in any order. An empty cell
 * leaves the field out. Quoted cells may hold commas, quotes ("") and line
 * breaks; lines end with LF, CRLF or CR. Every error is a PlacementError
 * "INVALID_CSV" that names the line; errors about a data row also carry its
 * index as `model`.
 */
export function parseModelsCsv(text: string, options: CsvOptions = {}): Model[] {
  return parseTable(text, MODELS, options) as Model[];
}

/**
 * Reads GPU types for `planPool` from CSV, as `parseModelsCsv` reads models:
 * the columns `name,memGB,cost` and optionally `available,owned`; errors
 * about a data row carry its index as `gpu`.
 */
export function parseGpuTypesCsv(text: string, options: CsvOptions = {}): GpuType[] {
  return parseTable(text, GPU_TYPES, options) as GpuType[];
}

function parseTable(text: string, schema: Schema, options: CsvOptions): Record<string, string | number>[] {
  if (typeof text !== "string") throw new PlacementError("INVALID_CSV", "the CSV must be a string");
  const rows = splitRows(text.startsWith("\uFEFF") ? text.slice(1) : text);
  const header = rows.shift();
  if (header === undefined) throw new PlacementError("INVALID_CSV", `line 1: expected a header row naming at least ${schema.required.join(",")}`);
  const columns = readHeader(header, schema, options.onWarning);
  return rows.map((row, i) => readRow(row, columns, i, schema));
}

/** The column of each cell, undefined for an unknown column that is ignored. */
function readHeader(header: Row, schema: Schema, onWarning: CsvOptions["onWarning"]): (string | undefined)[] {
  const byLowerName = new Map(schema.columns.map((c) => [c.toLowerCase(), c] as const));
  const seen = new Set<string>();
  const unknown: string[] = [];
  const columns = header.cells.map((raw) => {
    const name = raw.trim();
    const column = byLowerName.get(name.toLowerCase());
    if (column === undefined) {
      unknown.push(JSON.stringify(name));
      return undefined;
    }
    if (seen.has(column)) throw new PlacementError("INVALID_CSV", `line ${header.line}: the column ${column} appears twice`);
    seen.add(column);
    return column;
  });
  const missing = schema.required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new PlacementError("INVALID_CSV", `line ${header.line}: the header lacks ${missing.join(", ")} (it needs ${schema.required.join(",")})`);
  }
  // After the check above, so a file that is no model list at all gets one error and no warning.
  if (unknown.length > 0) {
    const which = `${unknown.length === 1 ? "column" : "columns"} ${unknown.join(", ")}`;
    if (onWarning === undefined) throw new PlacementError("INVALID_CSV", `line ${header.line}: unknown ${which}; the columns are ${schema.columns.join(", ")}`);
    onWarning(`line ${header.line}: ignoring the unknown ${which}; kvplace reads ${schema.columns.join(", ")}`);
  }
  return columns;
}

function readRow(row: Row, columns: (string | undefined)[], index: number, schema: Schema): Record<string, string | number> {
  const fail = (what: string): never => {
    throw new PlacementError("INVALID_CSV", `line ${row.line}: ${what}`, { [schema.rowIs]: index });
  };
  if (row.cells.length !== columns.length) {
    fail(`expected ${columns.length} cells like the header, found ${row.cells.length}`);
  }
  const fields: Record<string, string | number> = {};
  columns.forEach((column, k) => {
    const cell = (row.cells[k] as string).trim();
    if (column === undefined || cell === "") return;
    if (!schema.numeric.has(column)) {
      fields[column] = cell;
      return;
    }
    const value = Number(cell);
    // Number("") and Number("0x10") would pass a bare isFinite; a person typed a decimal.
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) || !Number.isFinite(value)) {
      fail(`${column} is "${cell}", not a number`);
    }
    if (schema.whole.has(column) && !(Number.isInteger(value) && value >= 0)) fail(`${column} is ${cell}, not ${schema.wholeWhat}`);
    fields[column] = value;
  });
  for (const column of schema.required) {
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
