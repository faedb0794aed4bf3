/** kvplace.wasm in base64, generated at build time by scripts/embed-wasm.mjs. */
export declare const wasmBase64: string;
