export { createTsKernels } from "./engine/ts/index.js";
export { solveWith } from "./solve.js";
export { evaluate } from "./evaluate.js";
export { PlacementError } from "./errors.js";
export type * from "./types.js";
