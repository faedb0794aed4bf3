// Specification: the kernels ship in two WebAssembly builds of one source —
// kvplace.wasm with SIMD, kvplace-scalar.wasm without — and each runtime gets
// the one it can run: a runtime whose WebAssembly has no SIMD refuses the v128
// type, which the probe names, and is given the scalar build, by the main entry
// (next to the module) and by kvplace/inline (embedded) alike. Both builds give
// the same answers (test/portable/kernel-parity.test.ts holds each to the
// TypeScript engine after every kernel call).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diurnal, fleet } from "../bench/generate.js";
import { scalarWasmBase64, wasmBase64 } from "../dist/engine/wasm/bytes.js";
import { shippedFile } from "../dist/engine/wasm/load-shipped.js";
import { hasSimd, SIMD_PROBE } from "../dist/engine/wasm/simd.js";
import { createSolver } from "../dist/index.js";

/**
 * Whether a runtime with WebAssembly 2.0's features, with SIMD or without,
 * accepts each module: binaryen's validator, in a process of its own, since it
 * prints every instruction it refuses.
 */
function accepts(modules: Record<string, Uint8Array>): Record<string, { withSimd: boolean; withoutSimd: boolean }> {
  const script = `
    import binaryen from "binaryen";
    const f = binaryen.Features;
    const without = f.MVP | f.MutableGlobals | f.SignExt | f.BulkMemory | f.NontrappingFPToInt;
    const verdict = (bytes, features) => { const m = binaryen.readBinary(bytes); m.setFeatures(features); const ok = m.validate() !== 0; m.dispose(); return ok; };
    const modules = JSON.parse(process.argv[1]);
    const out = {};
    for (const [name, base64] of Object.entries(modules)) {
      const bytes = Buffer.from(base64, "base64");
      out[name] = { withSimd: verdict(bytes, without | f.SIMD128), withoutSimd: verdict(bytes, without) };
    }
    process.stdout.write(JSON.stringify(out));`;
  const args = JSON.stringify(Object.fromEntries(Object.entries(modules).map(([name, bytes]) => [name, Buffer.from(bytes).toString("base64")])));
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script, args], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return JSON.parse(out) as Record<string, { withSimd: boolean; withoutSimd: boolean }>;
}

const bytesOf = (simd: boolean) => new Uint8Array(readFileSync(shippedFile(simd)));
const decode = (base64: string) => Uint8Array.from(Buffer.from(base64, "base64"));

describe("two builds of the kernels", () => {
  it("kvplace-scalar.wasm runs without SIMD; kvplace.wasm and the probe need it, and this runtime has it", () => {
    expect(accepts({ scalar: bytesOf(false), simd: bytesOf(true), probe: SIMD_PROBE })).toEqual({
      scalar: { withSimd: true, withoutSimd: true },
      simd: { withSimd: true, withoutSimd: false },
      probe: { withSimd: true, withoutSimd: false },
    });
    expect(hasSimd()).toBe(WebAssembly.validate(SIMD_PROBE));
    expect(hasSimd()).toBe(true);
  });

  it("each runtime finds its build next to the module, and kvplace/inline embeds both", () => {
    expect(shippedFile(true).pathname).toMatch(/\/kvplace\.wasm$/);
    expect(shippedFile(false).pathname).toMatch(/\/kvplace-scalar\.wasm$/);
    for (const simd of [true, false]) expect(existsSync(shippedFile(simd))).toBe(true);
    expect(decode(wasmBase64)).toEqual(bytesOf(true));
    expect(decode(scalarWasmBase64)).toEqual(bytesOf(false));
  });

  it("both builds place demand scenarios alike, where the SIMD build scans two at a time", async () => {
    const [simd, scalar] = await Promise.all([true, false].map((s) => createSolver({ wasm: bytesOf(s) })));
    for (const [k, seed] of [
      [7, 1],
      [24, 2],
    ] as const) {
      const problem = diurnal(fleet(12, 60, seed), k, seed);
      const a = simd!.solve(problem, { exact: false });
      const b = scalar!.solve(problem, { exact: false });
      expect(b.assignment).toEqual(a.assignment);
      expect(b.maxKvpr).toBe(a.maxKvpr);
    }
  });
});
