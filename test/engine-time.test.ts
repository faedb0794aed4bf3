// Specification: npm run bench:throughput's split of a solve's time
// (bench/engine-time.ts) charges each profile sample to the outermost engine
// call on its stack — a WebAssembly function by its name in the build's text
// format (through V8's JS-to-WASM wrapper or not), a TypeScript kernel or
// binding by its function — and everything else
// to the JavaScript both engines share or to V8 itself; a page's idle samples
// and the delta before the first sample count nowhere; the unprofiled loop's
// time sets the scale.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { addProfile, addTiming, type CpuProfile, emptySplit, printSplit, wasmFunctionNames } from "../bench/engine-time.js";

const frame = (functionName: string, url = "") => ({ functionName, url });
const TS = "http://127.0.0.1:8000/dist/engine/ts";

/** A loop's profile: shared code calling into both engines, V8's own frames, and a page's idle time. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 6, 7, 9] },
    { id: 2, callFrame: frame("construct", "file:///pkg/dist/search/construct.js"), children: [3, 10] },
    { id: 3, callFrame: frame("wasm-function[1]", "wasm://wasm/abc"), children: [4] },
    { id: 4, callFrame: frame("wasm-function[0]", "wasm://wasm/abc") },
    { id: 6, callFrame: frame("(garbage collector)") },
    { id: 7, callFrame: frame("(idle)") },
    { id: 9, callFrame: frame("js-to-wasm:dii:d", "http://127.0.0.1:8000/dist/engine/wasm/kvplace.wasm"), children: [12] },
    { id: 12, callFrame: frame("$func1", "wasm://wasm/abc") },
    { id: 10, callFrame: frame("binsAtLeast", `${TS}/index.js`), children: [11] },
    { id: 11, callFrame: frame("martelloTothL2", `${TS}/kernels/bins.js`) },
  ],
  samples: [3, 2, 3, 4, 4, 12, 6, 7, 10, 11, 2],
  timeDeltas: [900, 10, 10, 10, 10, 10, 10, 500, 10, 10, 10],
};

function split(solves: number, ms: number) {
  const s = emptySplit();
  addProfile(s, profile, ["quicksort", "pack"]);
  addTiming(s, solves, ms);
  return s;
}

describe("where a solve's time goes", () => {
  it("charges samples to the outermost engine call, shared JavaScript or V8, scaled by the unprofiled loop", () => {
    const s = split(10, 1);
    // Kept: 2 shared + 4 pack (a wasm call and its inner function, by either naming, called directly or through a wrapper) + 2 binsAtLeast + 1 GC, 10 µs each.
    expect(s.sampled).toBe(90);
    expect(Object.fromEntries(s.parts)).toEqual({ "shared JavaScript": 20, pack: 40, binsAtLeast: 20, "V8 runtime": 10 });

    const lines: string[] = [];
    printSplit("loop", s, split(10, 2), (line) => lines.push(line));
    // 100 µs a solve on WASM, 200 on TS: each part scales by its share of the samples.
    expect(lines).toContain("| engine call: pack | 44.44 µs | 88.89 µs | 2.00× |");
    expect(lines).toContain("| engine call: binsAtLeast | 22.22 µs | 44.44 µs | 2.00× |");
    expect(lines).toContain("| **all engine calls** | 66.67 µs | 133.33 µs | 2.00× |");
    expect(lines).toContain("| shared JavaScript | 22.22 µs | 44.44 µs |  |");
    expect(lines).toContain("| **solve** | 100.00 µs | 200.00 µs | 2.00× |");
  });

  it("names WebAssembly functions by index from the build's text format", () => {
    const dir = mkdtempSync(join(tmpdir(), "kvplace-wat-"));
    const wat = join(dir, "kvplace.wat");
    writeFileSync(
      wat,
      ["(module", " (type $0 (func))", " (func $assembly/kernels/sort/quicksort (param $0 i32)", "  nop", " )", " (func $assembly/memory/bind", " )", ")"].join(
        "\n",
      ),
    );
    expect(wasmFunctionNames(pathToFileURL(wat))).toEqual(["quicksort", "bind"]);
  });
});
