// The shared kernels' subset: what asc and tsc both accept but read differently is refused.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM script without types; its one export is typed here.
import { violations as untyped } from "../scripts/check-kernels.mjs";

const violations = untyped as (source: string) => string[];

describe("the shared subset check", () => {
  it.each([
    ["an integer conversion", "const k: i32 = <i32>x;"],
    ["a division of two integers", "function f(a: i32, b: i32): f64 { return a / b; }"],
    ["a division of integers inferred from literals", "let lo = 0;\nlet hi = 9;\nconst mid = hi / 2 + lo;"],
    ["a product of two integers", "function f(a: i32, b: i32): i32 { return a * b; }"],
    ["a remainder", "const r = x % 3;"],
    ["an unsigned shift", "const h = x >>> 1;"],
    ["a loose comparison", "if (a == b) return;"],
    ["a bare AssemblyScript builtin", "const m = max(a, b);"],
    ["a raw memory access", "const v = load<f64>(p);"],
    ["a static member of a value type", "const big = f64.MAX_VALUE;"],
    ["a decorator", "@inline\nfunction f(): void {}"],
    ["a type the shim lacks", "let p: usize = 0;"],
  ])("refuses %s", (_, source) => {
    expect(violations(source)).not.toEqual([]);
  });

  it("accepts floating division, Math, strict comparisons and <f64> widening", () => {
    const source = "function f(d: f64, s: f64, k: i32): f64 {\n  if (k === 0) return Math.max(d, s) / s;\n  return <f64>k * d / 2;\n}";
    expect(violations(source)).toEqual([]);
  });

  it("finds nothing in the kernels themselves (comments and strings are not code)", () => {
    const dir = new URL("../assembly/kernels/", import.meta.url);
    for (const name of readdirSync(dir)) expect(violations(readFileSync(new URL(name, dir), "utf8")), name).toEqual([]);
  });
});
