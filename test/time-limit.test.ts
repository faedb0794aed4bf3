// Specification: a solve returns within timeLimitMs plus the documented slack —
// the work kvplace cannot interrupt — on every instance it accepts, in both
// engines; and splitting the searches to watch the clock changes no result.
import { describe, expect, it } from "vitest";
import { FAMILIES, fleet } from "../bench/generate.js";
import { HARD_CASES, slackMs } from "../bench/hard.js";
import { PlacementError, type Problem, type SolveOptions } from "../dist/index.js";
import { ENGINES, expectConfirmed, solver } from "./support.js";

const countOf = (p: Problem) => ({ n: p.models.length, g: typeof p.gpus === "number" ? p.gpus : p.gpus.length, k: p.scenarios?.length ?? 1 });

/** Solves and times one call; a placement must check out, and the only rejection a time limit may cause is INFEASIBLE. */
async function timed(problem: Problem, options: SolveOptions): Promise<{ ms: number; outcome: string }> {
  const s = await solver();
  const start = performance.now();
  try {
    const sol = s.solve(problem, options);
    const ms = performance.now() - start;
    expectConfirmed(problem, sol);
    return { ms, outcome: "placed" };
  } catch (e) {
    const ms = performance.now() - start;
    if (!(e instanceof PlacementError)) throw e;
    return { ms, outcome: e.code };
  }
}

// Wall-clock bounds on a shared 2-core machine: a retry absorbs a stall of the host,
// while a solve that overruns because of its own work fails every attempt.
const RETRY = { retry: 2 };

describe("time limits hold", () => {
  it("on small instances of every family, from 1 ms, exact or not", RETRY, async () => {
    for (const [name, generate] of Object.entries(FAMILIES)) {
      for (let seed = 1; seed <= 12; seed++) {
        const problem = generate(seed);
        const { n, g } = countOf(problem);
        for (const engine of ENGINES) {
          for (const timeLimitMs of [1, 5]) {
            for (const exact of ["auto", true] as const) {
              const { ms } = await timed(problem, { engine, timeLimitMs, exact });
              expect(ms, `${name} seed ${seed}, ${engine}, ${timeLimitMs} ms, exact ${exact}`).toBeLessThan(timeLimitMs + slackMs(n, g));
            }
          }
        }
      }
    }
  });

  for (const c of HARD_CASES) {
    it(`on ${c.name}`, RETRY, async () => {
      const problem = c.problem();
      const { n, g, k } = countOf(problem);
      for (const engine of ENGINES) {
        for (const timeLimitMs of [10, 100]) {
          const { ms, outcome } = await timed(problem, { engine, timeLimitMs, exact: c.exact ?? "auto" });
          expect(["placed", "INFEASIBLE"]).toContain(outcome);
          expect(ms, `${engine}, ${timeLimitMs} ms`).toBeLessThan(timeLimitMs + slackMs(n, g, k));
        }
      }
    });
  }
});

describe("watching the clock changes nothing while time remains", () => {
  // With 60 s left the local and exact searches run in many slices; with no limit, in one call each.
  const cases: [string, Problem, SolveOptions][] = [
    ["a fleet of 1,000 GPUs × 5,000 models", fleet(1000, 5000, 7), {}],
    ["a fleet of 40 GPUs × 400 models", fleet(40, 400, 8, 0.85), {}],
    ["an ADRS-like instance under exact search", FAMILIES.adrsLike(11), { exact: true }],
    ["a memory-tight instance under exact search", FAMILIES.memoryTight(23), { exact: true }],
  ];
  for (const [name, problem, options] of cases) {
    it(name, async () => {
      const s = await solver();
      for (const engine of ENGINES) {
        const sliced = s.solve(problem, { ...options, engine, timeLimitMs: 60_000 });
        const whole = s.solve(problem, { ...options, engine, timeLimitMs: Infinity });
        expect(sliced.assignment).toEqual(whole.assignment);
        expect(sliced.stats["nodes"]).toBe(whole.stats["nodes"]);
      }
    });
  }
});
