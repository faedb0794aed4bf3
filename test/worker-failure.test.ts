// How kvplace/worker reports a worker that cannot start or dies: on a copy of the
// built worker entry whose solver-worker.js is missing or replaced by one that exits.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type * as WorkerEntry from "../dist/worker/index.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of dist/ where `script` (or nothing) stands in for dist/worker/solver-worker.js. */
async function workerEntryWith(script: string | undefined): Promise<typeof WorkerEntry> {
  const root = mkdtempSync(join(tmpdir(), "kvplace-worker-"));
  made.push(root);
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  cpSync(new URL("../dist/", import.meta.url), join(root, "dist"), { recursive: true });
  const worker = join(root, "dist", "worker", "solver-worker.js");
  if (script === undefined) rmSync(worker);
  else writeFileSync(worker, script);
  return (await import(/* @vite-ignore */ pathToFileURL(join(root, "dist", "worker", "index.js")).href)) as typeof WorkerEntry;
}

// Answers like the real worker, but exits the thread when asked to solve a problem with 0 GPUs.
const EXITS_ON_ZERO_GPUS = `
import { parentPort } from "node:worker_threads";
parentPort.on("message", (m) => {
  if (m.type === "init") return parentPort.postMessage({ type: "ready" });
  if (m.problem.gpus === 0) process.exit(7);
  parentPort.postMessage({ type: "solved", id: m.id, solution: { maxKvpr: m.problem.gpus } });
});
`;

describe("a worker that fails", () => {
  it("createWorkerSolver rejects with WORKER_FAILED when the worker script is missing", async () => {
    const entry = await workerEntryWith(undefined);
    const error = await entry.createWorkerSolver().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(entry.PlacementError);
    expect(error).toMatchObject({ code: "WORKER_FAILED" });
  });

  it("a worker that dies mid-solve rejects that solve with WORKER_FAILED; the next solve gets a new worker", async () => {
    const entry = await workerEntryWith(EXITS_ON_ZERO_GPUS);
    const solver = await entry.createWorkerSolver();
    try {
      const dying = solver.solve({ gpus: 0, models: [] });
      const queued = solver.solve({ gpus: 3, models: [] });
      await expect(dying).rejects.toMatchObject({ code: "WORKER_FAILED", message: expect.stringMatching(/exited with code 7/) });
      expect(await queued).toEqual({ maxKvpr: 3 });
      expect(await solver.solve({ gpus: 5, models: [] })).toEqual({ maxKvpr: 5 });
    } finally {
      solver.terminate();
    }
  });
});
