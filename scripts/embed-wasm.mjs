// Writes dist/engine/wasm/bytes.js (kvplace.wasm as base64) for the `kvplace/inline` entry.
import { readFileSync, writeFileSync } from "node:fs";

const wasm = readFileSync(new URL("../dist/engine/wasm/kvplace.wasm", import.meta.url));
writeFileSync(new URL("../dist/engine/wasm/bytes.js", import.meta.url), `export const wasmBase64 = "${wasm.toString("base64")}";\n`);
writeFileSync(new URL("../dist/engine/wasm/bytes.d.ts", import.meta.url), "/** kvplace.wasm in base64. */\nexport declare const wasmBase64: string;\n");
