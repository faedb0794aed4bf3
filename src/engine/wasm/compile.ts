// Compiling kvplace.wasm from a Module or bytes, with the failures named. Kept apart from finding the shipped
// file (load-shipped.ts): kvplace/inline imports only this, so bundlers never see that file's URL and emit it.
import { PlacementError } from "../../errors.js";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Compiles caller-provided WASM: a ready Module, or its bytes. */
export async function compileGiven(wasm: WebAssembly.Module | BufferSource): Promise<WebAssembly.Module> {
  checkGiven(wasm);
  if (wasm instanceof WebAssembly.Module) return wasm;
  return compileBytes(wasm);
}

/** `init.wasm` is a caller's value, not trusted to have its declared type: anything else is WASM_LOAD_FAILED. */
export function checkGiven(wasm: unknown): void {
  if (wasm instanceof WebAssembly.Module || wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) return;
  const kind = wasm === null ? "null" : typeof wasm === "object" ? "another object" : `a ${typeof wasm}`;
  throw new PlacementError("WASM_LOAD_FAILED", `init.wasm must be a WebAssembly.Module or its bytes (an ArrayBuffer or a typed array), not ${kind}`);
}

/** Compiles the bytes of a module; failures name it as `file`. */
export async function compileBytes(bytes: BufferSource, file = "kvplace.wasm"): Promise<WebAssembly.Module> {
  const view = ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(4, bytes.byteLength))
    : new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (!WASM_MAGIC.every((b, i) => view[i] === b)) {
    const text = new TextDecoder().decode(view).trimStart();
    const hint = text.startsWith("<") ? " (it looks like HTML: a dev server's fallback page instead of the file?)" : "";
    throw new PlacementError("WASM_LOAD_FAILED", `${file} is not a WebAssembly module${hint}`);
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new PlacementError("WASM_LOAD_FAILED", `${file} failed to compile: ${(e as Error).message}`);
  }
}
