// How kvplace/worker reports a worker that cannot start or dies: on a copy of the
// built package with solver-worker.js or kvplace.wasm missing, or the worker replaced
// by one that exits; and that the worker starts whatever flags Node was given.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type * as MainEntry from "../dist/index.js";
import type * as WorkerEntry from "../dist/worker/index.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of dist/ changed by `edit` (given the copy's dist folder); resolves to its file URL. */
function distWith(edit: (dist: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), "kvplace-worker-"));
  made.push(root);
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  cpSync(new URL("../dist/", import.meta.url), join(root, "dist"), { recursive: true });
  edit(join(root, "dist"));
  return `${pathToFileURL(join(root, "dist")).href}/`;
}

/** The worker entry of a copy of dist/ where `script` (or nothing) stands in for dist/worker/solver-worker.js. */
async function workerEntryWith(script: string | undefined): Promise<typeof WorkerEntry> {
  const dist = distWith((dir) => {
    const worker = join(dir, "worker", "solver-worker.js");
    if (script === undefined) rmSync(worker);
    else writeFileSync(worker, script);
  });
  return (await import(/* @vite-ignore */ `${dist}worker/index.js`)) as typeof WorkerEntry;
}

// Answers like the real worker, but exits the thread when asked to solve a problem with 0 GPUs.
const EXITS_ON_ZERO_GPUS = `
import { parentPort } from "node:worker_threads";
parentPort.on("message", (m) => {
  if (m.type === "init") return parentPort.postMessage({ type: "ready" });
  if (m.problem.gpus === 0) process.exit(7);
  parentPort.postMessage({ type: "done", id: m.id, result: { maxKvpr: m.problem.gpus } });
});
`;

describe("a worker that fails", () => {
  it("createWorkerSolver rejects with WORKER_FAILED when the worker script is missing", async () => {
    const entry = await workerEntryWith(undefined);
    const error = await entry.createWorkerSolver().then(
      () => undefined,
      (e: unknown) => e,
    );
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

  it("a kvplace.wasm missing from the package is WASM_LOAD_FAILED, in the calling thread and from the worker's start-up", async () => {
    const dist = distWith((dir) => rmSync(join(dir, "engine", "wasm", "kvplace.wasm")));
    const main = (await import(/* @vite-ignore */ `${dist}index.js`)) as typeof MainEntry;
    const inThread = await main.createSolver().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(inThread).toBeInstanceOf(main.PlacementError);
    expect(inThread).toMatchObject({ code: "WASM_LOAD_FAILED", message: expect.stringMatching(/^could not read \/.*\/kvplace\.wasm: ENOENT/) });

    const entry = (await import(/* @vite-ignore */ `${dist}worker/index.js`)) as typeof WorkerEntry;
    const fromWorker = await entry.createWorkerSolver().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(fromWorker).toBeInstanceOf(entry.PlacementError);
    expect(fromWorker).toMatchObject({ code: "WASM_LOAD_FAILED", message: (inThread as Error).message });
  });
});

describe("a worker's start-up", () => {
  it("rejects init.wasm that is not a Module or bytes with WASM_LOAD_FAILED, as createSolver does", async () => {
    const { createWorkerSolver } = await import("../dist/worker/index.js");
    const { createSolver } = await import("../dist/index.js");
    for (const wasm of [() => 1, null, Symbol("wasm"), "kvplace.wasm"]) {
      const init = { wasm } as unknown as { wasm: Uint8Array };
      const message = `init.wasm must be a WebAssembly.Module or its bytes (an ArrayBuffer or a typed array), not ${wasm === null ? "null" : `a ${typeof wasm}`}`;
      await expect(createWorkerSolver(init)).rejects.toMatchObject({ code: "WASM_LOAD_FAILED", message });
      await expect(createSolver(init)).rejects.toMatchObject({ code: "WASM_LOAD_FAILED", message });
    }
  });

  it("rejects bytes that cannot be sent to the worker (a detached buffer) with WASM_LOAD_FAILED, and does not hang", async () => {
    const { createWorkerSolver } = await import("../dist/worker/index.js");
    const bytes = new Uint8Array(8).buffer;
    structuredClone(bytes, { transfer: [bytes] });
    await expect(createWorkerSolver({ wasm: bytes })).rejects.toMatchObject({
      code: "WASM_LOAD_FAILED",
      message: expect.stringMatching(/^init\.wasm cannot be sent to the worker: .*detached/),
    });
  });

  it("does not take Node's own flags: it starts under node --input-type=module --eval", () => {
    const script = `
      import { createWorkerSolver } from ${JSON.stringify(new URL("../dist/worker/index.js", import.meta.url).href)};
      const solver = await createWorkerSolver();
      console.log((await solver.solve({ gpus: 2, models: [{ sizeGB: 10, reqRate: 3, slo: 1 }, { sizeGB: 10, reqRate: 1, slo: 1 }] })).assignment.join(","));
      solver.terminate();`;
    expect(execFileSync(process.execPath, ["--input-type=module", "--eval", script], { encoding: "utf8" })).toMatch(/^(0,1|1,0)\n$/);
  });
});
