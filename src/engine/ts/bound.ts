import type { Workspace } from "../workspace.js";

/** The workspace the TS kernels run on, as the WASM kernels run on their bound pointers. */
export let ws: Workspace;

export function bind(w: Workspace): void {
  ws = w;
}
