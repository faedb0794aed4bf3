// Command-line options: util.parseArgs for the splitting, our own checks for clear messages.
import { parseArgs } from "node:util";
import type { Engine, SolveOptions } from "../types.js";
import { UsageError } from "./failure.js";

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;
export type Values = Record<string, string | true | undefined>;
export type Parsed = { positionals: string[]; values: Values };

const EXACT_VALUES = ["true", "false", "auto"];

/**
 * Non-strict parseArgs, checked here: its strict errors explain positional
 * arguments that start with a dash, which is not what went wrong here.
 */
export function parseCommandLine(args: readonly string[], spec: OptionSpec): Parsed {
  const { tokens } = parseArgs({ args: bareExact(args, spec), options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: Values = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const option = spec[token.name];
    if (option === undefined) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      values[token.name] = true;
    } else {
      // Without "=", parseArgs takes the next argument even when it is the next option.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) throw new UsageError(`${token.rawName} needs a value`);
      values[token.name] = token.value;
    }
  }
  return { positionals, values };
}

/** A bare `--exact` means `--exact=true`: without this, parseArgs would take the file after it as its value. */
function bareExact(args: readonly string[], spec: OptionSpec): string[] {
  if (spec["exact"] === undefined) return [...args];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    if (arg === "--exact" && !EXACT_VALUES.includes(args[i + 1] ?? "")) out.push("--exact=true");
    else out.push(arg);
  }
  return out;
}

// Number("") is 0 and Number("0x10") is 16: neither is a number a person means.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function number(values: Values, name: string, what: string, ok: (x: number) => boolean): number | undefined {
  const text = values[name];
  if (text === undefined || text === true) return undefined;
  const x = Number(text);
  if (!DECIMAL.test(text.trim()) || !Number.isFinite(x) || !ok(x)) {
    throw new UsageError(`--${name} needs ${what}, got "${text}"`);
  }
  return x;
}

export const positive = (values: Values, name: string) => number(values, name, "a positive number", (x) => x > 0);
export const whole = (values: Values, name: string, min: number) =>
  number(values, name, `a whole number >= ${min}`, (x) => Number.isInteger(x) && x >= min);
export const integer = (values: Values, name: string) => number(values, name, "an integer", Number.isInteger);

export function choice<T extends string>(values: Values, name: string, choices: readonly T[]): T | undefined {
  const text = values[name];
  if (text === undefined || text === true) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`--${name} is one of ${choices.join(", ")}, got "${text}"`);
  return text as T;
}

/** The options `solve` and `plan` share, as the solver takes them. */
export const SOLVER_OPTIONS: OptionSpec = {
  "time-limit": { type: "string" },
  exact: { type: "string" },
  "max-nodes": { type: "string" },
  engine: { type: "string" },
  seed: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

export function solveOptions(values: Values): SolveOptions {
  const options: SolveOptions = {};
  const timeLimitMs = positive(values, "time-limit");
  if (timeLimitMs !== undefined) options.timeLimitMs = timeLimitMs;
  const exact = choice(values, "exact", ["true", "false", "auto"] as const);
  if (exact !== undefined) options.exact = exact === "auto" ? "auto" : exact === "true";
  const maxNodes = whole(values, "max-nodes", 1);
  if (maxNodes !== undefined) options.maxNodes = maxNodes;
  const engine = choice<Engine>(values, "engine", ["wasm", "ts"]);
  if (engine !== undefined) options.engine = engine;
  const seed = integer(values, "seed");
  if (seed !== undefined) options.seed = seed;
  return options;
}

/** The single file argument of `solve` and `plan`. */
export function fileArgument(positionals: readonly string[]): string {
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError("missing the problem file (JSON or CSV; - reads standard input)");
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}": give one problem file`);
  return file;
}
