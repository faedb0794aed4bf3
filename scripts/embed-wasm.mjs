// Writes dist/engine/wasm/bytes.js (both builds of the kernels as base64) for the `kvplace/inline` entry.
import { readFileSync, writeFileSync } from "node:fs";

const base64 = (file) => readFileSync(new URL(`../dist/engine/wasm/${file}`, import.meta.url)).toString("base64");
writeFileSync(
  new URL("../dist/engine/wasm/bytes.js", import.meta.url),
  `export const wasmBase64 = "${base64("kvplace.wasm")}";\nexport const scalarWasmBase64 = "${base64("kvplace-scalar.wasm")}";\n`,
);
writeFileSync(
  new URL("../dist/engine/wasm/bytes.d.ts", import.meta.url),
  "/** kvplace.wasm in base64. */\nexport declare const wasmBase64: string;\n/** kvplace-scalar.wasm (no SIMD) in base64. */\nexport declare const scalarWasmBase64: string;\n",
);
