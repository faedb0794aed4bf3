// The GPU fieldset: identical GPUs (count × memory) or a list of sizes such as "80, 80, 2x40, 24".
import { parseGpuList, type Gpu, type Problem } from "kvplace";
import { byId } from "./dom.js";
import { InputError } from "./models-input.js";

/** The library's default size of GPUs given by count (README, API: `gpuMemGB`). */
const DEFAULT_GPU_MEM_GB = 80;

const fields = () => ({
  fieldset: byId("gpu-fieldset", HTMLFieldSetElement),
  source: byId("gpu-source", HTMLElement),
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

/**
 * Whether the GPUs come from the problem in the models box or from the
 * fieldset. While the problem gives them, the fieldset shows them, locked, with
 * a line saying so: the same text then solves the same however it was entered.
 */
export function takeGpusFromProblem(problem: Pick<Problem, "gpus" | "gpuMemGB"> | undefined): void {
  const f = fields();
  f.fieldset.disabled = problem !== undefined;
  f.source.hidden = problem === undefined;
  if (problem === undefined) return;
  f.source.textContent = `GPUs from the problem: ${describeGpus(problem.gpus, problem.gpuMemGB)}. Edit its "gpus" to change them.`;
  showGpus(problem.gpus, problem.gpuMemGB);
}

/** "2 × 80 GB, 1 × 40 GB": how many of each size, in order of first appearance. */
export function describeGpus(gpus: unknown, gpuMemGB: unknown = DEFAULT_GPU_MEM_GB): string {
  // The solver judges the values; this line only has to show them as written.
  if (typeof gpus === "number") return `${gpus} × ${String(gpuMemGB)} GB`;
  if (!Array.isArray(gpus)) return `"gpus" is ${JSON.stringify(gpus)}`;
  const counts = new Map<string, number>();
  for (const g of gpus as unknown[]) {
    const size = String(typeof g === "object" && g !== null ? (g as { memGB?: unknown }).memGB : g);
    counts.set(size, (counts.get(size) ?? 0) + 1);
  }
  if (counts.size === 0) return "none";
  // A GPU without a node is a node of its own; the count is worth a word only when some GPU names one.
  const nodeOf = (g: unknown, j: number) => (typeof g === "object" && g !== null && "node" in g ? `=${String(g.node)}` : `#${j}`);
  const nodes = new Set((gpus as unknown[]).map(nodeOf));
  const named = (gpus as unknown[]).some((g, j) => nodeOf(g, j).startsWith("="));
  const inNodes = named ? ` in ${nodes.size === 1 ? "1 node" : `${nodes.size} nodes`}` : "";
  return `${[...counts].map(([size, n]) => `${n} × ${size} GB`).join(", ")}${inNodes}`;
}

/** Shows a problem's GPUs in the fieldset: a count as identical GPUs, a list as mixed sizes. */
export function showGpus(gpus: unknown, gpuMemGB: unknown = DEFAULT_GPU_MEM_GB): void {
  const f = fields();
  if (typeof gpus === "number") {
    f.count.value = String(gpus);
    f.mem.value = String(gpuMemGB);
    f.uniform.checked = true;
  } else if (Array.isArray(gpus)) {
    const entry = (g: unknown) => {
      const { id, memGB } = (typeof g === "object" && g !== null ? g : {}) as Partial<Gpu>;
      return id === undefined ? String(memGB) : `${id}:${String(memGB)}`;
    };
    f.sizes.value = gpus.map(entry).join(", ");
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
