import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as inline from "../dist/inline.js";
import { createSolver, lowerBound, PlacementError, solve, type Problem } from "../dist/index.js";
import { adrsLike, fleet } from "../bench/generate.js";
import { expectValid } from "./support.js";

const wasmUrl = new URL("../dist/engine/wasm/kvplace.wasm", import.meta.url);
const problem: Problem = adrsLike(7);

describe("loading the WebAssembly core", () => {
  it("finds kvplace.wasm next to the module by default", async () => {
    const s = await createSolver();
    expectValid(problem, s.solve(problem));
  });

  it("accepts a compiled WebAssembly.Module", async () => {
    const module = await WebAssembly.compile(readFileSync(wasmUrl));
    const s = await createSolver({ wasm: module });
    expect(s.solve(problem).assignment).toEqual((await createSolver()).solve(problem).assignment);
  });

  it("accepts the bytes, as a buffer or a view", async () => {
    const bytes = readFileSync(wasmUrl);
    const fromView = await createSolver({ wasm: bytes });
    const fromBuffer = await createSolver({ wasm: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    expect(fromView.solve(problem).maxKvpr).toBe(fromBuffer.solve(problem).maxKvpr);
  });

  it("says so when the bytes are not WebAssembly, and recognizes an HTML page", async () => {
    await expect(createSolver({ wasm: new Uint8Array([1, 2, 3, 4, 5]) })).rejects.toMatchObject({ code: "WASM_LOAD_FAILED" });
    const html = new TextEncoder().encode("<!doctype html><html></html>");
    await expect(createSolver({ wasm: html })).rejects.toThrow(/HTML/);
    await expect(createSolver({ wasm: html })).rejects.toBeInstanceOf(PlacementError);
  });

  it("kvplace/inline carries the bytes and solves the same", async () => {
    const s = await inline.createSolver();
    expect(s.solve(problem)).toMatchObject({ assignment: (await createSolver()).solve(problem).assignment });
    expect((await inline.solve(problem)).maxKvpr).toBe((await solve(problem)).maxKvpr);
  });
});

describe("the API", () => {
  it("solve() resolves to the same solution as a solver, in either engine", async () => {
    const s = await createSolver();
    const expected = s.solve(problem).assignment;
    expect((await solve(problem)).assignment).toEqual(expected);
    expect((await solve(problem, { engine: "ts" })).assignment).toEqual(expected);
  });

  it("reports its engine, time, nodes and bounds", async () => {
    const sol = await solve(problem, { engine: "ts" });
    expect(sol.stats.engine).toBe("ts");
    expect(sol.stats.ms).toBeGreaterThan(0);
    expect(sol.stats).toHaveProperty("nodes");
    expect(sol.stats).toHaveProperty("proved");
  });

  it("lowerBound never exceeds what solve reaches, and solve never reports more than it", async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const p = adrsLike(seed);
      const sol = await solve(p);
      expect(lowerBound(p)).toBeLessThanOrEqual(sol.maxKvpr);
      expect(sol.lowerBound).toBeGreaterThanOrEqual(Math.min(lowerBound(p), sol.maxKvpr));
    }
  });

  it("the same seed replays the same placement", async () => {
    const p = fleet(30, 150, 4);
    const a = await solve(p, { seed: 42, exact: false });
    const b = await solve(p, { seed: 42, exact: false });
    expect(b.assignment).toEqual(a.assignment);
  });

  it("never mutates its input", async () => {
    const p = structuredClone(problem);
    const frozen = structuredClone(problem);
    Object.freeze(frozen.models);
    frozen.models.forEach((m) => Object.freeze(m));
    Object.freeze(frozen);
    expect((await solve(frozen)).maxKvpr).toBe((await solve(p)).maxKvpr);
    expect(frozen).toEqual(p);
  });

  it("a solution shares nothing with the solver: later solves leave it as it was", async () => {
    const s = await createSolver();
    const first = s.solve(problem);
    const copy = structuredClone(first);
    s.solve(adrsLike(8));
    s.solve(fleet(50, 400, 2));
    expect(first).toEqual(copy);
    expect(Array.isArray(first.assignment)).toBe(true);
  });

  it("GPU ids default to gpuN and keep the given ones", async () => {
    const sol = await solve({ gpus: [{ id: "a100-0", memGB: 80 }, { memGB: 40 }], models: [{ sizeGB: 10, reqRate: 1, slo: 1 }] });
    expect(sol.gpus.map((g) => g.id)).toEqual(["a100-0", "gpu1"]);
  });
});
