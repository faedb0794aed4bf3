import { PlacementError } from "../../errors.js";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Compiles caller-provided WASM: a ready Module, or its bytes. */
export async function compileGiven(wasm: WebAssembly.Module | BufferSource): Promise<WebAssembly.Module> {
  if (wasm instanceof WebAssembly.Module) return wasm;
  return compileBytes(wasm);
}

export async function compileBytes(bytes: BufferSource): Promise<WebAssembly.Module> {
  const view = ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(4, bytes.byteLength))
    : new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (!WASM_MAGIC.every((b, i) => view[i] === b)) {
    const text = new TextDecoder().decode(view).trimStart();
    const hint = text.startsWith("<") ? " (it looks like HTML: a dev server's fallback page instead of the file?)" : "";
    throw new PlacementError("WASM_LOAD_FAILED", `kvplace.wasm is not a WebAssembly module${hint}`);
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new PlacementError("WASM_LOAD_FAILED", `kvplace.wasm failed to compile: ${(e as Error).message}`);
  }
}

/**
 * Finds kvplace.wasm next to this module: read from disk in Node (its fetch
 * refuses file: URLs), fetched and compiled while streaming elsewhere.
 */
export async function compileShipped(): Promise<WebAssembly.Module> {
  const url = new URL("./kvplace.wasm", import.meta.url);
  if (url.protocol === "file:") {
    // A variable specifier keeps bundlers from pulling a Node built-in into browser builds.
    const fsModule = "node:fs/promises";
    const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import("node:fs/promises");
    return compileBytes(await fs.readFile(url));
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new PlacementError("WASM_LOAD_FAILED", `could not fetch ${url.href}: ${(e as Error).message}`);
  }
  if (!response.ok) throw new PlacementError("WASM_LOAD_FAILED", `fetching ${url.href} answered ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("application/wasm") && typeof WebAssembly.compileStreaming === "function") {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (e) {
      throw new PlacementError("WASM_LOAD_FAILED", `kvplace.wasm failed to compile: ${(e as Error).message}`);
    }
  }
  return compileBytes(await response.arrayBuffer());
}
