// The GPU fieldset: identical GPUs (count × memory) or a list of sizes such as "80, 80, 2x40, 24".
import { parseGpuList, type Gpu, type Problem } from "kvplace";
import { byId } from "./dom.js";
import { InputError } from "./models-input.js";

const fields = () => ({
  uniform: byId("gpu-mode-uniform", HTMLInputElement),
  list: byId("gpu-mode-list", HTMLInputElement),
  count: byId("gpu-count", HTMLInputElement),
  mem: byId("gpu-mem", HTMLInputElement),
  sizes: byId("gpu-list", HTMLInputElement),
});

/** The GPUs as the problem wants them; the solver checks the values themselves. */
export function readGpus(): Pick<Problem, "gpus" | "gpuMemGB"> {
  const f = fields();
  if (f.list.checked) return { gpus: parseGpuList(f.sizes.value) };
  if (f.count.value.trim() === "") throw new InputError("Enter how many GPUs there are.");
  if (f.mem.value.trim() === "") throw new InputError("Enter the memory of each GPU in GB.");
  return { gpus: Number(f.count.value), gpuMemGB: Number(f.mem.value) };
}

/** Shows a problem's GPUs in the fieldset: a count as identical GPUs, a list as mixed sizes. */
export function showGpus(gpus: number | readonly Gpu[], gpuMemGB = 80): void {
  const f = fields();
  if (typeof gpus === "number") {
    f.count.value = String(gpus);
    f.mem.value = String(gpuMemGB);
    f.uniform.checked = true;
  } else {
    f.sizes.value = gpus.map((g) => (g.id === undefined ? String(g.memGB) : `${g.id}:${g.memGB}`)).join(", ");
    f.list.checked = true;
  }
  syncGpuMode();
}

/** Enables the inputs of the chosen mode only, so Tab skips the others. */
export function syncGpuMode(): void {
  const f = fields();
  f.count.disabled = f.mem.disabled = !f.uniform.checked;
  f.sizes.disabled = !f.list.checked;
}
