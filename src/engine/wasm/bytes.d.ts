/** kvplace.wasm in base64, generated at build time by scripts/embed-wasm.mjs. */
export declare const wasmBase64: string;
/** kvplace-scalar.wasm (the build without SIMD) in base64, generated with it. */
export declare const scalarWasmBase64: string;
