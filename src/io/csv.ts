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
  /** Required columns whose cells may still be empty. */
  blankable: ReadonlySet<string>;
  /** Where a data row's index goes on an error: a model's, or a GPU type's. */
  rowIs: "model" | "gpu";
};

const MODELS: Schema = {
  columns: ["id", "sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu", "group"],
  required: ["id", "sizeGB", "reqRate", "slo"],
  numeric: new Set(["sizeGB", "reqRate", "slo", "currentGpu", "pinnedGpu"]),
  whole: new Set(["currentGpu", "pinnedGpu"]),
  wholeWhat: "a GPU index",
  blankable: new Set(["id"]),
  rowIs: "model",
};

const GPU_TYPES: Schema = {
  columns: ["name", "memGB", "cost", "available", "owned"],
  required: ["name", "memGB", "cost"],
  numeric: new Set(["memGB", "cost", "available", "owned"]),
  whole: new Set(["available", "owned"]),
  wholeWhat: "a whole number",
  blankable: new Set(),
  rowIs: "gpu",
};

/** One record with the line it starts on, so errors can point into the file a person edits. */
type Row = { line: number; cells: string[] };

/**
 * Reads models from CSV: a header row naming the columns `id,sizeGB,reqRate,slo`
 * and optionally `currentGpu,pinnedGpu,group`, in any order. An empty cell
 * leaves the field out. Quoted cells may hold commas,
 * quotes ("") and line breaks. Every error is a PlacementError "INVALID_CSV" that
 * names the line; errors about a data row also carry its index as `model`.
 */
export function parseModelsCsv(text: string): Model[] {
  return parseTable(text, MODELS) as Model[];
}

/**
 * Reads GPU types for `planPool` from CSV, as `parseModelsCsv` reads models:
 * the columns `name,memGB,cost` and optionally `available,owned`; errors
 * about a data row carry its index as `gpu`.
 */
export function parseGpuTypesCsv(text: string): GpuType[] {
  return parseTable(text, GPU_TYPES) as GpuType[];
}

function parseTable(text: string, schema: Schema): Record<string, string | number>[] {
  if (typeof text !== "string") throw new PlacementError("INVALID_CSV", "the CSV must be a string");
  const rows = splitRows(text.startsWith("\uFEFF") ? text.slice(1) : text);
  const header = rows.shift();
  if (header === undefined) throw new PlacementError("INVALID_CSV", `line 1: expected a header row: ${schema.required.join(",")}`);
  const columns = readHeader(header, schema);
  return rows.map((row, i) => readRow(row, columns, i, schema));
}

function readHeader(header: Row, schema: Schema): string[] {
  const byLowerName = new Map(schema.columns.map((c) => [c.toLowerCase(), c] as const));
  const seen = new Set<string>();
  const columns = header.cells.map((raw) => {
    const name = raw.trim();
    const column = byLowerName.get(name.toLowerCase());
    if (column === undefined) {
      throw new PlacementError("INVALID_CSV", `line ${header.line}: unknown column "${name}"; the columns are ${schema.columns.join(", ")}`);
    }
    if (seen.has(column)) throw new PlacementError("INVALID_CSV", `line ${header.line}: the column ${column} appears twice`);
    seen.add(column);
    return column;
  });
  const missing = schema.required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new PlacementError("INVALID_CSV", `line ${header.line}: the header lacks ${missing.join(", ")} (it needs ${schema.required.join(",")})`);
  }
  return columns;
}

function readRow(row: Row, columns: string[], index: number, schema: Schema): Record<string, string | number> {
  const fail = (what: string): never => {
    throw new PlacementError("INVALID_CSV", `line ${row.line}: ${what}`, { [schema.rowIs]: index });
  };
  if (row.cells.length !== columns.length) {
    fail(`expected ${columns.length} cells like the header, found ${row.cells.length}`);
  }
  const fields: Record<string, string | number> = {};
  columns.forEach((column, k) => {
    const cell = (row.cells[k] as string).trim();
    if (cell === "") return;
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
    if (!schema.blankable.has(column) && fields[column] === undefined) fail(`${column} is empty`);
  }
  return fields;
}

/**
 * Splits text into records of cells (RFC 4180 quoting, LF or CRLF), skipping
 * blank lines. A quoted cell keeps its line breaks, so a record can span lines.
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
      if (c === undefined || c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
        cells.push(cell);
        i += c === undefined ? 0 : c === "\n" ? 1 : 2;
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
        line += body.split("\n").length - 1;
        cell = body.replaceAll('""', '"');
        blank = false;
        i = end + 1;
        while (text[i] === " " || text[i] === "\t") i++;
        const next = text[i];
        if (next !== undefined && next !== "," && next !== "\n" && !(next === "\r" && text[i + 1] === "\n")) {
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
