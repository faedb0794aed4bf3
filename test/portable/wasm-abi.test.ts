// Portable: the WebAssembly module checks its own ABI before it runs, so a stale
// or foreign kvplace.wasm (from a cache, or passed as init.wasm) is refused by name.
import { describe, expect, it } from "vitest";
import { scalarWasmBase64, wasmBase64 } from "../../dist/engine/wasm/bytes.js";
import { bindWasm } from "../../dist/engine/wasm/binding.js";
import { createSolver } from "../../dist/index.js";

const moduleOf = (base64: string) => new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
const shipped = moduleOf(wasmBase64);
/** The smallest valid module: magic and version, no sections. */
const EMPTY = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
/** A module that imports a function, as no kvplace.wasm does. */
const IMPORTING = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x00,
]);

/** The shipped module's exports with some replaced or removed, as a stale build would have them. */
function altered(change: (exports: Record<string, unknown>) => void): WebAssembly.Instance {
  const exports: Record<string, unknown> = { ...new WebAssembly.Instance(shipped, {}).exports };
  change(exports);
  return { exports } as unknown as WebAssembly.Instance;
}

describe("the WebAssembly ABI", () => {
  it.each([
    ["kvplace.wasm", wasmBase64],
    ["kvplace-scalar.wasm", scalarWasmBase64],
  ])("is accepted as shipped in %s, with every kernel bound", (_build, base64) => {
    const kernels = bindWasm(new WebAssembly.Instance(moduleOf(base64), {}));
    expect(kernels.engine).toBe("wasm");
    expect(typeof kernels.exactRun).toBe("function");
  });

  it("refuses a module built for another workspace layout, naming both versions", () => {
    const stale = altered((x) => {
      x["layoutVersion"] = () => 1;
    });
    expect(() => bindWasm(stale)).toThrow(
      expect.objectContaining({ code: "WASM_LOAD_FAILED", message: expect.stringMatching(/layout 1, this package needs layout \d+/) }),
    );
  });

  it("refuses a module missing kernels or its memory, naming each missing export", () => {
    const partial = altered((x) => {
      delete x["exactRun"];
      delete x["settle"];
      delete x["memory"];
    });
    expect(() => bindWasm(partial)).toThrow(
      expect.objectContaining({ code: "WASM_LOAD_FAILED", message: expect.stringContaining("memory, settle, exactRun") }),
    );
  });

  it("refuses a foreign module given as init.wasm, before any solve", async () => {
    await expect(createSolver({ wasm: EMPTY })).rejects.toMatchObject({
      code: "WASM_LOAD_FAILED",
      message: expect.stringContaining("lacks the exports memory, heapBase"),
    });
    await expect(createSolver({ wasm: IMPORTING })).rejects.toMatchObject({
      code: "WASM_LOAD_FAILED",
      message: expect.stringContaining("could not be instantiated"),
    });
  });
});
