// Portable: in Node the worker is a worker_threads Worker, in Chromium a module Web Worker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adrsLike, fleet, mixedGpus, pinned, poolRequest, SCENARIO_FAMILIES } from "../../bench/generate.js";
import { wasmBase64 } from "../../dist/engine/wasm/bytes.js";
import { PlacementError, type Problem } from "../../dist/index.js";
import { createWorkerSolver, type WorkerSolver } from "../../dist/worker/index.js";
import { ENGINES, expectValid, solver } from "../support.js";

/** Runs for minutes unless stopped: the exact search on 20,480 models cannot close the gap to its bound. */
const endless: Problem = fleet(4096, 20480, 2);
const endlessOptions = { exact: true, timeLimitMs: 600_000 } as const;

const never = () => new Promise<never>(() => {});
const tick = (ms: number) => new Promise<"tick">((resolve) => setTimeout(() => resolve("tick"), ms));

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(wasmBase64);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

let ws: WorkerSolver;
beforeAll(async () => {
  ws = await createWorkerSolver();
});
afterAll(() => ws.terminate());

describe("createWorkerSolver", () => {
  it("returns what an in-thread solver returns, in both engines", async () => {
    const local = await solver();
    for (const engine of ENGINES) {
      for (const make of [adrsLike, mixedGpus, pinned, SCENARIO_FAMILIES["bursty pinned"]]) {
        for (let seed = 1; seed <= 6; seed++) {
          const problem = make(seed);
          const options = { engine, maxNodes: 20_000, timeLimitMs: 60_000 };
          const remote = await ws.solve(problem, options);
          expectValid(problem, remote);
          const here = local.solve(problem, options);
          expect(remote.assignment).toEqual(here.assignment);
          expect(remote.maxKvpr).toBe(here.maxKvpr);
          expect(remote.lowerBound).toBe(here.lowerBound);
          expect(remote.optimal).toBe(here.optimal);
          expect(remote.stats.engine).toBe(engine);
        }
      }
    }
  });

  it("plans a pool as an in-thread solver does, queued with the solves", async () => {
    const request = poolRequest(4, 9, 3);
    const options = { timeLimitMs: 5_000 };
    const [plan, solved] = await Promise.all([ws.planPool(request, options), ws.solve(adrsLike(1))]);
    const here = (await solver()).planPool(request, options);
    expect(here.optimal).toBe(true);
    expect([plan.counts, plan.cost, plan.lowerBound, plan.optimal]).toEqual([here.counts, here.cost, here.lowerBound, true]);
    expectValid(adrsLike(1), solved);
    await expect(ws.planPool({ ...request, targetKvpr: -1 })).rejects.toMatchObject({ code: "INVALID_PROBLEM" });
  });

  it("returns the move frontier an in-thread solver returns, queued with the solves", async () => {
    const local = await solver();
    const base = fleet(6, 24, 3);
    const placed = local.solve(base, { exact: false }).assignment;
    // Every model where the solve put it, with demand shifted so that moving pays.
    const problem: Problem = { ...base, models: base.models.map((m, i) => ({ ...m, currentGpu: placed[i]!, reqRate: m.reqRate! * (1 + (i % 5)) })) };
    for (const by of ["moves", "cost"] as const) {
      const options = { by, exact: false, maxNodes: 1000 };
      const [remote, solved] = await Promise.all([ws.moveFrontier(problem, options), ws.solve(problem, { maxMoves: 2, exact: false })]);
      const here = local.moveFrontier(problem, options);
      expect(remote.points.map((p) => [p.budget, p.maxKvpr, p.assignment])).toEqual(here.points.map((p) => [p.budget, p.maxKvpr, p.assignment]));
      expect(solved.moves.length).toBeLessThanOrEqual(2);
    }
    await expect(ws.moveFrontier(problem, { maxMoves: 1 })).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
  });

  it("rejects with the PlacementError the solver threw: same class, code, model, gpu and scenario", async () => {
    const cases: [Problem, object, Record<string, unknown>][] = [
      [
        {
          gpus: 2,
          models: [
            { sizeGB: 10, reqRate: 1, slo: 1 },
            { sizeGB: -1, reqRate: 1, slo: 1 },
          ],
        },
        {},
        { code: "INVALID_MODEL", model: 1, gpu: undefined },
      ],
      [
        {
          gpus: 2,
          models: [
            { sizeGB: 50, reqRate: 1, slo: 1, pinnedGpu: 1 },
            { sizeGB: 40, reqRate: 1, slo: 1, pinnedGpu: 1 },
          ],
        },
        {},
        { code: "PIN_OVERFLOW", gpu: 1, model: undefined },
      ],
      [
        { gpus: 2, models: [{ sizeGB: 10, slo: 1 }], scenarios: [{ reqRate: [1] }, { id: "peak", reqRate: [-2] }] },
        {},
        { code: "INVALID_SCENARIO", scenario: 1, model: 0 },
      ],
      [{ gpus: 1, models: [] }, { engine: "gpu" }, { code: "INVALID_OPTIONS" }],
    ];
    for (const [problem, options, expected] of cases) {
      const error = await ws.solve(problem, options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PlacementError);
      expect(error).toMatchObject(expected);
      let local: unknown;
      try {
        (await solver()).solve(problem, options);
      } catch (e) {
        local = e;
      }
      expect((error as PlacementError).message).toBe((local as PlacementError).message);
    }
    await expect(ws.solve({ gpus: 1, models: [] }, null as never)).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
  });

  it("runs concurrent solves in call order, each answering its own problem", async () => {
    const problems = [1, 2, 3, 4, 5].map((seed) => adrsLike(seed));
    const solutions = await Promise.all(problems.map((p) => ws.solve(p)));
    const local = await solver();
    solutions.forEach((sol, k) => expect(sol.assignment).toEqual(local.solve(problems[k]!).assignment));
  });

  it("rejects a problem that cannot be sent to a worker with INVALID_PROBLEM, and goes on", async () => {
    const problem = { gpus: 1, models: [{ sizeGB: 1, reqRate: 1, slo: 1, note: () => "a function" }] };
    await expect(ws.solve(problem as Problem)).rejects.toMatchObject({ code: "INVALID_PROBLEM" });
    expectValid(adrsLike(3), await ws.solve(adrsLike(3)));
  });

  it("loads kvplace.wasm from bytes given to it, and rejects bytes that are not WebAssembly", async () => {
    const own = await createWorkerSolver({ wasm: wasmBytes() });
    try {
      expect((await own.solve(adrsLike(4))).assignment).toEqual((await solver()).solve(adrsLike(4)).assignment);
    } finally {
      own.terminate();
    }
    await expect(createWorkerSolver({ wasm: new TextEncoder().encode("<!doctype html>") })).rejects.toMatchObject({
      code: "WASM_LOAD_FAILED",
      message: expect.stringMatching(/HTML/),
    });
  });
});

describe("cancelling", () => {
  it("keeps the calling thread free while it solves, and an abort stops the running solve with CANCELLED", async () => {
    const controller = new AbortController();
    const running = ws.solve(endless, { ...endlessOptions, signal: controller.signal });
    // A solve on this thread would hold the timer back until it returned.
    expect(await Promise.race([running.then(() => "solved"), tick(300)])).toBe("tick");
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: "CANCELLED" });
    await expect(running).rejects.toBeInstanceOf(PlacementError);
    // The stopped worker is replaced: this would wait out the endless solve otherwise.
    expectValid(adrsLike(5), await ws.solve(adrsLike(5)));
  });

  it("an abort of the running solve spares the solves queued behind it", async () => {
    const controller = new AbortController();
    const running = ws.solve(endless, { ...endlessOptions, signal: controller.signal });
    const queued = ws.solve(adrsLike(6));
    await tick(200);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: "CANCELLED" });
    expectValid(adrsLike(6), await queued);
  });

  it("an abort of a queued solve spares the running one", async () => {
    const controller = new AbortController();
    const first = ws.solve(adrsLike(7));
    const second = ws.solve(adrsLike(8), { signal: controller.signal });
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: "CANCELLED" });
    expectValid(adrsLike(7), await first);
  });

  it("a signal aborted beforehand rejects at once; one aborted after the solve changes nothing", async () => {
    await expect(ws.solve(adrsLike(9), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: "CANCELLED" });
    const controller = new AbortController();
    const sol = await ws.solve(adrsLike(9), { signal: controller.signal });
    controller.abort();
    expectValid(adrsLike(9), sol);
    expectValid(adrsLike(10), await ws.solve(adrsLike(10)));
  });

  it("cancel() rejects the running and every queued solve; the next solve works", async () => {
    const all = [ws.solve(endless, endlessOptions), ws.solve(adrsLike(11)), ws.solve(adrsLike(12))];
    const outcomes = Promise.all(
      all.map((p) =>
        p.then(
          () => "solved",
          (e: unknown) => e,
        ),
      ),
    );
    await tick(200);
    ws.cancel();
    for (const outcome of await outcomes) {
      expect(outcome).toBeInstanceOf(PlacementError);
      expect(outcome).toMatchObject({ code: "CANCELLED" });
    }
    expectValid(adrsLike(11), await ws.solve(adrsLike(11)));
  });

  it("terminate() stops the worker and cancels its work; a later solve starts a new worker", async () => {
    const own = await createWorkerSolver();
    const running = own.solve(endless, endlessOptions);
    await Promise.race([running.catch(never), tick(200)]);
    own.terminate();
    await expect(running).rejects.toMatchObject({ code: "CANCELLED" });
    expectValid(adrsLike(13), await own.solve(adrsLike(13)));
    own.terminate();
  });
});
