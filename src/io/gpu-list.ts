import { PlacementError } from "../errors.js";
import { LIMITS } from "../input/validate.js";
import type { Gpu } from "../types.js";

/** One entry: an optional "name:" or "N x" before a size in GB; "x", "×" and "*" all read as times. */
const ENTRY = /^(?:([^:]+):)?(?:(\d+)[x×*])?(\d+(?:\.\d+)?|\.\d+)$/i;

/**
 * Reads a GPU list as people type it, such as "80, 80, 2x40, a10:24": sizes in
 * GB separated by commas, spaces, ";" or "+"; "NxM" is N GPUs of M GB and
 * "name:M" one GPU with an id. The page's GPU field and `kvplace solve --gpus`
 * both read it. Errors are PlacementError "INVALID_GPU", naming the entry, or
 * "TOO_LARGE" past the GPUs kvplace accepts; the solver checks the sizes.
 */
export function parseGpuList(text: string): Gpu[] {
  if (typeof text !== "string") throw new PlacementError("INVALID_GPU", "the GPU list must be a string");
  const entries = text.split(/[\s,;+]+/).filter((t) => t !== "");
  if (entries.length === 0) throw new PlacementError("INVALID_GPU", "the GPU list is empty: give the memory of each GPU in GB, such as 80, 80, 2x40, 24");
  const gpus: Gpu[] = [];
  for (const entry of entries) {
    const m = ENTRY.exec(entry);
    if (m === null) throw new PlacementError("INVALID_GPU", `"${entry}" in the GPU list is not a size such as 80, 2x40 or h100:80`);
    const [, id, repeat, size] = m;
    const memGB = Number(size);
    if (id !== undefined) {
      if (repeat !== undefined) throw new PlacementError("INVALID_GPU", `"${entry}" in the GPU list names one GPU but repeats it`);
      gpus.push({ id, memGB });
      continue;
    }
    const times = repeat === undefined ? 1 : Number(repeat);
    if (times < 1) throw new PlacementError("INVALID_GPU", `"${entry}" in the GPU list repeats a GPU ${times} times`);
    // Checked before the GPUs are made, so "1000000000x80" fails at once rather than filling memory.
    if (gpus.length + times > LIMITS.gpus) throw new PlacementError("TOO_LARGE", `the GPU list holds more than the ${LIMITS.gpus} GPUs kvplace accepts`);
    for (let k = 0; k < times; k++) gpus.push({ memGB });
  }
  return gpus;
}
