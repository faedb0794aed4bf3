/** Stable codes of every way a call can fail: a rejected problem, a failed load, a cancelled solve. */
export type PlacementErrorCode =
  | "INVALID_PROBLEM"
  | "INVALID_OPTIONS"
  | "INVALID_MODEL"
  | "INVALID_GPU"
  | "INVALID_SCENARIO"
  | "NO_GPUS"
  | "DUPLICATE_ID"
  | "PIN_OUT_OF_RANGE"
  | "CURRENT_OUT_OF_RANGE"
  | "MODEL_TOO_LARGE"
  | "PIN_OVERFLOW"
  | "GROUP_INFEASIBLE"
  | "COLOCATE_INFEASIBLE"
  | "FAILOVER_INFEASIBLE"
  | "TARGET_UNREACHABLE"
  | "STOCK_TOO_SMALL"
  | "MEMORY_EXCEEDED"
  | "INFEASIBLE"
  | "INVALID_ASSIGNMENT"
  | "TOO_LARGE"
  | "WASM_LOAD_FAILED"
  | "INVALID_CSV"
  | "CANCELLED"
  | "WORKER_FAILED";

export class PlacementError extends Error {
  readonly code: PlacementErrorCode;
  readonly model?: number;
  readonly gpu?: number;
  /** The demand scenario at fault (index into `Problem.scenarios`). */
  readonly scenario?: number;
  /** The spread group or colocated set at fault, by name. */
  readonly group?: string;
  /** The node at fault, by name. */
  readonly node?: string;

  constructor(code: PlacementErrorCode, message: string, where: { model?: number; gpu?: number; scenario?: number; group?: string; node?: string } = {}) {
    super(message);
    this.name = "PlacementError";
    this.code = code;
    if (where.model !== undefined) this.model = where.model;
    if (where.gpu !== undefined) this.gpu = where.gpu;
    if (where.scenario !== undefined) this.scenario = where.scenario;
    if (where.group !== undefined) this.group = where.group;
    if (where.node !== undefined) this.node = where.node;
  }
}
