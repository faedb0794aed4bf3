import { PlacementError } from "../../errors.js";
import { compileBytes } from "./compile.js";

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
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await fs.readFile(url);
    } catch (e) {
      throw new PlacementError("WASM_LOAD_FAILED", `could not read ${url.pathname}: ${(e as Error).message}`);
    }
    return compileBytes(bytes);
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
