import type { Kernels } from "../kernels.js";
import { layoutWorkspace, WORKSPACE_FIELDS, workspaceBytes, type Workspace } from "../workspace.js";

/** What kvplace.wasm exports: every kernel of the contract, plus its memory and the workspace binding. */
type Exports = Omit<Kernels, "engine" | "workspace"> & {
  memory: WebAssembly.Memory;
  heapBase(): number;
  bind(n: number, g: number, ...offsets: number[]): void;
};

const PAGE = 65536;

/**
 * The WASM engine: one workspace in linear memory past the module's static data,
 * written through typed-array views and handed to the kernels as byte offsets
 * (no generated glue, no loader: neither copies nor allocates per call).
 */
export function bindWasm(instance: WebAssembly.Instance): Kernels {
  const x = instance.exports as unknown as Exports;
  const base = (x.heapBase() + 7) & ~7;
  const { memory: _memory, heapBase: _heapBase, bind: _bind, ...kernels } = x;
  let ws: Workspace | undefined;
  return {
    ...kernels,
    engine: "wasm",
    workspace(n, g) {
      const need = base + workspaceBytes(n, g);
      const have = x.memory.buffer.byteLength;
      if (need > have) x.memory.grow(Math.ceil((need - have) / PAGE));
      // Growing memory detaches the old buffer and kills every view on it:
      // lay the views anew whenever the buffer or the shape changed.
      if (ws === undefined || ws.n !== n || ws.g !== g || ws.dem.buffer !== x.memory.buffer) {
        ws = layoutWorkspace(x.memory.buffer as ArrayBuffer, base, n, g);
        const views = ws as unknown as Record<string, Float64Array | Int32Array>;
        x.bind(n, g, ...WORKSPACE_FIELDS.map((name) => (views[name] as Float64Array | Int32Array).byteOffset));
      }
      return ws;
    },
  };
}
