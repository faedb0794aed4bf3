import { PlacementError } from "../../errors.js";
import { compileBytes } from "./compile.js";
import { hasSimd } from "./simd.js";

/**
 * The build of the kernels a runtime takes, next to this module: with SIMD or
 * without (simd.ts). Each URL is written out whole, so that bundlers see both
 * files and emit them.
 */
export function shippedFile(simd: boolean): URL {
  return simd ? new URL("./kvplace.wasm", import.meta.url) : new URL("./kvplace-scalar.wasm", import.meta.url);
}

/**
 * Compiles the build this runtime takes: read from disk in Node (its fetch
 * refuses file: URLs), fetched and compiled while streaming elsewhere.
 */
export async function compileShipped(): Promise<WebAssembly.Module> {
  const url = shippedFile(hasSimd());
  const file = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
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
    return compileBytes(bytes, file);
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
      throw new PlacementError("WASM_LOAD_FAILED", `${file} failed to compile: ${(e as Error).message}`);
    }
  }
  return compileBytes(await response.arrayBuffer(), file);
}
