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

/** "model 3 needs…" becomes `model 3 ("llama-70b") needs…`; a message that names it otherwise gets the id appended. */
function nameIndex(message: string, noun: string, index: number, id: string): string {
  const quoted = JSON.stringify(id);
  // The library names a model by its id too where it can: that needs nothing added.
  if (message.includes(`${noun} ${index} (${quoted})`)) return message;
  const mention = new RegExp(`\\b${noun} ${index}(?![\\d.])`);
  if (mention.test(message)) return message.replace(mention, `${noun} ${index} (${quoted})`);
  return `${message} (${noun} ${index} is ${quoted})`;
}

/**
 * Library messages are one line, but ids and file contents quoted in them need
 * not be, and a control character from a binary file could drive the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/[\u0000-\u001f\u007f-\u009f]/g, "\uFFFD");
}
