// The API's figures use the kernels' own definition, so they agree to the last bit.
export { kvpr, MEM_EPS } from "./engine/ts/kernels/kvpr.js";
