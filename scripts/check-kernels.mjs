// The shared kernels (assembly/kernels/) are compiled by asc and by tsc, and
// must mean the same thing to both. tsc and asc each reject what they do not
// know; this check rejects what both accept but read differently (the rules in
// docs/CONTRIBUTING.md). The parity tests catch what a line-level check cannot.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Value types the shim (src/engine/ts/portable-types.ts) does not give tsc: kernels use i32, f64 and bool only. */
const AS_TYPES = /\b(i8|u8|i16|u16|u32|i64|u64|isize|usize|f32|v128|u8x16)\b/;
const RULES = [
  [/<(?!f64>)\w+>\s*[\w(]/, "a cast other than <f64>: asc converts (truncates, wraps), tsc only asserts a type"],
  [AS_TYPES, "a value type tsc's shim does not have: use i32, f64 or bool"],
  [
    /(?<![\w.])(load|store|unchecked|changetype|sizeof|offsetof|idof|min|max|abs|floor|ceil|sqrt)\s*(<\w+>)?\(/,
    "an AssemblyScript builtin: use Math.* or an accessor of ../memory",
  ],
  [/\b(i32|f64)\.\w+/, "an AssemblyScript static member: use Number.* or a named constant"],
  [/^\s*@/, "a decorator: tsc rejects it on functions (binaryen inlines small functions anyway)"],
  [/>>>/, "an unsigned shift: on i32 asc reinterprets the bits, JavaScript gives a positive number"],
  [/[^=!<>]==[^=]|!=[^=]/, "a loose comparison: write === or !=="],
];

/** Strips comments and string contents, keeping line numbers. */
function code(source) {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/\/\/.*$/gm, "")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

/** Names declared as i32 in a file: annotated, or initialised from an integer literal (asc infers i32). */
function integerNames(text) {
  const names = new Set();
  for (const m of text.matchAll(/(\w+)\s*:\s*i32\b/g)) names.add(m[1]);
  for (const m of text.matchAll(/\b(?:let|const)\s+(\w+)\s*=\s*-?\d+\s*[;,)]/g)) names.add(m[1]);
  return names;
}

/**
 * Every rule a source breaks, as "line: what". Division and remainder of two
 * integers truncate in asc but not in JavaScript; products of two integers
 * wrap in asc: both are flagged when both operands are known integers.
 */
export function violations(source) {
  const text = code(source);
  const ints = integerNames(text);
  const integer = (operand) => /^-?\d+$/.test(operand) || ints.has(operand);
  const found = [];
  text.split("\n").forEach((line, k) => {
    for (const [pattern, why] of RULES) if (pattern.test(line)) found.push(`${k + 1}: ${why}`);
    for (const m of line.matchAll(/([\w.]+)\s*([/%*])\s*([\w.]+)/g)) {
      const [, left, op, right] = m;
      if (op === "%") found.push(`${k + 1}: a remainder: integer in asc, floating in JavaScript`);
      else if (integer(left) && integer(right)) {
        found.push(`${k + 1}: ${op === "/" ? "a division" : "a product"} of two integers: ${op === "/" ? "truncates" : "wraps"} in asc, not in JavaScript`);
      }
    }
  });
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL("../assembly/kernels/", import.meta.url);
  let failed = false;
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    for (const v of violations(readFileSync(new URL(name, dir), "utf8"))) {
      console.error(`assembly/kernels/${name}:${v}`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
  console.log("assembly/kernels: every file keeps to the shared subset");
}
