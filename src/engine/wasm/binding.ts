import type { Kernels } from "../kernels.js";
import { layoutWorkspace, workspaceBytes, type Workspace } from "../workspace.js";

type Exports = {
  memory: WebAssembly.Memory;
  heapBase(): number;
  bind(n: number, g: number, ...offsets: number[]): void;
  sortByKey(count: number): void;
  rebuild(): number;
  greedy(): number;
  pack(T: number, ordering: number, policy: number): number;
  improve(maxSteps: number): number;
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
  let ws: Workspace | undefined;
  return {
    engine: "wasm",
    workspace(n, g) {
      const need = base + workspaceBytes(n, g);
      const have = x.memory.buffer.byteLength;
      if (need > have) x.memory.grow(Math.ceil((need - have) / PAGE));
      // Growing memory detaches the old buffer and kills every view on it:
      // lay the views anew whenever the buffer or the shape changed.
      if (ws === undefined || ws.n !== n || ws.g !== g || ws.dem.buffer !== x.memory.buffer) {
        ws = layoutWorkspace(x.memory.buffer as ArrayBuffer, base, n, g);
        const { dem, size, key, cap, gDem, gSize, gKvpr, assign, order, pin, next, prev, scratch, head, rank, rankOf } = ws;
        const arrays = [dem, size, key, cap, gDem, gSize, gKvpr, assign, order, pin, next, prev, scratch, head, rank, rankOf];
        x.bind(n, g, ...arrays.map((a) => a.byteOffset));
      }
      return ws;
    },
    sortByKey: x.sortByKey,
    rebuild: x.rebuild,
    greedy: x.greedy,
    pack: x.pack,
    improve: x.improve,
  };
}
