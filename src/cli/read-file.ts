// Files named on the command line: read whole, or standard input for "-".
import { readFileSync } from "node:fs";
import { InputError, oneLine } from "./failure.js";

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory",
};

/** How a file is named in messages. */
export const displayName = (file: string): string => (file === "-" ? "standard input" : file);

export function readText(file: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = (code !== undefined && REASONS[code]) || (e as Error).message;
    throw new InputError(`cannot read ${displayName(file)}: ${oneLine(reason)}`);
  }
}

/** JSON.parse, with an error naming the file and, when V8 gives the position, its line and column. */
export function parseJson(text: string, file: string): unknown {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new InputError(`${displayName(file)} is not valid JSON: ${jsonReason((e as Error).message, body)}`);
  }
}

function jsonReason(message: string, text: string): string {
  // V8 quotes the offending text after the reason, line breaks and all: keep only the reason.
  const reason = message.replace(/, ".*$/s, "").replace(/ is not valid JSON$/, "");
  const at = / in JSON at position (\d+).*$/s.exec(reason);
  const plain = at === null ? reason : reason.slice(0, at.index);
  const lowered = plain.charAt(0).toLowerCase() + plain.slice(1);
  if (at === null) return oneLine(lowered);
  const before = text.slice(0, Number(at[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return oneLine(`line ${line}, column ${column}: ${lowered}`);
}
