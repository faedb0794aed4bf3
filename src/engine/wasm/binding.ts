import { PlacementError } from "../../errors.js";
import { KERNEL_NAMES, type KernelName, type Kernels } from "../kernels.js";
import { LAYOUT_VERSION } from "../ts/kernels/layout.js";
import { workspaceCache, type Workspace } from "../workspace.js";

/** What kvplace.wasm exports: every kernel of the contract, its memory, the workspace binding and the layout it was built for. */
type Exports = Pick<Kernels, KernelName> & {
  memory: WebAssembly.Memory;
  heapBase(): number;
  layoutVersion(): number;
  bind(n: number, g: number, k: number, m: number, base: number): void;
};

const PAGE = 65536;
const ABI_FUNCTIONS = ["heapBase", "layoutVersion", "bind", ...KERNEL_NAMES] as const;

/**
 * The WASM engine: one workspace in linear memory past the module's static data,
 * written through typed-array views; the module computes the same offsets from
 * the shared layout (no generated glue, no loader: neither copies nor allocates
 * per call). A module of another build is refused before it can run.
 */
export function bindWasm(instance: WebAssembly.Instance): Kernels {
  const x = checkAbi(instance.exports);
  const base = (x.heapBase() + 7) & ~7;
  const kernels = Object.fromEntries(KERNEL_NAMES.map((name) => [name, x[name]])) as Pick<Kernels, KernelName>;
  // Memory grows only here: growing detaches the old buffer and kills every view on it, so the cache lays them anew.
  const views = workspaceCache(base, (need) => {
    const have = x.memory.buffer.byteLength;
    if (need > have) x.memory.grow(Math.ceil((need - have) / PAGE));
    return x.memory.buffer as ArrayBuffer;
  });
  let ws: Workspace | undefined;
  return {
    ...kernels,
    engine: "wasm",
    workspace(n, g, k = 1, m = 0) {
      // A solve asks several times for the same workspace: nothing to check while the shape stays.
      if (ws !== undefined && ws.n === n && ws.g === g && ws.k === k && ws.m === m) return ws;
      // The module is rebound whenever the shape changed.
      const next = views(n, g, k, m);
      if (next !== ws) {
        ws = next;
        x.bind(n, g, k, m, base);
      }
      return ws;
    },
  };
}

/** The exports, once every one the binding calls is there and the layout matches this package's. */
function checkAbi(exports: WebAssembly.Exports): Exports {
  const missing: string[] = ABI_FUNCTIONS.filter((name) => typeof exports[name] !== "function");
  if (!(exports["memory"] instanceof WebAssembly.Memory)) missing.unshift("memory");
  if (missing.length > 0) {
    throw new PlacementError(
      "WASM_LOAD_FAILED",
      `kvplace.wasm lacks the exports ${missing.join(", ")}: not a kvplace.wasm of this version (a stale or foreign file?)`,
    );
  }
  const x = exports as unknown as Exports;
  const version = x.layoutVersion();
  if (version !== LAYOUT_VERSION) {
    throw new PlacementError(
      "WASM_LOAD_FAILED",
      `kvplace.wasm was built for workspace layout ${version}, this package needs layout ${LAYOUT_VERSION} (a stale kvplace.wasm from a cache?)`,
    );
  }
  return x;
}
