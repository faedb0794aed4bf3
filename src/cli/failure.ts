// How the command line fails: one line on stderr and an exit status, never a stack trace.
import { PlacementError } from "../errors.js";
import type { Problem } from "../types.js";

/** Exit status 2: the command line itself is wrong; usage follows the message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Exit status 1: a file cannot be read or is not what it should be; the message names the file. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** A warning: the command goes on, so it is one line on stderr that the output on stdout does not carry. */
export function printWarning(message: string): void {
  process.stderr.write(`kvplace: warning: ${oneLine(message)}\n`);
}

export type Failure = { message: string; exitCode: 1 | 2; usage: boolean };

/**
 * The one line to print for an error. A PlacementError names models and GPUs
 * by index; people know them by id, so the id is added where the problem has one.
 */
export function describeFailure(error: unknown, problem?: Problem): Failure {
  if (error instanceof UsageError) return { message: oneLine(error.message), exitCode: 2, usage: true };
  if (error instanceof InputError) return { message: oneLine(error.message), exitCode: 1, usage: false };
  if (error instanceof PlacementError) return { message: oneLine(withIds(error, problem)), exitCode: 1, usage: false };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { message: `unexpected error: ${oneLine(message)}`, exitCode: 1, usage: false };
}

function withIds(error: PlacementError, problem: Problem | undefined): string {
  let message = error.message;
  const modelId = error.model === undefined ? undefined : idOf(problem?.models, error.model);
  if (error.model !== undefined && modelId !== undefined) message = nameIndex(message, "model", error.model, modelId);
  const gpuId = error.gpu === undefined || typeof problem?.gpus !== "object" ? undefined : idOf(problem.gpus, error.gpu);
  if (error.gpu !== undefined && gpuId !== undefined) message = nameIndex(message, "GPU", error.gpu, gpuId);
  return message;
}

function idOf(list: readonly unknown[] | undefined, index: number): string | undefined {
  const item: unknown = list?.[index];
  if (typeof item !== "object" || item === null) return undefined;
  const id = (item as { id?: unknown }).id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * "model 3 needs…" becomes `model 3 ("llama-70b") needs…`; a message that names it otherwise gets the id appended,
 * and one that names it with its id already (as the library's do) is left alone.
 */
function nameIndex(message: string, noun: string, index: number, id: string): string {
  const quotedId = quoted(id);
  // The library names models as JSON does; the terminal gets the stricter escaping of `quoted`.
  const labelled = `${noun} ${index} (${JSON.stringify(id)})`;
  if (message.includes(labelled)) return message.replaceAll(labelled, `${noun} ${index} (${quotedId})`);
  const mention = new RegExp(`\\b${noun} ${index}(?![\\d.])`);
  if (mention.test(message)) return message.replace(mention, `${noun} ${index} (${quotedId})`);
  return `${message} (${noun} ${index} is ${quotedId})`;
}

/**
 * Library messages are one line, but ids and file contents quoted in them need
 * not be, and a control character from a binary file could drive the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "\uFFFD");
}

/** What JSON.stringify leaves raw but a terminal acts on: DEL and C1 controls, line separators, direction marks. */
const RAW_IN_JSON = "\\u007f-\\u009f\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const ESCAPE_AFTER_JSON = new RegExp(`[${RAW_IN_JSON}]`, "g");
/** Besides those and C0 controls: a comma or quote, which would blur where one name in a list ends. */
const NEEDS_QUOTES = new RegExp(`[\\u0000-\\u001f,"${RAW_IN_JSON}]`);

/** A name from a file as a JSON string with every control and direction character escaped: one safe line. */
export function quoted(name: string): string {
  return JSON.stringify(name).replace(ESCAPE_AFTER_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A model or GPU id in a table: as it is, unless it could break the row, drive
 * the terminal, pass for two names in a comma-separated list, or vanish in
 * blanks; then quoted, as error lines always quote it.
 */
export function printableName(name: string): string {
  const plain = name !== "" && name.trim() === name && !NEEDS_QUOTES.test(name);
  return plain ? name : quoted(name);
}
