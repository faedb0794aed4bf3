// Command-line options: util.parseArgs for the splitting, our own checks for clear messages.
import { parseArgs } from "node:util";
import type { Engine, SolveOptions } from "../types.js";
import { UsageError } from "./failure.js";

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;
export type Values = Record<string, string | true | undefined>;
/** `afterBareExact`: the arguments right after a bare `--exact`, read as positionals (see bareExact). */
export type Parsed = { positionals: string[]; values: Values; afterBareExact: string[] };

const EXACT_VALUES = ["true", "false", "auto"] as const;

/**
 * Non-strict parseArgs, checked here: its strict errors explain positional
 * arguments that start with a dash, which is not what went wrong here.
 */
export function parseCommandLine(args: readonly string[], spec: OptionSpec): Parsed {
  const { args: expanded, afterBareExact } = bareExact(args, spec);
  const { tokens } = parseArgs({ args: expanded, options: spec, strict: false, allowPositionals: true, tokens: true });
  const values: Values = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const option = spec[token.name];
    if (option === undefined) throw new UsageError(`unknown option ${token.rawName}`);
    // Keeping the last of two would ignore what the person typed first without a word.
    if (values[token.name] !== undefined) throw new UsageError(`--${token.name} is given twice: give it once`);
    if (option.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      values[token.name] = true;
    } else {
      // Without "=", parseArgs takes the next argument even when it is the next option.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) throw new UsageError(`${token.rawName} needs a value`);
      values[token.name] = token.value;
    }
  }
  return { positionals, values, afterBareExact };
}

/**
 * A bare `--exact` means `--exact=true`: without this, parseArgs would take the
 * file after it as its value. What follows it is noted, so that `--exact maybe`
 * can be told apart from a second file.
 */
function bareExact(args: readonly string[], spec: OptionSpec): { args: string[]; afterBareExact: string[] } {
  if (spec["exact"] === undefined) return { args: [...args], afterBareExact: [] };
  const out: string[] = [];
  const afterBareExact: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (arg === "--exact" && !(EXACT_VALUES as readonly string[]).includes(next ?? "")) {
      out.push("--exact=true");
      if (next !== undefined && !next.startsWith("-")) afterBareExact.push(next);
    } else {
      out.push(arg);
    }
  }
  return { args: out, afterBareExact };
}

// Number("") is 0 and Number("0x10") is 16: neither is a number a person means.
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

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
export const whole = (values: Values, name: string, min: number) => number(values, name, `a whole number >= ${min}`, (x) => Number.isInteger(x) && x >= min);
export const integer = (values: Values, name: string) => number(values, name, "an integer", Number.isInteger);
export const nonNegative = (values: Values, name: string) => number(values, name, "a number >= 0", (x) => x >= 0);
export const fraction = (values: Values, name: string) => number(values, name, "a fraction >= 0 and < 1", (x) => x >= 0 && x < 1);

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

/** The options `solve` and `frontier` share that say what the pool is: its GPUs and how groups spread over them. */
export const POOL_OPTIONS: OptionSpec = {
  gpus: { type: "string" },
  "gpu-mem": { type: "string" },
  "gpus-file": { type: "string" },
  spread: { type: "string" },
};

/** Asking for the failover report, in `solve` and `evaluate`. */
export const FAILOVER_OPTIONS: OptionSpec = {
  failover: { type: "string" },
  "failover-kvpr": { type: "string" },
};

export function failoverOptions(values: Values): Pick<SolveOptions, "failover" | "failoverKvpr"> {
  const failover = choice(values, "failover", ["gpu", "node"] as const);
  const failoverKvpr = positive(values, "failover-kvpr");
  if (failoverKvpr === undefined) return failover === undefined ? {} : { failover };
  if (failover === undefined) throw new UsageError("--failover-kvpr caps the max KVPR after a loss: give --failover gpu|node with it");
  return { failover, failoverKvpr };
}

export function solveOptions(values: Values): SolveOptions {
  const options: SolveOptions = {};
  const timeLimitMs = positive(values, "time-limit");
  if (timeLimitMs !== undefined) options.timeLimitMs = timeLimitMs;
  const exact = choice(values, "exact", EXACT_VALUES);
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
export function fileArgument({ positionals, afterBareExact }: Parsed): string {
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError("missing the problem file (JSON or CSV; - reads standard input)");
  if (extra !== undefined) {
    // One argument too many, and one of them right after a bare --exact: most likely a value --exact does not take.
    const value = afterBareExact.find((arg) => positionals.includes(arg));
    if (value !== undefined) throw new UsageError(`--exact is one of ${EXACT_VALUES.join(", ")}, got "${value}" (a bare --exact means true)`);
    throw new UsageError(`unexpected argument "${extra}": give one problem file`);
  }
  return file;
}
